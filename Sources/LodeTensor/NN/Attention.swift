/// Scaled dot-product multi-head self-attention over tokens x [B, N, D] (no mask):
/// qkv = linear(x) split into `heads` heads of D/heads, softmax(q·kᵀ/√d)·v, then the output
/// projection. Composed from primitives, so its gradient comes from theirs.
public func multiHeadSelfAttention(_ x: Tensor, qkvWeight: Tensor, qkvBias: Tensor?, projectionWeight: Tensor,
                                   projectionBias: Tensor?, heads: Int) throws -> Tensor {
    guard x.rank == 3 else { throw TensorError.shapes("selfAttention", "input must be [B, N, D]", x.shape) }
    let (b, n, d) = (x.shape[0], x.shape[1], x.shape[2])
    guard heads >= 1, d % heads == 0 else {
        throw TensorError(op: "selfAttention", "dimension \(d) is not divisible by \(heads) heads")
    }
    guard qkvWeight.shape == [3 * d, d], projectionWeight.shape == [d, d] else {
        throw TensorError.shapes("selfAttention", "weights must be [3D, D] and [D, D] for input", qkvWeight.shape, projectionWeight.shape, x.shape)
    }
    let hd = d / heads
    // [B, N, 3, H, hd] → [3, B, H, N, hd]
    let qkv = try linear(x, weight: qkvWeight, bias: qkvBias).reshaped([b, n, 3, heads, hd]).permuted([2, 0, 3, 1, 4])
    let q = try qkv.sliced(axis: 0, range: 0..<1).reshaped([b, heads, n, hd])
    let k = try qkv.sliced(axis: 0, range: 1..<2).reshaped([b, heads, n, hd])
    let v = try qkv.sliced(axis: 0, range: 2..<3).reshaped([b, heads, n, hd])
    let scores = try matmul(q, k.transposed(-2, -1)) * (1 / Float(hd).squareRoot())
    let mixed = try matmul(scores.softmax(axis: -1), v)            // [B, H, N, hd]
    let merged = try mixed.transposed(1, 2).reshaped([b, n, d])
    return try linear(merged, weight: projectionWeight, bias: projectionBias)
}
