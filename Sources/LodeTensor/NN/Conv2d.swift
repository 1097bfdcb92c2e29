import CLodeKernels

/// 2-D convolution (cross-correlation, as PyTorch) by im2col + GEMM (3×3 stride-1 layers may
/// take Winograd instead: Winograd.swift).
///
/// The batch is split over the cores; each worker unfolds a group of samples into a column
/// panel [C·kh·kw, group·L] (L = output pixels) and runs one single-threaded GEMM with all of
/// them, so late layers with tiny images still get wide GEMMs. Backward uses the same panels:
/// dW += dY·colᵀ per worker (summed at the end), dcol = Wᵀ·dY folded back into dx.
struct ConvGeometry {
    let n, c, h, w, o, kh, kw, stride, padding, oh, ow: Int
    var k: Int { c * kh * kw }
    var l: Int { oh * ow }

    /// Samples per column panel: keeps each worker's panel near 16 MB.
    var group: Int { max(1, min(n, (1 << 22) / max(1, k * l))) }

    /// col[r, s·L + p] = x[s0+s, c, oh·stride − pad + ki, ow·stride − pad + kj], r = (c·kh + ki)·kw + kj.
    /// A row of col is `columns` floats long (count·L for a group's own panel, more when col
    /// points into a panel of the whole batch).
    func im2col(_ x: UnsafePointer<Float>, first: Int, count: Int, into col: UnsafeMutablePointer<Float>, columns: Int? = nil) {
        // Compiled per CPU path in CLodeKernels (16 float lanes on AVX-512 instead of Swift's 4).
        var shape = LodeConvShape(c: c, h: h, w: w, kh: kh, kw: kw, stride: stride, padding: padding, oh: oh, ow: ow)
        lode_im2col(&shape, x, first, count, col, columns ?? count * l)
    }

    /// Adds the column panel back into dx (the adjoint of im2col).
    func col2im(_ col: UnsafePointer<Float>, first: Int, count: Int, into dx: UnsafeMutablePointer<Float>, columns: Int? = nil) {
        var shape = LodeConvShape(c: c, h: h, w: w, kh: kh, kw: kw, stride: stride, padding: padding, oh: oh, ow: ow)
        lode_col2im(&shape, col, first, count, dx, columns ?? count * l)
    }

    /// Samples per group: at least two groups per core, so the batch spreads evenly even on a
    /// busy machine.
    var groupSize: Int { max(1, min(group, (n + 2 * parallelWorkers - 1) / (2 * parallelWorkers))) }
    var groupCount: Int { (n + groupSize - 1) / groupSize }

    /// Whether im2col runs over the whole batch at once: one column panel [C·kh·kw, N·L] and one
    /// GEMM split over the cores, instead of a panel and GEMM per group of samples. On small
    /// output maps a group's GEMM is narrow and reads the whole weight again per group; the
    /// weight gradient then also needs no per-group partial sums. The panels must fit the
    /// scratch budget. Measured with `lode bench conv` (rows marked +batch).
    var batchPanels: Bool {
        let fits = (2 * k + o) * n * l <= Convolution.batchPanelBudget
        switch Convolution.panels {
        case .groups: return false
        case .batch: return fits
        case .automatic: return fits && groupSize * l < Convolution.batchPanelColumns
        }
    }

    /// Copies y [O, count·L] (rows `columns` long) into out [first + s, O, L], adding the bias.
    func scatterOutput(_ y: UnsafePointer<Float>, bias: UnsafePointer<Float>?, first: Int, count: Int, columns: Int,
                       into out: UnsafeMutablePointer<Float>) {
        for s in 0..<count { for oc in 0..<o {
            let dst = out + ((first + s) * o + oc) * l, src = y + oc * columns + s * l
            let b = bias?[oc] ?? 0
            for p in 0..<l { dst[p] = src[p] + b }
        } }
    }

    /// The adjoint copy: dY [first + s, O, L] into g [O, count·L] (rows `columns` long).
    func gatherOutputGradient(_ dy: UnsafePointer<Float>, first: Int, count: Int, columns: Int, into g: UnsafeMutablePointer<Float>) {
        for s in 0..<count { for oc in 0..<o {
            (g + oc * columns + s * l).update(from: dy + ((first + s) * o + oc) * l, count: l)
        } }
    }

    /// Runs `body(group, first, count)` over groups of samples (group < groupCount); idle cores
    /// pull the next group.
    func forEachGroup(_ body: (_ group: Int, _ first: Int, _ count: Int) -> Void) {
        let size = groupSize
        parallelRange(groupCount) { range in
            for g in range { body(g, g * size, min(size, n - g * size)) }
        }
    }
}

/// How 3×3 convolutions with stride 1 and padding 1 are computed: `automatic` takes Winograd
/// where `lode bench conv` measured it faster than im2col + GEMM; the others force one way
/// (benchmarks and tests compare them). `winograd` is F(2×2, 3×3) throughout, `winograd4x4`
/// F(4×4, 3×3) throughout (forward pass, input gradient, weight gradient). Other shapes always
/// use im2col.
public enum ConvolutionAlgorithm: String, Sendable, CaseIterable {
    case automatic, im2col, winograd, winograd4x4
}

/// How a convolution lays out its GEMMs: `groups` runs one GEMM (per Winograd tile position)
/// for each group of samples on one core, `batch` one GEMM over the whole batch split over the
/// cores (per tile position for Winograd), `automatic` takes `batch` where a group would have
/// fewer than `Convolution.batchPanelColumns` output pixels (im2col) or
/// `WinogradTiling.batchPanelTiles` tiles.
public enum ConvolutionPanels: String, Sendable, CaseIterable {
    case automatic, groups, batch
}

/// The convolution algorithm in use (process-wide, like `Threads`).
public enum Convolution {
    nonisolated(unsafe) public static var algorithm = ConvolutionAlgorithm.automatic
    nonisolated(unsafe) public static var panels = ConvolutionPanels.automatic
    /// `automatic` im2col takes batch panels below this many output pixels per group of samples.
    /// Measured with `lode bench conv` (batch 32, two threads, groups of 8 samples): per-group
    /// panels are as fast or faster on every im2col layer of SSGSNet, down to the 4×4 outputs
    /// of layers.3 (128 columns a group; 1.6× forward on the stride-2 conv1). Winograd has its
    /// own limit per tile size (`WinogradTiling.batchPanelTiles`).
    static let batchPanelColumns = 128
    /// Largest set of batch panels, in floats (columns and products, or transformed input and
    /// output of every tile position): 64 MB.
    static let batchPanelBudget = 1 << 24

    /// What `automatic` runs for a 3×3, stride-1, padding-1 convolution of this shape.
    public static func automaticChoice(inputChannels: Int, outputChannels: Int, height: Int, width: Int) -> ConvolutionAlgorithm {
        let geo = ConvGeometry(n: 1, c: inputChannels, h: height, w: width, o: outputChannels, kh: 3, kw: 3, stride: 1,
                               padding: 1, oh: height, ow: width)
        return choice(tile: geo.winogradPays ? (geo.winograd4x4Pays ? 4 : 2) : nil)
    }

    /// What `automatic` runs for the forward pass of such a convolution at inference, with its
    /// transformed kernel cached (`cachedWinogradTile`); training and the gradients keep
    /// `automaticChoice`.
    public static func automaticInferenceChoice(inputChannels: Int, outputChannels: Int, height: Int, width: Int) -> ConvolutionAlgorithm {
        let geo = ConvGeometry(n: 1, c: inputChannels, h: height, w: width, o: outputChannels, kh: 3, kw: 3, stride: 1,
                               padding: 1, oh: height, ow: width)
        return choice(tile: geo.winogradShaped && geo.cachedWinograd4x4Pays ? 4 : nil)
    }

    private static func choice(tile: Int?) -> ConvolutionAlgorithm {
        switch tile {
        case 4: return .winograd4x4
        case 2: return .winograd
        default: return .im2col
        }
    }

    /// The panels `automatic` gives a convolution of this shape and batch on a square map run by
    /// `algorithm` (for Winograd: the forward pass and input gradient; the weight gradient has its
    /// own rule, `WinogradTiling.weightGradientBatchPanels`).
    public static func automaticPanels(batch: Int, inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int,
                                       padding: Int, size: Int, algorithm: ConvolutionAlgorithm) -> ConvolutionPanels {
        let out = (size + 2 * padding - kernel) / stride + 1
        let geo = ConvGeometry(n: batch, c: inputChannels, h: size, w: size, o: outputChannels, kh: kernel, kw: kernel,
                               stride: stride, padding: padding, oh: out, ow: out)
        let saved = panels
        defer { panels = saved }
        panels = .automatic
        let batchWide: Bool
        switch algorithm {
        case .winograd4x4: batchWide = WinogradF4Geometry(geo).batchPanels
        case .winograd: batchWide = WinogradGeometry(geo).batchPanels
        case .im2col, .automatic: batchWide = geo.batchPanels
        }
        return batchWide ? .batch : .groups
    }
}

extension ConvGeometry {
    var winogradShaped: Bool { kh == 3 && kw == 3 && stride == 1 && padding == 1 }

    /// Whether this convolution (forward, or the input gradient's full convolution) runs by
    /// Winograd, and with which output tile (2 or 4); the weight gradient runs by the same tile.
    /// The automatic rule comes from `lode bench conv`: see `winogradPays`.
    var winogradTile: Int? {
        guard winogradShaped else { return nil }
        switch Convolution.algorithm {
        case .im2col: return nil
        case .winograd: return 2
        case .winograd4x4: return 4
        case .automatic: return winogradPays ? (winograd4x4Pays ? 4 : 2) : nil
        }
    }
    var usesWinograd: Bool { winogradTile != nil }

    /// The tile of a forward pass whose transformed kernel is cached (inference: nothing records
    /// a gradient). With the kernel transform paid once, F(4×4) wins wherever the map has 4×4
    /// pixels and the kernel 32 outputs: `lode bench infer` per layer, batch 32, two threads,
    /// 512 channels on 4×4 maps 6.8 against 9.2 ms by F(2×2) (one 6×6 tile per sample, all 32
    /// in one product per tile position), and the 15-channel stem on 32×32 5.0 against 6.3 ms by
    /// im2col. Training keeps `winogradTile`: there the larger transformed kernel is made anew
    /// every step and F(4×4)'s weight gradient is slower on 4×4 maps.
    var cachedWinogradTile: Int? {
        guard winogradShaped, Convolution.algorithm == .automatic else { return winogradTile }
        return cachedWinograd4x4Pays ? 4 : nil
    }
    var cachedWinograd4x4Pays: Bool { c >= 8 && o >= 32 && h * w >= 16 }

    /// Measured with `lode bench conv` on the paper's shapes (batch 32, two threads, best of 5):
    /// Winograd wins where the kernel has at least 32 outputs and 8 inputs and the map at least
    /// 4×4 pixels (F(2×2): 1.3–2.4× im2col at 64 channels on 32×32 up to 256 on 8×8; on 4×4 maps
    /// at 512 channels, 2.9× forward and 1.8× backward once the GEMMs run over the whole batch;
    /// the 15-channel stem by F(4×4), 2.7× forward and 1.3× backward). F(4×4) beats F(2×2) from
    /// 8×8 maps up (1.1× at 256 channels on 8×8, 1.5× at 64 on 32×32 and 128 on 16×16, forward;
    /// the transforms keep the channels in the vector lanes) but not on 4×4, where a plane is one
    /// tile and half of each 6×6 input tile is padding.
    var winogradPays: Bool { c >= 8 && o >= 32 && h * w >= 16 }
    var winograd4x4Pays: Bool { h * w >= 64 }
}

/// The forward pass of `conv2d` on raw buffers (no checks, no tape): out = W ⋆ x + b, then
/// max(·, 0) when `thenReLU` (as Tensor.relu; Winograd applies it as it writes). With
/// `cachingKernel` (weights that will not change before the next call: nothing records their
/// gradient) Winograd keeps its transformed kernels in `WinogradKernelCache`.
func convolve(_ geo: ConvGeometry, input px: UnsafePointer<Float>, weight pw: UnsafePointer<Float>,
              bias pb: UnsafePointer<Float>?, output po: UnsafeMutablePointer<Float>, cachingKernel: Bool = false,
              thenReLU: Bool = false, kernelScale: UnsafePointer<Float>? = nil) {
    if let tile = cachingKernel ? geo.cachedWinogradTile : geo.winogradTile {
        let run = tile == 4 ? winogradF4Convolve : winogradConvolve
        run(geo, px, pw, pb, po, cachingKernel, thenReLU, kernelScale)
        return
    }
    precondition(kernelScale == nil, "a kernel scale is for cached Winograd kernels")
    im2colConvolve(geo, input: px, weight: pw, bias: pb, output: po)
    if thenReLU {
        parallelRange(geo.n * geo.o * geo.l, grain: 1 << 14) { r in
            for i in r { po[i] = po[i] > 0 ? po[i] : 0 }
        }
    }
}

/// The forward pass by im2col and GEMM.
private func im2colConvolve(_ geo: ConvGeometry, input px: UnsafePointer<Float>, weight pw: UnsafePointer<Float>,
                            bias pb: UnsafePointer<Float>?, output po: UnsafeMutablePointer<Float>) {
    let (o, k, l) = (geo.o, geo.k, geo.l)
    if geo.batchPanels {
        let p = geo.n * l
        ScratchPool.shared.with(k * p + o * p) { scratch in
            let col = scratch, prod = scratch + k * p
            geo.forEachGroup { _, first, count in geo.im2col(px, first: first, count: count, into: col + first * l, columns: p) }
            GEMM.sgemm(transA: false, transB: false, m: o, n: p, k: k, a: pw, lda: k, b: col, ldb: p, c: prod, ldc: p)
            geo.forEachGroup { _, first, count in
                geo.scatterOutput(prod + first * l, bias: pb, first: first, count: count, columns: p, into: po)
            }
        }
        return
    }
    geo.forEachGroup { _, first, count in
        let width = count * l
        ScratchPool.shared.with(k * width + o * width) { scratch in
            let col = scratch, prod = scratch + k * width
            geo.im2col(px, first: first, count: count, into: col)
            GEMM.sgemmSerial(transA: false, transB: false, m: o, n: width, k: k, a: pw, lda: k, b: col, ldb: width,
                       c: prod, ldc: width)
            // prod is [O, count·L]; out wants [count, O, L].
            geo.scatterOutput(prod, bias: pb, first: first, count: count, columns: width, into: po)
        }
    }
}

/// dW (into gw, overwritten) and dx (added into gx) of an im2col convolution with the whole
/// batch in one panel: dW = dY·colᵀ is one GEMM with the batch as its reduction (split over the
/// cores by rows or columns of dW, so the same floats on any thread count), dcol = Wᵀ·dY one
/// more, folded back per group of samples.
func im2colBackwardOverBatch(_ geo: ConvGeometry, input px: UnsafePointer<Float>, weight pw: UnsafePointer<Float>,
                             outputGradient pg: UnsafePointer<Float>, weightGradient gw: UnsafeMutablePointer<Float>?,
                             inputGradient gx: UnsafeMutablePointer<Float>?) {
    let (o, k, l) = (geo.o, geo.k, geo.l)
    let p = geo.n * l
    ScratchPool.shared.with(2 * k * p + o * p) { scratch in
        let gmat = scratch, col = scratch + o * p, gcol = col + k * p
        geo.forEachGroup { _, first, count in
            geo.gatherOutputGradient(pg, first: first, count: count, columns: p, into: gmat + first * l)
            if gw != nil { geo.im2col(px, first: first, count: count, into: col + first * l, columns: p) }
        }
        if let gw {
            GEMM.sgemm(transA: false, transB: true, m: o, n: k, k: p, a: gmat, lda: p, b: col, ldb: p, c: gw, ldc: k)
        }
        if let gx {
            GEMM.sgemm(transA: true, transB: false, m: k, n: p, k: o, a: pw, lda: k, b: gmat, ldb: p, c: gcol, ldc: p)
            geo.forEachGroup { _, first, count in
                geo.col2im(gcol + first * l, first: first, count: count, into: gx, columns: p)
            }
        }
    }
}

/// Convolution of x [N, C, H, W] with weight [O, C, kh, kw] (+ bias [O]) → [N, O, Ho, Wo].
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) throws -> Tensor {
    try conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, thenReLU: false)
}

/// conv2d, then ReLU when `thenReLU`: applied as the convolution writes its output when nothing
/// records a gradient (inference), else as its own op. With `kernelScale` [O] the kernel of
/// output channel oc is multiplied by kernelScale[oc] first (a BatchNorm folded in): at
/// inference on the cached Winograd path inside the cached transformed kernel, once; otherwise
/// on a scaled copy of the weight, with its gradient.
func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int, thenReLU: Bool,
            kernelScale: Tensor? = nil) throws -> Tensor {
    let records = isGradientRecordingEnabled && (x.tracksGradient || weight.tracksGradient || bias?.tracksGradient == true
                                                 || kernelScale?.tracksGradient == true)
    if thenReLU && records {
        return try conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, thenReLU: false,
                          kernelScale: kernelScale).relu()
    }
    guard x.rank == 4, weight.rank == 4 else {
        throw TensorError.shapes("conv2d", "input must be [N, C, H, W] and weight [O, C, kh, kw]", x.shape, weight.shape)
    }
    guard x.shape[1] == weight.shape[1] else {
        throw TensorError.shapes("conv2d", "input has \(x.shape[1]) channels but weight expects \(weight.shape[1])", x.shape, weight.shape)
    }
    guard stride >= 1, padding >= 0 else { throw TensorError(op: "conv2d", "stride \(stride) / padding \(padding) invalid") }
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
    let oh = (h + 2 * padding - kh) / stride + 1, ow = (w + 2 * padding - kw) / stride + 1
    guard h + 2 * padding >= kh, w + 2 * padding >= kw else {
        throw TensorError.shapes("conv2d", "kernel larger than padded input", x.shape, weight.shape)
    }
    if let bias, bias.shape != [o] { throw TensorError.shapes("conv2d", "bias must be [\(o)]", bias.shape) }
    let geo = ConvGeometry(n: n, c: c, h: h, w: w, o: o, kh: kh, kw: kw, stride: stride, padding: padding, oh: oh, ow: ow)
    if let kernelScale {
        guard kernelScale.shape == [o] else { throw TensorError.shapes("conv2d", "kernel scale must be [\(o)]", kernelScale.shape) }
        if records || geo.cachedWinogradTile == nil {
            // Each output channel's kernels scaled in one contiguous pass (on [1, O, C, kh·kw] views).
            let scaled = try weight.reshaped([1, o, c, kh * kw]).scaledPerChannel(kernelScale.reshaped([1, o])).reshaped(weight.shape)
            return try conv2d(x, weight: scaled, bias: bias, stride: stride, padding: padding, thenReLU: thenReLU)
        }
    }
    let out = Tensor(uninitialized: [n, o, oh, ow])
    let px = x.pointer, pw = weight.pointer
    let k = geo.k, l = geo.l
    // Inference (nothing records) reuses transformed kernels; training transforms afresh, as
    // the optimiser changes the weights every step.
    let inference = !isGradientRecordingEnabled || !weight.tracksGradient
    convolve(geo, input: px, weight: pw, bias: bias?.pointer, output: out.pointer, cachingKernel: inference,
             thenReLU: thenReLU, kernelScale: kernelScale?.pointer)
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.result(out, inputs: inputs) { g in
        let needX = x.tracksGradient, needW = weight.tracksGradient
        // Stride 1: dx is the full convolution of dY with the flipped, transposed kernel, one
        // more im2col + GEMM with a deep (O·kh·kw) reduction instead of a shallow one + col2im.
        let viaFullConvolution = needX && stride == 1 && kh == kw && padding <= kh - 1
        var gx: Tensor?
        let full = ConvGeometry(n: n, c: o, h: oh, w: ow, o: c, kh: kh, kw: kw, stride: 1,
                                padding: kh - 1 - padding, oh: h, ow: w)
        if viaFullConvolution && full.usesWinograd {
            // Winograd transforms the kernel straight from W, transposed and rotated as it reads.
            let t = Tensor(uninitialized: x.shape)
            winogradInputGradient(full, outputGradient: g.pointer, weight: pw, into: t.pointer)
            gx = t
        } else if viaFullConvolution {
            let flipped = Tensor(uninitialized: [c, o, kh, kw])
            let pf = flipped.pointer
            // Flipping both axes reverses each kernel's kh·kw values; split over the cores by
            // input channel, in blocks of 16 output × 16 input channels, so both the reads (rows
            // of W, c·kh·kw floats apart) and the writes stay within a few kilobytes.
            let area = kh * kw, block = 16
            parallelRange((c + block - 1) / block, grain: max(1, 4096 / max(1, o * area * block))) { blocks in
                for cb in blocks {
                    let channels = cb * block..<min(c, (cb + 1) * block)
                    for ob in Swift.stride(from: 0, to: o, by: block) {
                        for ci in channels { for oc in ob..<min(o, ob + block) {
                            let src = pw + (oc * c + ci) * area, dst = pf + (ci * o + oc) * area
                            for t in 0..<area { dst[t] = src[area - 1 - t] }
                        } }
                    }
                }
            }
            let t = Tensor(uninitialized: x.shape)
            convolve(full, input: g.pointer, weight: pf, bias: nil, output: t.pointer)
            gx = t
        } else if needX {
            gx = Tensor.zeros(x.shape)
        }
        // Set only when dx still has to come from dcol = Wᵀ·dY folded back by col2im.
        let gxp = viaFullConvolution ? nil : gx?.pointer
        let pg = g.pointer
        if geo.batchPanels && !geo.usesWinograd && (needW || gxp != nil) {
            let gw = needW ? Tensor(uninitialized: weight.shape) : nil
            im2colBackwardOverBatch(geo, input: px, weight: pw, outputGradient: pg, weightGradient: gw?.pointer, inputGradient: gxp)
            var grads: [Tensor?] = [gx, gw]
            if bias != nil { grads.append(reduceKernel(g, axes: [0, 2, 3], initial: 0, +).reshapedUnchecked([o])) }
            return grads
        }
        // One dW partial per group (not per worker), summed in group order: the same floats
        // whichever core ran which group.
        let groups = geo.groupCount
        let winogradWeights = needW && geo.usesWinograd
        var partials = [Tensor?](repeating: nil, count: groups)
        for i in 0..<groups where needW && !winogradWeights { partials[i] = Tensor.zeros(weight.shape) }
        let partialPointers = partials.map { $0?.pointer }
        geo.forEachGroup { group, first, count in
            let width = count * l
            let gwp = partialPointers[group]
            guard gwp != nil || gxp != nil else { return }
            ScratchPool.shared.with(2 * k * width + o * width) { scratch in
                let col = scratch, gcol = scratch + k * width, gmat = scratch + 2 * k * width
                if gwp != nil { geo.im2col(px, first: first, count: count, into: col) }
                // dY of the group as [O, count·L], so dW is one deep GEMM per group.
                geo.gatherOutputGradient(pg, first: first, count: count, columns: width, into: gmat)
                if let gwp {
                    GEMM.sgemmSerial(transA: false, transB: true, m: o, n: k, k: width, a: gmat, lda: width, b: col,
                                     ldb: width, beta: 1, c: gwp, ldc: k)
                }
                if gxp != nil {
                    GEMM.sgemmSerial(transA: true, transB: false, m: k, n: width, k: o, a: pw, lda: k, b: gmat, ldb: width,
                                     c: gcol, ldc: width)
                }
                if let gxp { geo.col2im(gcol, first: first, count: count, into: gxp) }
            }
        }
        var gw: Tensor?
        if winogradWeights {
            let t = Tensor(uninitialized: weight.shape)
            winogradWeightGradient(geo, input: px, outputGradient: pg, into: t.pointer)
            gw = t
        } else if needW, let first = partials[0] {
            for i in 1..<max(groups, 1) { if let p = partials[i] { addInPlace(first, p) } }
            gw = first
        }
        var grads: [Tensor?] = [gx, gw]
        if bias != nil {
            grads.append(reduceKernel(g, axes: [0, 2, 3], initial: 0, +).reshapedUnchecked([o]))
        }
        return grads
    }
}
