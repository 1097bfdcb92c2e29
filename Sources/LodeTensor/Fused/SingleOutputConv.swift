/// Direct convolution for one output channel, stride 1 (CBAM's k×k conv over [mean, max]).
/// im2col + GEMM would unfold C·k² rows per pixel to multiply them by a single row of weights
/// (a matrix-vector product dominated by memory traffic); here every weight tap adds a shifted
/// row span of the input straight into the output.
struct SingleOutputConvGeometry {
    let c, h, w, k, padding, oh, ow: Int

    /// For tap offset `kj`, the output columns whose input column x − pad + kj is inside 0..<w.
    func columns(_ kj: Int) -> Range<Int> { max(0, padding - kj)..<max(max(0, padding - kj), min(ow, w + padding - kj)) }
    func rows(_ ki: Int) -> Range<Int> { max(0, padding - ki)..<max(max(0, padding - ki), min(oh, h + padding - ki)) }
}

/// x [N, C, H, W] ⋆ weight [1, C, k, k] with zero padding, stride 1 → [N, 1, H', W'].
public func singleOutputConv2d(_ x: Tensor, weight: Tensor, padding: Int) throws -> Tensor {
    guard x.rank == 4, weight.rank == 4, weight.shape[0] == 1, weight.shape[1] == x.shape[1], weight.shape[2] == weight.shape[3] else {
        throw TensorError.shapes("singleOutputConv2d", "needs x [N, C, H, W] and weight [1, C, k, k]", x.shape, weight.shape)
    }
    let (n, c, h, w, k) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], weight.shape[2])
    guard padding >= 0, h + 2 * padding >= k, w + 2 * padding >= k else {
        throw TensorError.shapes("singleOutputConv2d", "kernel larger than padded input", x.shape, weight.shape)
    }
    let geo = SingleOutputConvGeometry(c: c, h: h, w: w, k: k, padding: padding, oh: h + 2 * padding - k + 1, ow: w + 2 * padding - k + 1)
    let out = Tensor.zeros([n, 1, geo.oh, geo.ow])
    let px = x.pointer, pw = weight.pointer, po = out.pointer
    parallelRange(n) { r in
        for s in r {
            let dst = po + s * geo.oh * geo.ow
            for ch in 0..<c { for ki in 0..<k { for kj in 0..<k {
                let wt = pw[(ch * k + ki) * k + kj], cols = geo.columns(kj)
                let src = px + (s * c + ch) * h * w
                for y in geo.rows(ki) {
                    let d = dst + y * geo.ow, row = src + (y - padding + ki) * w - padding + kj
                    for xo in cols { d[xo] += wt * row[xo] }
                }
            } } }
        }
    }
    return Tensor.result(out, inputs: [x, weight]) { g in
        let gx = x.tracksGradient ? Tensor.zeros(x.shape) : nil
        let pgx = gx?.pointer, pg = g.pointer
        let taps = c * k * k
        // Per-chunk weight-gradient partials, summed in chunk order at the end.
        let chunks = chunkCount(n)
        let partials = Tensor.zeros([chunks, taps])
        let pp = partials.pointer
        _ = parallelChunks(n) { chunk, r in
            let gw = pp + chunk * taps
            for s in r {
                let gs = pg + s * geo.oh * geo.ow
                for ch in 0..<c { for ki in 0..<k { for kj in 0..<k {
                    let tap = (ch * k + ki) * k + kj, wt = pw[tap], cols = geo.columns(kj)
                    let offset = (s * c + ch) * h * w
                    var acc: Float = 0
                    for y in geo.rows(ki) {
                        let gr = gs + y * geo.ow, shift = (y - padding + ki) * w - padding + kj
                        let row = px + offset + shift
                        for xo in cols { acc += gr[xo] * row[xo] }
                        if let pgx { let d = pgx + offset + shift; for xo in cols { d[xo] += wt * gr[xo] } }
                    }
                    gw[tap] += acc
                } } }
            }
        }
        let gw = Tensor.zeros(weight.shape)
        for chunk in 0..<chunks { for t in 0..<taps { gw.pointer[t] += pp[chunk * taps + t] } }
        return [gx, gw]
    }
}
