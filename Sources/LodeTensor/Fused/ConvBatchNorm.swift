/// Convolution followed by BatchNorm in evaluation mode, as one convolution: with
/// s = γ / √(running variance + ε), BN(W ⋆ x + b) = (s·W) ⋆ x + (β + s·(b − running mean)),
/// so inference skips a full pass over the activations. The folded weight and bias are built
/// with differentiable ops, so gradients (to x, W, b, γ, β) stay those of the composition.
/// `thenReLU`: ReLU(BN(W ⋆ x + b)), applied as the convolution writes when nothing records.
public func conv2dBatchNormFolded(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int,
                                  normWeight: Tensor, normBias: Tensor, runningMean: Tensor, runningVariance: Tensor,
                                  epsilon: Float, thenReLU: Bool = false) throws -> Tensor {
    let o = weight.rank == 4 ? weight.shape[0] : -1
    for (name, t) in [("weight", normWeight), ("bias", normBias), ("runningMean", runningMean), ("runningVariance", runningVariance)] {
        guard t.shape == [o] else {
            throw TensorError.shapes("conv2dBatchNormFolded", "batch-norm \(name) must have one value per output channel (\(o))",
                                     t.shape, weight.shape)
        }
    }
    // The same rounding as batchNorm2d's evaluation: 1 / √(var + ε) in float.
    let inverseStd = Tensor(uninitialized: [o])
    for ch in 0..<o { inverseStd.pointer[ch] = 1 / (runningVariance.pointer[ch] + epsilon).squareRoot() }
    let scale = try normWeight * inverseStd
    let centred = try bias.map { try $0 - runningMean } ?? (-runningMean)
    let foldedBias = try normBias + centred * scale
    // conv2d scales W by s per output channel: inside the cached transformed kernel at inference
    // by Winograd (no folded copy of W per call), else on a scaled copy of W with its gradient.
    return try conv2d(x, weight: weight, bias: foldedBias, stride: stride, padding: padding, thenReLU: thenReLU,
                      kernelScale: scale)
}
