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

    /// U[ξ, ci, oc] = (G·g·Gᵀ)[ξ] for weight g [O, C, 3, 3]; u holds 36·C·O floats.
    func transformKernel(_ g: UnsafePointer<Float>, pairs: Range<Int>, into u: UnsafeMutablePointer<Float>) {
        let plane = kernelStride
        // Products with the reciprocals (no divisions in the loop).
        let (quarter, sixth, twelfth, twentyFourth): (Float, Float, Float, Float) = (0.25, 1 / 6, 1 / 12, 1 / 24)
        /// G times three rows a, b, d (count values each) into six rows out + t·step, t = 0..<6.
        func timesG(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: UnsafePointer<Float>,
                    into out: UnsafeMutablePointer<Float>, step: Int, _ count: Int) {
            let (r0, r1, r2, r3, r4, r5) = (out, out + step, out + 2 * step, out + 3 * step, out + 4 * step, out + 5 * step)
            for e in 0..<count {
                r0[e] = a[e] * quarter
                r1[e] = -(a[e] + b[e] + d[e]) * sixth
                r2[e] = -(a[e] - b[e] + d[e]) * sixth
                r3[e] = a[e] * twentyFourth + b[e] * twelfth + d[e] * sixth
                r4[e] = a[e] * twentyFourth - b[e] * twelfth + d[e] * sixth
                r5[e] = d[e]
            }
        }
        forEachKernelChunk(g, pairs: pairs, scratchRows: 18) { lo, count, k, r in
            let stride = kernelChunk
            // G·g: column j of the kernel (values j, 3 + j, 6 + j) becomes rows j, 3 + j, ..., 15 + j.
            for j in 0..<3 {
                timesG(k + j * stride, k + (3 + j) * stride, k + (6 + j) * stride, into: r + j * stride, step: 3 * stride, count)
            }
            // (G·g)·Gᵀ: each row of three becomes six, U[6i..6i+5].
            for i in 0..<6 {
                timesG(r + 3 * i * stride, r + (3 * i + 1) * stride, r + (3 * i + 2) * stride,
                       into: u + 6 * i * plane + lo, step: plane, count)
            }
        }
    }

    /// dg = Gᵀ·dU·G, the adjoint of `transformKernel`: du [36, O, C] → dg [O, C, 3, 3]. A row of
    /// six u times G gives u0/4 − (u1+u2)/6 + (u3+u4)/24, (u2−u1)/6 + (u3−u4)/12 and
    /// ((u3+u4) − (u1+u2))/6 + u5; the columns then the same way. Runs over chunks of pairs, each
    /// U[ξ] row read as one contiguous run (the loops vectorise), then writes the 3×3 kernels out.
    func kernelGradient(_ du: UnsafePointer<Float>, pairs: Range<Int>, into dg: UnsafeMutablePointer<Float>) {
        let plane = kernelStride, stride = kernelChunk
        let (quarter, sixth, twelfth, twentyFourth): (Float, Float, Float, Float) = (0.25, 1 / 6, 1 / 12, 1 / 24)
        /// Three rows out + t·outStep from six rows a + t·step (count values each).
        func rowTimesG(_ a: UnsafePointer<Float>, step: Int, into out: UnsafeMutablePointer<Float>, outStep: Int, _ count: Int) {
            let (a0, a1, a2, a3, a4, a5) = (a, a + step, a + 2 * step, a + 3 * step, a + 4 * step, a + 5 * step)
            let (r0, r1, r2) = (out, out + outStep, out + 2 * outStep)
            for e in 0..<count {
                let s12 = a1[e] + a2[e], s34 = a3[e] + a4[e]
                r0[e] = a0[e] * quarter - s12 * sixth + s34 * twentyFourth
                r1[e] = (a2[e] - a1[e]) * sixth + (a3[e] - a4[e]) * twelfth
                r2[e] = (s34 - s12) * sixth + a5[e]
            }
        }
        forEachKernelGradientChunk(pairs: pairs, scratchRows: 18, into: dg) { lo, count, q, k in
            // dU·G: row i (positions 6i..6i+5) becomes q[3i..3i+2].
            for i in 0..<6 {
                rowTimesG(du + 6 * i * plane + lo, step: plane, into: q + 3 * i * stride, outStep: stride, count)
            }
            // Gᵀ·(dU·G): column j of q (rows j, 3 + j, ..., 15 + j) becomes k[j], k[3 + j], k[6 + j].
            for j in 0..<3 {
                rowTimesG(q + j * stride, step: 3 * stride, into: k + j * stride, outStep: 3 * stride, count)
            }
        }
    }
}

/// The forward pass by F(4×4, 3×3) on raw buffers: out = W ⋆ x + b (3×3, stride 1, padding 1).
func winogradF4Convolve(_ geo: ConvGeometry, input px: UnsafePointer<Float>, weight pw: UnsafePointer<Float>,
                        bias pb: UnsafePointer<Float>?, output po: UnsafeMutablePointer<Float>, cachingKernel: Bool) {
    winogradForward(WinogradF4Geometry(geo), input: px, weight: pw, bias: pb, output: po, cachingKernel: cachingKernel)
}
