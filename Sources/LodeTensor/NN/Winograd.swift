import CLodeKernels

/// Winograd F(2×2, 3×3) for 3×3 convolutions with stride 1 and padding 1 (Lavin & Gray 2016).
///
/// Each 2×2 block of outputs comes from a 4×4 input tile: V = Bᵀ·d·B per tile and channel,
/// U = G·g·Gᵀ per kernel, then for each of the 16 tile positions ξ one product
/// M[ξ] (tiles × O) = V[ξ] (tiles × C) · U[ξ] (C × O), and Y = Aᵀ·M·A per tile. That is 16 multiply-adds
/// per channel pair for 4 outputs instead of 36 (2.25× fewer), with no im2col copy (the tile
/// transform reads each input about 4 times instead of 9). The weight gradient runs the same
/// transforms backwards: dU[ξ] = dM[ξ]ᵀ·V[ξ] with dM = A·dY·Aᵀ, then dg = Gᵀ·dU·G. The
/// transforms' coefficients are 0, ±1 and ±½, so the results differ from im2col's only by the
/// order of the additions.
///
///   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   Aᵀ = [1 1 1 0; 0 1 −1 −1]
///
/// The tile transforms run in CLodeKernels (WinogradBody.h), compiled for each CPU path: Swift
/// here is built for baseline x86-64, so its loops would use 4 of AVX-512's 16 lanes.

/// The tiling both Winograd sizes share: m×m output blocks from (m+2)×(m+2) input tiles, and the
/// batch cut into groups of samples that run on one core each.
protocol WinogradTiling {
    var n: Int { get }
    var c: Int { get }
    var o: Int { get }
    var h: Int { get }
    var w: Int { get }
    /// m, the side of a tile's block of outputs (2 or 4).
    static var outputTile: Int { get }
    /// `automatic` panels run over the whole batch below this many tiles per group of samples.
    static var batchPanelTiles: Int { get }
}

extension WinogradTiling {
    var tilesHigh: Int { (h + Self.outputTile - 1) / Self.outputTile }
    var tilesWide: Int { (w + Self.outputTile - 1) / Self.outputTile }
    var tiles: Int { tilesHigh * tilesWide }
    /// (m+2)², the tile positions and so the GEMMs per group.
    static var positions: Int { (outputTile + 2) * (outputTile + 2) }

    /// Floats from one tile position's matrix to the next, for matrices of `floats` floats: one
    /// cache line more. A tile's transform writes (or reads) one vector in each of its 16 or 36
    /// matrices at once; were they a multiple of 4 KB apart, all would fall in one set of the
    /// first-level cache and evict each other (measured: the F(4×4) input transform 1.7× and the
    /// output transform 1.25× faster with the extra line).
    static func positionStride(_ floats: Int) -> Int { floats + 16 }
    /// The transformed kernels' position stride (U and dU, C·O floats a position).
    var kernelStride: Int { Self.positionStride(o * c) }
    /// Runs `body(v, m)` with scratch for the transformed tiles of p columns: V (input channels)
    /// and, after it, M or dM (output channels), each position's matrix `positionStride` apart.
    func withPanels(columns p: Int, _ body: (_ v: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>) -> Void) {
        let inputs = Self.positions * Self.positionStride(c * p)
        ScratchPool.shared.with(inputs + Self.positions * Self.positionStride(o * p)) { scratch in
            body(scratch, scratch + inputs)
        }
    }

    /// Samples per group: transformed input and output of a group within 4 MB (measured with
    /// `lode bench conv`: 4 MB beat 16 MB by up to 15 % forward on 32×32 and 8×8 maps once the
    /// products ran on the transforms' layouts; 1 MB and less lost on 16×16), at least two groups
    /// per core, and of the sizes within that, the one whose groups spread most evenly over the
    /// cores (the fewest samples on the busiest core; the larger of equals).
    var groupSize: Int {
        let perSample = Self.positions * (c + o) * tiles
        let most = max(1, min((1 << 20) / max(1, perSample), (n + 2 * parallelWorkers - 1) / (2 * parallelWorkers)))
        var best = most, busiest = Int.max
        for size in Swift.stride(from: most, through: 1, by: -1) {
            let load = ((n + size - 1) / size + parallelWorkers - 1) / parallelWorkers * size
            if load < busiest { (best, busiest) = (size, load) }
        }
        return best
    }
    var groupCount: Int { (n + groupSize - 1) / groupSize }

    /// The weight gradient's products dU[ξ] = dM[ξ]ᵀ·V[ξ] for every position: p columns, laid out
    /// by the transforms.
    func multiplyGradient(_ dm: UnsafePointer<Float>, _ v: UnsafePointer<Float>, into du: UnsafeMutablePointer<Float>,
                          columns p: Int, positions: Range<Int>) {
        let (vs, ms) = (Self.positionStride(c * p), Self.positionStride(o * p))
        for xi in positions {
            lode_winograd_gradient_product(dm + xi * ms, o, v + xi * vs, c, o, c, p, du + xi * kernelStride, c)
        }
    }

    /// U[ξ] = G·g·Gᵀ for the kernels g [O, C, 3, 3] of input channels `inputs` and every output
    /// channel, by CLodeKernels: u[ξ·kernelStride + ci·O + oc], each U[ξ] a C × O matrix (the
    /// forward product's right-hand side). `flipped`: g is instead the kernel [C, O, 3, 3] of the
    /// convolution this one is the input gradient of, used transposed and rotated 180° as it
    /// stands (no flipped copy).
    func transformKernel(_ g: UnsafePointer<Float>, inputs: Range<Int>, into u: UnsafeMutablePointer<Float>, flipped: Bool) {
        if flipped {
            lode_winograd_kernel(Int32(Self.outputTile), g, c, o, inputs.lowerBound, inputs.upperBound, u, kernelStride, 1)
        } else {
            lode_winograd_kernel(Int32(Self.outputTile), g, o, c, inputs.lowerBound, inputs.upperBound, u, kernelStride, 0)
        }
    }

    /// dg = Gᵀ·dU·G, the adjoint of `transformKernel`, for the (output, input) channel pairs
    /// `pairs` (pair index oc·C + ci): du [positions, O, C] (positions kernelStride apart) →
    /// dg [O, C, 3, 3], by CLodeKernels.
    func kernelGradient(_ du: UnsafePointer<Float>, pairs: Range<Int>, into dg: UnsafeMutablePointer<Float>) {
        lode_winograd_kernel_gradient(Int32(Self.outputTile), du, kernelStride, pairs.lowerBound, pairs.upperBound, dg)
    }

    /// V[ξ] = Bᵀ·d·B for the tiles of samples first..<first+count of x [N, channels, H, W] (zero
    /// outside the image), by CLodeKernels (channels in the vector lanes): V[ξ] is a columns ×
    /// channels matrix, v[ξ·positionStride(channels·p) + column·channels + channel], v at the first
    /// sample's first tile.
    func transformInput(_ x: UnsafePointer<Float>, channels: Int, first: Int, count: Int,
                                into v: UnsafeMutablePointer<Float>, columns p: Int) {
        ScratchPool.shared.with(lode_winograd_block_scratch(h, w)) { pad in
            lode_winograd_input(Int32(Self.outputTile), x + first * channels * h * w, channels, count, h, w, v,
                                Self.positionStride(channels * p), pad)
        }
    }

    /// dM = A·dY·Aᵀ per tile for dY [N, O, H, W] (zero outside the image): the adjoint of
    /// `transformOutput`; dM[ξ] is a columns × O matrix (laid out as V, positions
    /// positionStride(O·p) apart).
    func transformOutputGradient(_ gy: UnsafePointer<Float>, first: Int, count: Int, into dm: UnsafeMutablePointer<Float>,
                                 columns p: Int) {
        ScratchPool.shared.with(lode_winograd_block_scratch(h, w)) { pad in
            lode_winograd_output_gradient(Int32(Self.outputTile), gy + first * o * h * w, o, count, h, w, dm,
                                          Self.positionStride(o * p), pad)
        }
    }

    /// out[first + s] = Aᵀ·M·A per tile (+ bias, then ReLU when `relu`) for M laid out as V (a
    /// columns × O matrix per position, m at the first sample's first tile), by CLodeKernels with
    /// the output channels in the vector lanes.
    func transformOutput(_ m: UnsafePointer<Float>, bias: UnsafePointer<Float>?, first: Int, count: Int,
                         into out: UnsafeMutablePointer<Float>, columns p: Int, relu: Bool) {
        ScratchPool.shared.with(lode_winograd_block_scratch(h, w)) { pad in
            lode_winograd_output(Int32(Self.outputTile), m, o, count, h, w, bias, out + first * o * h * w,
                                 Self.positionStride(o * p), pad, relu ? 1 : 0)
        }
    }

    /// M[ξ] = V[ξ]·U[ξ] for every position: p columns, v and m laid out by the transforms.
    func multiply(_ v: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, into m: UnsafeMutablePointer<Float>,
                  columns p: Int, positions: Range<Int>) {
        let (vs, ms) = (Self.positionStride(c * p), Self.positionStride(o * p))
        for xi in positions {
            lode_winograd_product(v + xi * vs, c, kernel + xi * kernelStride, o, p, o, c, m + xi * ms, o)
        }
    }

    func forEachGroup(_ body: (_ group: Int, _ first: Int, _ count: Int) -> Void) {
        let size = groupSize
        parallelRange(groupCount) { range in
            for g in range { body(g, g * size, min(size, n - g * size)) }
        }
    }

    /// Whether the whole batch's transformed tiles go into one panel per tile position, so each
    /// position is a single GEMM with n·tiles columns (the positions spread over the cores),
    /// rather than one GEMM per position and group of samples. On small maps a group has few
    /// tiles: its GEMMs are narrow, and every group reads all transformed kernels again
    /// (positions·O·C floats: 16 MB at 512 channels). The panels must fit the scratch budget.
    var batchPanels: Bool {
        let fits = Self.positions * (c + o) * n * tiles <= Convolution.batchPanelBudget
        switch Convolution.panels {
        case .groups: return false
        case .batch: return fits
        case .automatic: return fits && groupSize * tiles < Self.batchPanelTiles
        }
    }

    /// The weight gradient's panels: its GEMMs reduce over the columns, so small per-group panels
    /// make short reductions and partial sums to add. `automatic` takes the whole batch on maps of
    /// fewer than 16 tiles a sample (measured at F(4×4), batch 32, two threads: 2.4× faster on
    /// 8×8 maps at 256 channels; groups 1.2× faster on 16×16 at 128 and 1.4× on 32×32 at 64).
    var weightGradientBatchPanels: Bool {
        let fits = Self.positions * (c + o) * n * tiles <= Convolution.batchPanelBudget
        switch Convolution.panels {
        case .groups: return false
        case .batch: return fits
        case .automatic: return fits && tiles < 16
        }
    }
}

struct WinogradGeometry: WinogradTiling {
    static let outputTile = 2
    /// Measured (`lode bench conv`, batch 32, two threads): batch panels win on 4×4 maps (groups
    /// of 8 samples: 32 tiles; 1.2× forward, 2× backward) and lose slightly on 8×8 (128 tiles).
    static let batchPanelTiles = 128
    let n, c, o, h, w: Int

    init(_ geo: ConvGeometry) {
        (n, c, o, h, w) = (geo.n, geo.c, geo.o, geo.h, geo.w)
    }
}

/// The forward pass by Winograd on raw buffers: out = W ⋆ x + b (3×3, stride 1, padding 1).
/// With `cachingKernel` the transformed kernels come from (and go to) `WinogradKernelCache`:
/// for weights that stay the same from call to call (inference). `flippedKernel`: pw is the
/// kernel of the convolution this one is the input gradient of (see `transformKernel`).
/// `thenReLU`: max(·, 0) applied as the output transform writes. `kernelScale` [O] (cached
/// kernels only): the kernel of output channel oc multiplied by kernelScale[oc] before it is
/// transformed, once for the cache — a BatchNorm folded in without a folded copy of W per call,
/// with the floats of the folded copy.
func winogradForward<Tiling: WinogradTiling>(_ wg: Tiling, input px: UnsafePointer<Float>, weight pw: UnsafePointer<Float>,
                                             bias pb: UnsafePointer<Float>?, output po: UnsafeMutablePointer<Float>,
                                             cachingKernel: Bool, flippedKernel: Bool = false, thenReLU: Bool = false,
                                             kernelScale: UnsafePointer<Float>? = nil) {
    let (c, o, positions) = (wg.c, wg.o, Tiling.positions)
    precondition(kernelScale == nil || (cachingKernel && !flippedKernel), "a kernel scale is for cached forward kernels")
    let transform = { (kernel: UnsafeMutablePointer<Float>) in
        guard let kernelScale else {
            parallelRange(c) { inputs in wg.transformKernel(pw, inputs: inputs, into: kernel, flipped: flippedKernel) }
            return
        }
        // The same products as Tensor.scaledPerChannel on W's [1, O, C·9] view.
        let scaled = UnsafeMutablePointer<Float>.allocate(capacity: o * c * 9)
        defer { scaled.deallocate() }
        parallelRange(o) { outputs in
            for oc in outputs { for i in 0..<(c * 9) { scaled[oc * c * 9 + i] = pw[oc * c * 9 + i] * kernelScale[oc] } }
        }
        parallelRange(c) { inputs in wg.transformKernel(scaled, inputs: inputs, into: kernel, flipped: false) }
    }
    // The cache knows kernels by their weights alone, so it holds forward kernels only.
    if cachingKernel && !flippedKernel {
        WinogradKernelCache.shared.with(tile: Tiling.outputTile, kernelFloats: positions * wg.kernelStride, o: o, c: c, weight: pw,
                                        scale: kernelScale, transform: transform) { kernel in
            winogradForward(wg, input: px, transformedKernel: kernel, bias: pb, output: po, relu: thenReLU)
        }
        return
    }
    let kernel = UnsafeMutablePointer<Float>.allocate(capacity: positions * wg.kernelStride)
    defer { kernel.deallocate() }
    transform(kernel)
    winogradForward(wg, input: px, transformedKernel: kernel, bias: pb, output: po, relu: thenReLU)
}

/// The forward pass from transformed kernels: transform the tiles, one product per tile position,
/// transform back; per group of samples, or over the whole batch at once (`batchPanels`).
private func winogradForward<Tiling: WinogradTiling>(_ wg: Tiling, input px: UnsafePointer<Float>,
                                                     transformedKernel kernel: UnsafePointer<Float>,
                                                     bias pb: UnsafePointer<Float>?, output po: UnsafeMutablePointer<Float>,
                                                     relu: Bool) {
    let (c, o, positions) = (wg.c, wg.o, Tiling.positions)
    if wg.batchPanels {
        let p = wg.n * wg.tiles
        wg.withPanels(columns: p) { v, m in
            wg.forEachGroup { _, first, count in
                wg.transformInput(px, channels: c, first: first, count: count, into: v + first * wg.tiles * c, columns: p)
            }
            parallelRange(positions) { range in wg.multiply(v, kernel, into: m, columns: p, positions: range) }
            wg.forEachGroup { _, first, count in
                wg.transformOutput(m + first * wg.tiles * o, bias: pb, first: first, count: count, into: po, columns: p,
                                   relu: relu)
            }
        }
        return
    }
    wg.forEachGroup { _, first, count in
        let p = count * wg.tiles
        wg.withPanels(columns: p) { v, m in
            wg.transformInput(px, channels: c, first: first, count: count, into: v, columns: p)
            wg.multiply(v, kernel, into: m, columns: p, positions: 0..<positions)
            wg.transformOutput(m, bias: pb, first: first, count: count, into: po, columns: p, relu: relu)
        }
    }
}

/// The forward pass by F(2×2, 3×3).
func winogradConvolve(_ geo: ConvGeometry, input px: UnsafePointer<Float>, weight pw: UnsafePointer<Float>,
                      bias pb: UnsafePointer<Float>?, output po: UnsafeMutablePointer<Float>, cachingKernel: Bool,
                      thenReLU: Bool, kernelScale: UnsafePointer<Float>?) {
    winogradForward(WinogradGeometry(geo), input: px, weight: pw, bias: pb, output: po, cachingKernel: cachingKernel,
                    thenReLU: thenReLU, kernelScale: kernelScale)
}

/// dX of a Winograd-shaped convolution: the full convolution of dY with geometry `full` (dY's
/// channels in, x's out), whose kernel is the forward weight w [full.c, full.o, 3, 3] transposed
/// and rotated 180°, transformed straight from w.
func winogradInputGradient(_ full: ConvGeometry, outputGradient pg: UnsafePointer<Float>, weight pw: UnsafePointer<Float>,
                           into px: UnsafeMutablePointer<Float>) {
    if full.winogradTile == 4 {
        winogradForward(WinogradF4Geometry(full), input: pg, weight: pw, bias: nil, output: px, cachingKernel: false,
                        flippedKernel: true)
    } else {
        winogradForward(WinogradGeometry(full), input: pg, weight: pw, bias: nil, output: px, cachingKernel: false,
                        flippedKernel: true)
    }
}

/// dW [O, C, 3, 3] of a Winograd-shaped convolution from x and dY, by the tiling the forward pass
/// used (`winogradTile`): dU[ξ] = dM[ξ]·V[ξ]ᵀ
/// with dM = A·dY·Aᵀ, then dW = Gᵀ·dU·G. The products run in CLodeKernels
/// (`lode_winograd_gradient_product`) on the transforms' layouts, with no packing copies. With batch panels each position is one GEMM whose
/// reduction runs over the whole batch; otherwise each group of samples adds a partial dU and the
/// partials are summed in group order (the same floats whichever core ran which group).
func winogradWeightGradient(_ geo: ConvGeometry, input px: UnsafePointer<Float>, outputGradient pg: UnsafePointer<Float>,
                            into gw: UnsafeMutablePointer<Float>) {
    if geo.winogradTile == 4 {
        winogradWeightGradient(WinogradF4Geometry(geo), input: px, outputGradient: pg, into: gw)
    } else {
        winogradWeightGradient(WinogradGeometry(geo), input: px, outputGradient: pg, into: gw)
    }
}

private func winogradWeightGradient<Tiling: WinogradTiling>(_ wg: Tiling, input px: UnsafePointer<Float>,
                                                            outputGradient pg: UnsafePointer<Float>,
                                                            into gw: UnsafeMutablePointer<Float>) {
    let (c, o, positions) = (wg.c, wg.o, Tiling.positions)
    let size = positions * wg.kernelStride
    if wg.weightGradientBatchPanels {
        let p = wg.n * wg.tiles
        let du = UnsafeMutablePointer<Float>.allocate(capacity: size)
        defer { du.deallocate() }
        wg.withPanels(columns: p) { v, dm in
            wg.forEachGroup { _, first, count in
                wg.transformInput(px, channels: c, first: first, count: count, into: v + first * wg.tiles * c, columns: p)
                wg.transformOutputGradient(pg, first: first, count: count, into: dm + first * wg.tiles * o, columns: p)
            }
            parallelRange(positions) { range in wg.multiplyGradient(dm, v, into: du, columns: p, positions: range) }
        }
        parallelRange(o * c, grain: 1024) { pairs in wg.kernelGradient(du, pairs: pairs, into: gw) }
        return
    }
    let groups = wg.groupCount
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: groups * size)
    defer { partials.deallocate() }
    wg.forEachGroup { group, first, count in
        let p = count * wg.tiles
        wg.withPanels(columns: p) { v, dm in
            let du = partials + group * size
            wg.transformInput(px, channels: c, first: first, count: count, into: v, columns: p)
            wg.transformOutputGradient(pg, first: first, count: count, into: dm, columns: p)
            wg.multiplyGradient(dm, v, into: du, columns: p, positions: 0..<positions)
        }
    }
    // Summed in group order, split over the cores by position in dU.
    parallelRange(size, grain: 1 << 14) { range in
        for g in 1..<max(groups, 1) {
            let src = partials + g * size
            for i in range { partials[i] += src[i] }
        }
    }
    parallelRange(o * c, grain: 1024) { pairs in wg.kernelGradient(partials, pairs: pairs, into: gw) }
}
