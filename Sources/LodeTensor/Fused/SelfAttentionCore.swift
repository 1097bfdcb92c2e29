/// The middle of multi-head self-attention, fused: from the packed projection qkv [B, N, 3D]
/// (each token's row holding q, k and v, each split into heads of D/H) to the heads' outputs
/// merged back to [B, N, D]. Per (batch, head) it is three GEMMs reading q, k and v in place
/// (row stride 3D) and writing the output in place (row stride D), with the scale in the GEMM
/// and the softmax in between; the composition it replaces (permute, three slices, a transpose,
/// a scaling, softmax, a matmul and a transpose back) copied every operand and, backward, padded
/// each slice's gradient to the full qkv size. Each (batch, head) runs on one core from start
/// to end, so results are the same bit for bit on any number of cores.
public func selfAttentionCore(_ qkv: Tensor, heads: Int) throws -> Tensor {
    guard qkv.rank == 3, heads >= 1, qkv.shape[2] % (3 * heads) == 0 else {
        throw TensorError.shapes("selfAttention", "packed qkv must be [B, N, 3D] with D divisible by \(heads) heads", qkv.shape)
    }
    let (b, n, d) = (qkv.shape[0], qkv.shape[1], qkv.shape[2] / 3)
    let hd = d / heads, pairs = b * heads, scale = 1 / Float(hd).squareRoot()
    let out = Tensor(uninitialized: [b, n, d])
    // The attention weights [B, H, N, N], kept for the backward pass.
    let weights = TensorStorage(count: pairs * n * n)
    let pq = qkv.pointer, po = out.pointer, pw = weights.pointer
    // Where head h of sample s starts in qkv (its q; k is d further, v 2d) and in the output.
    func qkvBase(_ pair: Int) -> Int { (pair / heads) * n * 3 * d + (pair % heads) * hd }
    func outBase(_ pair: Int) -> Int { (pair / heads) * n * d + (pair % heads) * hd }
    parallelRange(pairs) { r in
        for pair in r {
            let q = pq + qkvBase(pair), k = q + d, v = q + 2 * d, w = pw + pair * n * n
            GEMM.sgemmSerial(transA: false, transB: true, m: n, n: n, k: hd, alpha: scale, a: q, lda: 3 * d,
                             b: k, ldb: 3 * d, c: w, ldc: n)
            for row in 0..<n { softmaxRow(w + row * n, w + row * n, width: n, log: false) }
            GEMM.sgemmSerial(transA: false, transB: false, m: n, n: hd, k: n, a: w, lda: n, b: v, ldb: 3 * d,
                             c: po + outBase(pair), ldc: d)
        }
    }
    return Tensor.result(out, inputs: [qkv]) { g in
        let gqkv = Tensor(uninitialized: qkv.shape)
        let pg = g.pointer, pd = gqkv.pointer, pw = weights.pointer
        parallelRange(pairs) { r in
            ScratchPool.shared.with(n * n) { ds in
                for pair in r {
                    let q = pq + qkvBase(pair), k = q + d, v = q + 2 * d, w = pw + pair * n * n
                    let go = pg + outBase(pair), dq = pd + qkvBase(pair), dk = dq + d, dv = dq + 2 * d
                    // dV = Wᵀ·dO and dW = dO·Vᵀ
                    GEMM.sgemmSerial(transA: true, transB: false, m: n, n: hd, k: n, a: w, lda: n, b: go, ldb: d,
                                     c: dv, ldc: 3 * d)
                    GEMM.sgemmSerial(transA: false, transB: true, m: n, n: n, k: hd, a: go, lda: d, b: v, ldb: 3 * d,
                                     c: ds, ldc: n)
                    // Through the softmax: dS = W·(dW − Σ dW·W), row by row.
                    for row in 0..<n {
                        let s = ds + row * n, y = w + row * n
                        var dot: Float = 0
                        for i in 0..<n { dot += s[i] * y[i] }
                        for i in 0..<n { s[i] = y[i] * (s[i] - dot) }
                    }
                    // Through the scaled product: dQ = scale·dS·K, dK = scale·dSᵀ·Q.
                    GEMM.sgemmSerial(transA: false, transB: false, m: n, n: hd, k: n, alpha: scale, a: ds, lda: n,
                                     b: k, ldb: 3 * d, c: dq, ldc: 3 * d)
                    GEMM.sgemmSerial(transA: true, transB: false, m: n, n: hd, k: n, alpha: scale, a: ds, lda: n,
                                     b: q, ldb: 3 * d, c: dk, ldc: 3 * d)
                }
            }
        }
        return [gqkv]
    }
}
