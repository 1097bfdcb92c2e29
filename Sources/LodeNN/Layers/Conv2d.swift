import LodeTensor

/// 2-D convolution, weight [outputChannels, inputChannels, kernelSize, kernelSize].
public final class Conv2d: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int

    public init(_ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, rng: inout RandomStream) throws {
        guard inputChannels > 0, outputChannels > 0, kernelSize > 0, stride > 0, padding >= 0 else {
            throw NNError("Conv2d(\(inputChannels) → \(outputChannels), kernel \(kernelSize), stride \(stride), padding \(padding)): sizes must be positive")
        }
        let shape = [outputChannels, inputChannels, kernelSize, kernelSize]
        weight = trained(try Initializer.kaimingUniform(shape, using: &rng))
        self.bias = bias ? trained(try Initializer.bias(outputChannels, fanIn: Initializer.fanIn(shape), using: &rng)) : nil
        self.stride = stride
        self.padding = padding
        super.init()
    }

    public var inputChannels: Int { weight.shape[1] }
    public var outputChannels: Int { weight.shape[0] }
    public var kernelSize: Int { weight.shape[2] }

    public override var ownParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
    public override var headline: String {
        "Conv2d(\(inputChannels) → \(outputChannels), kernel \(kernelSize)"
            + (stride != 1 ? ", stride \(stride)" : "") + (padding != 0 ? ", padding \(padding)" : "")
            + (bias == nil ? ", no bias" : "") + ")"
    }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard x.rank == 4, x.shape[1] == inputChannels else {
            throw NNError("\(headline): input of shape \(x.shape) must be [N, \(inputChannels), H, W]")
        }
        return try conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}

extension Conv2d {
    /// bn(self(x)), then ReLU when `thenReLU`. With bn in evaluation mode the normalisation is
    /// folded into this layer's weights and bias (one convolution, no pass of its own over the
    /// activations); training mode needs the batch's statistics, so it runs the convolution and
    /// then BatchNorm with the ReLU fused into it.
    public func callAsFunction(_ x: Tensor, normalizedBy bn: BatchNorm2d, thenReLU: Bool = false) throws -> Tensor {
        guard !bn.isTraining, bn.channels == outputChannels, x.rank == 4, x.shape[1] == inputChannels else {
            return try bn(self(x), thenReLU: thenReLU)
        }
        return try conv2dBatchNormFolded(x, weight: weight, bias: bias, stride: stride, padding: padding,
                                          normWeight: bn.weight, normBias: bn.bias, runningMean: bn.runningMean,
                                          runningVariance: bn.runningVariance, epsilon: bn.epsilon, thenReLU: thenReLU)
    }
}
