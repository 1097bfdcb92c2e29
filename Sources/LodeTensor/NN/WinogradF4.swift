/// Winograd F(4×4, 3×3) for the forward pass (and so the input gradient, a forward pass with the
/// flipped kernel) of 3×3 stride-1 padding-1 convolutions: 6×6 input tiles with stride 4,
/// 36 GEMMs, 36 multiply-adds per channel pair for 16 outputs (4× fewer than direct, against
/// 2.25× for F(2×2)). The transforms' coefficients reach 8 (Aᵀ) and 1/24 (G), so rounding grows
/// a little over F(2×2); WinogradTests holds both to the same bound against a double-precision
/// direct convolution.
///
///   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
///   G  = [1/4 0 0; −1/6 −1/6 −1/6; −1/6 1/6 −1/6; 1/24 1/12 1/6; 1/24 −1/12 1/6; 0 0 1]
///   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
struct WinogradF4Geometry: WinogradTiling {
    static let outputTile = 4
    /// Measured: per-group panels beat batch panels already on 8×8 maps (32 tiles a group of 8
    /// samples: 1.2× both ways) and on 16×16 (1.1×).
    static let batchPanelTiles = 32
    let n, c, o, h, w: Int

    init(_ geo: ConvGeometry) {
        (n, c, o, h, w) = (geo.n, geo.c, geo.o, geo.h, geo.w)
    }
}

/// The forward pass by F(4×4, 3×3) on raw buffers: out = W ⋆ x + b (3×3, stride 1, padding 1).
func winogradF4Convolve(_ geo: ConvGeometry, input px: UnsafePointer<Float>, weight pw: UnsafePointer<Float>,
                        bias pb: UnsafePointer<Float>?, output po: UnsafeMutablePointer<Float>, cachingKernel: Bool,
                        thenReLU: Bool, kernelScale: UnsafePointer<Float>?) {
    winogradForward(WinogradF4Geometry(geo), input: px, weight: pw, bias: pb, output: po, cachingKernel: cachingKernel,
                    thenReLU: thenReLU, kernelScale: kernelScale)
}
