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
    parallelRange(pairs, grain: 16) { r in
        for pair in r {
            let q = pq + qkvBase(pair), w = pw + pair * n, o = po + outBase(pair)
            for j in 0..<n {
                let k = q + d + j * 3 * d
                var dot: Float = 0
                for t in 0..<hd { dot += q[t] * k[t] }
                w[j] = dot * scale
            }
            softmaxRow(w, w, width: n, log: false)
            for t in 0..<hd { o[t] = 0 }
            for j in 0..<n {
                let v = q + 2 * d + j * 3 * d, wj = w[j]
                for t in 0..<hd { o[t] += wj * v[t] }
            }
        }
    }
    return Tensor.result(out, inputs: [qkv]) { g in
        // Only token 0's query and every key and value receive a gradient; the rest stay zero.
        let gqkv = Tensor.zeros(qkv.shape)
        let pg = g.pointer, pd = gqkv.pointer, pw = weights.pointer
        parallelRange(pairs, grain: 16) { r in
            ScratchPool.shared.with(n) { ds in
                for pair in r {
                    let q = pq + qkvBase(pair), w = pw + pair * n, go = pg + outBase(pair), dq = pd + qkvBase(pair)
                    // dv_j = w_j·dO and dw_j = dO·v_j.
                    for j in 0..<n {
                        let v = q + 2 * d + j * 3 * d, dv = dq + 2 * d + j * 3 * d, wj = w[j]
                        var dot: Float = 0
                        for t in 0..<hd {
                            dv[t] = wj * go[t]
                            dot += go[t] * v[t]
                        }
                        ds[j] = dot
                    }
                    // Through the softmax: ds = w·(dw − Σ dw·w).
                    var total: Float = 0
                    for j in 0..<n { total += ds[j] * w[j] }
                    for j in 0..<n { ds[j] = w[j] * (ds[j] - total) * scale }
                    // Through the scaled products: dq₀ = Σ_j ds_j·k_j, dk_j = ds_j·q₀.
                    for j in 0..<n {
                        let k = q + d + j * 3 * d, dk = dq + d + j * 3 * d, sj = ds[j]
                        for t in 0..<hd {
                            dq[t] += sj * k[t]
                            dk[t] = sj * q[t]
                        }
                    }
                }
            }
        }
        return [gqkv]
    }
}
