import LodeTensor

/// Squeeze-excitation (PAPER Eqs. 1-3): channel means → fc1 → ReLU → fc2 → sigmoid, scaling
/// each channel; hidden = max(1, channels / reduction).
public final class ChannelAttention: Module {
    public let fc1: Linear
    public let fc2: Linear

    public init(channels: Int, reduction: Int, rng: inout SplitMix64) throws {
        let hidden = max(1, channels / max(reduction, 1))
        fc1 = try Linear(channels, hidden, rng: &rng)
        fc2 = try Linear(hidden, channels, rng: &rng)
        super.init()
    }

    public override var children: [(name: String, module: Module)] { [("fc1", fc1), ("fc2", fc2)] }
    public override var headline: String { "ChannelAttention(\(fc1.inputFeatures) → \(fc1.outputFeatures) → \(fc2.outputFeatures))" }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.scaledPerChannel(fc2(fc1(globalAveragePool(x)).relu()).sigmoid())
    }
}

/// CBAM spatial attention (PAPER Eqs. 4-5): [mean, max] over channels → k×k conv 2 → 1 (no
/// bias) → sigmoid, scaling every pixel.
public final class SpatialAttention: Module {
    public let conv: Conv2d

    public init(kernelSize: Int, rng: inout SplitMix64) throws {
        conv = try Conv2d(2, 1, kernelSize: kernelSize, padding: kernelSize / 2, bias: false, rng: &rng)
        super.init()
    }

    public override var children: [(name: String, module: Module)] { [("conv", conv)] }
    public override var headline: String { "SpatialAttention(kernel \(conv.kernelSize))" }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        let pooled = try fusedChannelMeanMax(x)
        return try x.scaledPerPixel(singleOutputConv2d(pooled, weight: conv.weight, padding: conv.padding).sigmoid())
    }
}
