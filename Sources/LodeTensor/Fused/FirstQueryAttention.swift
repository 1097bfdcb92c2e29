/// selfAttentionCore for the first query token alone: from the packed projection qkv [B, N, 3D]
/// to the heads' outputs at token 0, [B, 1, D] — what selfAttentionCore(qkv)[:, 0:1] gives,
/// without the other N − 1 rows of scores, softmax and mixing. A transformer whose readout is
/// the [CLS] token (token 0) needs no more than this in its last block: every later layer works
/// token by token. Per (batch, head): scores s_j = q₀·k_j/√d, w = softmax(s), out = Σ_j w_j·v_j;
/// each pair runs on one core from start to end, so results are the same bit for bit on any
/// number of cores.
public func firstQueryAttentionCore(_ qkv: Tensor, heads: Int) throws -> Tensor {
    guard qkv.rank == 3, heads >= 1, qkv.shape[1] >= 1, qkv.shape[2] % (3 * heads) == 0 else {
        throw TensorError.shapes("selfAttention", "packed qkv must be [B, N, 3D] with D divisible by \(heads) heads", qkv.shape)
    }
    let (b, n, d) = (qkv.shape[0], qkv.shape[1], qkv.shape[2] / 3)
    let hd = d / heads, pairs = b * heads, scale = 1 / Float(hd).squareRoot()
    let out = Tensor(uninitialized: [b, 1, d])
    // The attention weights of query 0 [B, H, N], kept for the backward pass.
    let weights = TensorStorage(count: pairs * n)
    let pq = qkv.pointer, po = out.pointer, pw = weights.pointer
    // Where head h of sample s has its query (token 0; its keys are d further, values 2d) and its output.
    func qkvBase(_ pair: Int) -> Int { (pair / heads) * n * 3 * d + (pair % heads) * hd }
    func outBase(_ pair: Int) -> Int { (pair / heads) * d + (pair % heads) * hd }
    // The full core's GEMMs with one query row (m = 1), reading q, k and v in place.
    parallelRange(pairs, grain: 16) { r in
        for pair in r {
            let q = pq + qkvBase(pair), k = q + d, v = q + 2 * d, w = pw + pair * n
            GEMM.sgemmSerial(transA: false, transB: true, m: 1, n: n, k: hd, alpha: scale, a: q, lda: 3 * d,
                             b: k, ldb: 3 * d, c: w, ldc: n)
            softmaxRow(w, w, width: n, log: false)
            GEMM.sgemmSerial(transA: false, transB: false, m: 1, n: hd, k: n, a: w, lda: n, b: v, ldb: 3 * d,
                             c: po + outBase(pair), ldc: d)
        }
    }
    return Tensor.result(out, inputs: [qkv]) { g in
        // Only token 0's query and every key and value receive a gradient; the other queries' stay zero.
        let gqkv = Tensor.zeros(qkv.shape)
        let pg = g.pointer, pd = gqkv.pointer, pw = weights.pointer
        parallelRange(pairs, grain: 16) { r in
            ScratchPool.shared.with(n) { ds in
                for pair in r {
                    let q = pq + qkvBase(pair), k = q + d, v = q + 2 * d, w = pw + pair * n
                    let go = pg + outBase(pair), dq = pd + qkvBase(pair), dk = dq + d, dv = dq + 2 * d
                    // dV = wᵀ·dO (an outer product) and dw = dO·Vᵀ
                    GEMM.sgemmSerial(transA: true, transB: false, m: n, n: hd, k: 1, a: w, lda: n, b: go, ldb: d,
                                     c: dv, ldc: 3 * d)
                    GEMM.sgemmSerial(transA: false, transB: true, m: 1, n: n, k: hd, a: go, lda: d, b: v, ldb: 3 * d,
                                     c: ds, ldc: n)
                    // Through the softmax: ds = w·(dw − Σ dw·w).
                    var dot: Float = 0
                    for j in 0..<n { dot += ds[j] * w[j] }
                    for j in 0..<n { ds[j] = w[j] * (ds[j] - dot) }
                    // Through the scaled product: dq₀ = scale·ds·K, dK = scale·dsᵀ·q₀.
                    GEMM.sgemmSerial(transA: false, transB: false, m: 1, n: hd, k: n, alpha: scale, a: ds, lda: n,
                                     b: k, ldb: 3 * d, c: dq, ldc: 3 * d)
                    GEMM.sgemmSerial(transA: true, transB: false, m: n, n: hd, k: 1, alpha: scale, a: ds, lda: n,
                                     b: q, ldb: 3 * d, c: dk, ldc: 3 * d)
                }
            }
        }
        return [gqkv]
    }
}
