/// Scaled dot-product multi-head self-attention over tokens x [B, N, D] (no mask):
/// qkv = linear(x) split into `heads` heads of D/heads, softmax(q·kᵀ/√d)·v, then the output
/// projection. The middle is `selfAttentionCore`; `attentionHeads` and `attentionWeights`
/// give its parts on their own (readouts, and the tests' unfused composition).
public func multiHeadSelfAttention(_ x: Tensor, qkvWeight: Tensor, qkvBias: Tensor?, projectionWeight: Tensor,
                                   projectionBias: Tensor?, heads: Int) throws -> Tensor {
    try checkAttentionShapes(x, qkvWeight: qkvWeight, heads: heads)
    guard projectionWeight.shape == [x.shape[2], x.shape[2]] else {
        throw TensorError.shapes("selfAttention", "the projection weight must be [D, D] for input", projectionWeight.shape, x.shape)
    }
    let mixed = try selfAttentionCore(linear(x, weight: qkvWeight, bias: qkvBias), heads: heads)   // [B, N, D]
    return try linear(mixed, weight: projectionWeight, bias: projectionBias)
}

/// multiHeadSelfAttention's output at token 0 alone, [B, 1, D]: every token's keys and values,
/// the first token's query (a readout of the [CLS] token needs nothing else from the last block).
public func firstTokenSelfAttention(_ x: Tensor, qkvWeight: Tensor, qkvBias: Tensor?, projectionWeight: Tensor,
                                    projectionBias: Tensor?, heads: Int) throws -> Tensor {
    try checkAttentionShapes(x, qkvWeight: qkvWeight, heads: heads)
    guard projectionWeight.shape == [x.shape[2], x.shape[2]] else {
        throw TensorError.shapes("selfAttention", "the projection weight must be [D, D] for input", projectionWeight.shape, x.shape)
    }
    let mixed = try firstQueryAttentionCore(linear(x, weight: qkvWeight, bias: qkvBias), heads: heads)   // [B, 1, D]
    return try linear(mixed, weight: projectionWeight, bias: projectionBias)
}

private func checkAttentionShapes(_ x: Tensor, qkvWeight: Tensor, heads: Int) throws {
    guard x.rank == 3 else { throw TensorError.shapes("selfAttention", "input must be [B, N, D]", x.shape) }
    let d = x.shape[2]
    guard heads >= 1, d % heads == 0 else {
        throw TensorError(op: "selfAttention", "dimension \(d) is not divisible by \(heads) heads")
    }
    guard qkvWeight.shape == [3 * d, d] else {
        throw TensorError.shapes("selfAttention", "the qkv weight must be [3D, D] for input", qkvWeight.shape, x.shape)
    }
}

/// Queries, keys and values of multi-head attention, each [B, H, N, D/H]: the fused qkv
/// projection of tokens x [B, N, D] split into heads (the reference's reshape and permute).
public func attentionHeads(_ x: Tensor, qkvWeight: Tensor, qkvBias: Tensor?,
                           heads: Int) throws -> (queries: Tensor, keys: Tensor, values: Tensor) {
    try checkAttentionShapes(x, qkvWeight: qkvWeight, heads: heads)
    let (b, n, d) = (x.shape[0], x.shape[1], x.shape[2])
    let hd = d / heads
    // [B, N, 3, H, hd] → [3, B, H, N, hd]
    let qkv = try linear(x, weight: qkvWeight, bias: qkvBias).reshaped([b, n, 3, heads, hd]).permuted([2, 0, 3, 1, 4])
    func part(_ i: Int) throws -> Tensor { try qkv.sliced(axis: 0, range: i..<(i + 1)).reshaped([b, heads, n, hd]) }
    return (try part(0), try part(1), try part(2))
}

/// softmax(q·kᵀ/√d) over the keys: [B, H, N, N], row i holding how much query token i draws
/// on each token.
public func attentionWeights(queries q: Tensor, keys k: Tensor) throws -> Tensor {
    guard q.rank == 4, q.shape == k.shape else {
        throw TensorError.shapes("selfAttention", "queries and keys must both be [B, H, N, d]", q.shape, k.shape)
    }
    return try (matmul(q, k.transposed(-2, -1)) * (1 / Float(q.shape[3]).squareRoot())).softmax(axis: -1)
}
