import LodeTensor

/// Squeeze-excitation (PAPER Eqs. 1-3): channel means → fc1 → ReLU → fc2 → sigmoid, scaling
/// each channel; hidden = max(1, channels / reduction).
public final class ChannelAttention: Module {
    public let fc1: Linear
    public let fc2: Linear

    public init(channels: Int, reduction: Int, rng: inout RandomStream) throws {
        let hidden = max(1, channels / max(reduction, 1))
        fc1 = try Linear(channels, hidden, rng: &rng)
        fc2 = try Linear(hidden, channels, rng: &rng)
        super.init()
    }

    public override var children: [(name: String, module: Module)] { [("fc1", fc1), ("fc2", fc2)] }
    public override var headline: String { "ChannelAttention(\(fc1.inputFeatures) → \(fc1.outputFeatures) → \(fc2.outputFeatures))" }

    /// The weight of each channel, [N, C], between 0 and 1.
    public func gate(_ x: Tensor) throws -> Tensor {
        guard x.rank == 4, x.shape[1] == fc1.inputFeatures else {
            throw NNError("\(headline): input of shape \(x.shape) must be [N, \(fc1.inputFeatures), H, W]")
        }
        return try fc2(fc1(globalAveragePool(x)).relu()).sigmoid()
    }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        let s = try gate(x)
        AttentionRecorder.active?.record(self, .channel, s)
        return try x.scaledPerChannel(s)
    }
}

/// CBAM spatial attention (PAPER Eqs. 4-5): [mean, max] over channels → k×k conv 2 → 1 (no
/// bias) → sigmoid, scaling every pixel.
public final class SpatialAttention: Module {
    public let conv: Conv2d

    public init(kernelSize: Int, rng: inout RandomStream) throws {
        conv = try Conv2d(2, 1, kernelSize: kernelSize, padding: kernelSize / 2, bias: false, rng: &rng)
        super.init()
    }

    public override var children: [(name: String, module: Module)] { [("conv", conv)] }
    public override var headline: String { "SpatialAttention(kernel \(conv.kernelSize))" }

    /// The weight of each cell, [N, 1, H, W], between 0 and 1 (shared by every channel).
    public func map(_ x: Tensor) throws -> Tensor {
        guard x.rank == 4 else { throw NNError("\(headline): input of shape \(x.shape) must be [N, C, H, W]") }
        return try singleOutputConv2d(fusedChannelMeanMax(x), weight: conv.weight, padding: conv.padding).sigmoid()
    }

    /// `map(x)`, shown to an active attention recording.
    public func recordedMap(_ x: Tensor) throws -> Tensor {
        let a = try map(x)
        if let recorder = AttentionRecorder.active {
            recorder.record(self, .spatial, try a.reshaped([a.shape[0], a.shape[2], a.shape[3]]))
        }
        return a
    }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.scaledPerPixel(recordedMap(x))
    }
}
