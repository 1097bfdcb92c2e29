import LodeTensor

/// Convolution without bias followed by BatchNorm (the stem and projection shortcuts).
public final class ConvBN: Module {
    public let conv: Conv2d
    public let bn: BatchNorm2d

    public init(_ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                rng: inout RandomStream) throws {
        conv = try Conv2d(inputChannels, outputChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                          bias: false, rng: &rng)
        bn = BatchNorm2d(outputChannels)
        super.init()
    }

    public override var children: [(name: String, module: Module)] { [("conv", conv), ("bn", bn)] }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor { try conv(x, normalizedBy: bn) }

    /// relu(self(x)), the ReLU fused into the normalisation.
    public func callAsFunction(_ x: Tensor, thenReLU: Bool) throws -> Tensor { try conv(x, normalizedBy: bn, thenReLU: thenReLU) }
}

/// The paper's improved residual block (Table 1): conv3×3-BN-ReLU, conv3×3-BN, channel
/// attention, spatial attention, plus the shortcut (1×1 conv + BN when the stride or width
/// changes), then ReLU.
public final class ImprovedResidualBlock: Module {
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    public let conv2: Conv2d
    public let bn2: BatchNorm2d
    public let ca: ChannelAttention
    public let sa: SpatialAttention
    public let shortcut: ConvBN?

    public init(_ inputChannels: Int, _ outputChannels: Int, stride: Int, config: ModelConfig, rng: inout RandomStream) throws {
        conv1 = try Conv2d(inputChannels, outputChannels, kernelSize: 3, stride: stride, padding: 1, bias: false, rng: &rng)
        bn1 = BatchNorm2d(outputChannels)
        conv2 = try Conv2d(outputChannels, outputChannels, kernelSize: 3, padding: 1, bias: false, rng: &rng)
        bn2 = BatchNorm2d(outputChannels)
        ca = try ChannelAttention(channels: outputChannels, reduction: config.seReduction, rng: &rng)
        sa = try SpatialAttention(kernelSize: config.spatialAttentionKernel, rng: &rng)
        shortcut = stride != 1 || inputChannels != outputChannels
            ? try ConvBN(inputChannels, outputChannels, kernelSize: 1, stride: stride, rng: &rng) : nil
        super.init()
    }

    public override var children: [(name: String, module: Module)] {
        var c: [(name: String, module: Module)] = [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2), ("ca", ca), ("sa", sa)]
        if let shortcut { c.append(("shortcut", shortcut)) }
        return c
    }
    public override var headline: String {
        "ImprovedResidualBlock(\(conv1.inputChannels) → \(conv1.outputChannels)\(conv1.stride != 1 ? ", stride \(conv1.stride)" : ""))"
    }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try conv1(x, normalizedBy: bn1, thenReLU: true)
        // sa's scaling, the residual sum and the ReLU in one fused pass.
        let z = try ca(conv2(y, normalizedBy: bn2))
        return try residualReLU(z, scaledPerPixelBy: sa.recordedMap(z), shortcut?(x) ?? x)
    }
}

/// One layer of the spectral-spatial branch: two improved residual blocks keyed block1, block2.
public final class ResidualStage: Module {
    public let block1: ImprovedResidualBlock
    public let block2: ImprovedResidualBlock

    public init(_ inputChannels: Int, _ outputChannels: Int, stride: Int, config: ModelConfig, rng: inout RandomStream) throws {
        block1 = try ImprovedResidualBlock(inputChannels, outputChannels, stride: stride, config: config, rng: &rng)
        block2 = try ImprovedResidualBlock(outputChannels, outputChannels, stride: 1, config: config, rng: &rng)
        super.init()
    }

    public override var children: [(name: String, module: Module)] { [("block1", block1), ("block2", block2)] }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor { try block2(block1(x)) }
}

/// The spectral-spatial branch: stem conv3×3-BN-ReLU, the residual stages, global average
/// pool, linear → f_ss.
public final class SpectralSpatialBranch: Module {
    public let stem: ConvBN
    public let layers: ModuleList
    public let stages: [ResidualStage]
    public let fc: Linear

    public init(config: ModelConfig, rng: inout RandomStream) throws {
        stem = try ConvBN(config.inputChannels, config.widths[0], kernelSize: 3, padding: 1, rng: &rng)
        var stages: [ResidualStage] = []
        var cin = config.widths[0]
        for (w, s) in zip(config.widths, config.strides) {
            stages.append(try ResidualStage(cin, w, stride: s, config: config, rng: &rng))
            cin = w
        }
        self.stages = stages
        layers = ModuleList(stages)
        fc = try Linear(cin, config.featureDimension, rng: &rng)
        super.init()
    }

    public override var children: [(name: String, module: Module)] { [("stem", stem), ("layers", layers), ("fc", fc)] }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = try stem(x, thenReLU: true)
        for stage in stages { y = try stage(y) }
        return try fc(globalAveragePool(y))
    }
}
