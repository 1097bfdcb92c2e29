import LodeTensor

/// Batch normalisation per channel of [N, C, H, W] (eps 1e-5, momentum 0.1, as PyTorch).
public final class BatchNorm2d: Module {
    public let weight: Tensor
    public let bias: Tensor
    public let runningMean: Tensor
    public let runningVariance: Tensor
    public let epsilon: Float
    public let momentum: Float

    public init(_ channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.1) {
        weight = trained(Tensor.ones([channels]))
        bias = trained(Tensor.zeros([channels]))
        runningMean = Tensor.zeros([channels])
        runningVariance = Tensor.ones([channels])
        self.epsilon = epsilon
        self.momentum = momentum
        super.init()
    }

    public var channels: Int { weight.count }

    public override var ownParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
    public override var ownBuffers: [(name: String, tensor: Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVariance)]
    }
    public override var headline: String { "BatchNorm2d(\(channels))" }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor { try self(x, thenReLU: false) }

    /// relu(self(x)) when `thenReLU`, in one fused pass.
    public func callAsFunction(_ x: Tensor, thenReLU: Bool) throws -> Tensor {
        guard x.rank == 4, x.shape[1] == channels else {
            throw NNError("\(headline): input of shape \(x.shape) must be [N, \(channels), H, W]")
        }
        let normalize = thenReLU ? batchNorm2dReLU : batchNorm2d
        return try normalize(x, weight, bias, runningMean, runningVariance, isTraining, momentum, epsilon)
    }
}

/// Layer normalisation over the last axis (eps 1e-5).
public final class LayerNorm: Module {
    public let weight: Tensor
    public let bias: Tensor
    public let epsilon: Float

    public init(_ features: Int, epsilon: Float = 1e-5) {
        weight = trained(Tensor.ones([features]))
        bias = trained(Tensor.zeros([features]))
        self.epsilon = epsilon
        super.init()
    }

    public var features: Int { weight.count }

    public override var ownParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
    public override var headline: String { "LayerNorm(\(features))" }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard x.shape.last == features else {
            throw NNError("\(headline): input of shape \(x.shape) must end in \(features)")
        }
        return try layerNorm(x, weight: weight, bias: bias, epsilon: epsilon)
    }
}
