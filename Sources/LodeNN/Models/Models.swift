import LodeTensor

/// The four architectures of the paper.
public enum ModelKind: String, Codable, CaseIterable, Sendable {
    case ssgsnet, resnet, vit, dualbranch

    public var displayName: String {
        switch self {
        case .ssgsnet: return "SSGSNet"
        case .resnet: return "ResNet"
        case .vit: return "ViT"
        case .dualbranch: return "DualBranchNet"
        }
    }

    public init(name: String) throws {
        guard let k = ModelKind(rawValue: name.lowercased()) else {
            throw NNError("unknown model '\(name)'; choose one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = k
    }
}

/// A window classifier: [N, inputChannels, window, window] → logits [N, classes]. Checks its
/// input (shape, finite values) before running, so bad windows fail with a clear message.
open class WindowClassifier: Module {
    public let kind: ModelKind
    public let config: ModelConfig

    init(kind: ModelKind, config: ModelConfig) throws {
        try config.validate()
        self.kind = kind
        self.config = config
        super.init()
        contract = InputContract(channels: config.inputChannels, window: config.window, classes: config.classes)
    }

    open override var headline: String {
        "\(kind.displayName)(\(config.inputChannels) channels, \(config.window)×\(config.window) windows, \(config.classes) classes)"
    }

    /// Throws unless `x` is [N, inputChannels, window, window] with finite values.
    public func validateInput(_ x: Tensor) throws {
        try InputContract(channels: config.inputChannels, window: config.window, classes: config.classes,
                          layerNames: contract?.layerNames).validate(x, model: kind.displayName)
    }

    /// Logits for validated input (subclasses implement).
    open func logits(_ x: Tensor) throws -> Tensor {
        throw NNError("\(kind.displayName) does not define its forward pass")
    }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        try validateInput(x)
        return try logits(x)
    }
}


/// SSGSNet (PAPER §3): spectral-spatial branch and ViT branch, gated fusion, linear head.
public final class SSGSNet: WindowClassifier {
    public let ss: SpectralSpatialBranch
    public let sc: ViTBranch
    public let gateSS: FusionGate
    public let gateSC: FusionGate
    public let head: Linear

    public init(config: ModelConfig = .paper, seed: UInt64 = 0) throws {
        try config.validate()
        var rng = RandomStream(seed: seed)
        ss = try SpectralSpatialBranch(config: config, rng: &rng)
        sc = try ViTBranch(config: config, rng: &rng)
        gateSS = try FusionGate(dimension: config.featureDimension, hidden: config.fusionHidden, rng: &rng)
        gateSC = try FusionGate(dimension: config.featureDimension, hidden: config.fusionHidden, rng: &rng)
        head = try Linear(2 * config.featureDimension, config.classes, rng: &rng)
        try super.init(kind: .ssgsnet, config: config)
    }

    public override var children: [(name: String, module: Module)] {
        [("ss", ss), ("sc", sc), ("gate_ss", gateSS), ("gate_sc", gateSC), ("head", head)]
    }

    public override func logits(_ x: Tensor) throws -> Tensor {
        let fss = try ss(x), fsc = try sc(x)
        return try head(Tensor.concatenated([fss * gateSS(fss), fsc * gateSC(fsc)], axis: 1))
    }
}

/// A baseline made of one SSGSNet branch (keyed `branchKey`) and a linear head.
public class SingleBranchClassifier: WindowClassifier {
    public let branch: Module
    public let branchKey: String
    public let head: Linear

    init(kind: ModelKind, config: ModelConfig, branchKey: String, branch: Module, rng: inout RandomStream) throws {
        self.branch = branch
        self.branchKey = branchKey
        head = try Linear(config.featureDimension, config.classes, rng: &rng)
        try super.init(kind: kind, config: config)
    }

    public override var children: [(name: String, module: Module)] { [(branchKey, branch), ("head", head)] }
    public override func logits(_ x: Tensor) throws -> Tensor { try head(branch(x)) }
}

/// Baseline: the spectral-spatial branch alone with a linear head.
public final class ResNet: SingleBranchClassifier {
    public let ss: SpectralSpatialBranch

    public init(config: ModelConfig = .paper, seed: UInt64 = 0) throws {
        try config.validate()
        var rng = RandomStream(seed: seed)
        ss = try SpectralSpatialBranch(config: config, rng: &rng)
        try super.init(kind: .resnet, config: config, branchKey: "ss", branch: ss, rng: &rng)
    }
}

/// Baseline: the ViT branch alone with a linear head.
public final class ViT: SingleBranchClassifier {
    public let sc: ViTBranch

    public init(config: ModelConfig = .paper, seed: UInt64 = 0) throws {
        try config.validate()
        var rng = RandomStream(seed: seed)
        sc = try ViTBranch(config: config, rng: &rng)
        try super.init(kind: .vit, config: config, branchKey: "sc", branch: sc, rng: &rng)
    }
}

/// Baseline: two conv3×3-ReLU-maxpool layers averaged over space, beside an MLP on the
/// channel means; concatenated and classified.
public final class DualBranchNet: WindowClassifier {
    public let conv1: Conv2d
    public let conv2: Conv2d
    public let mlp1: Linear
    public let mlp2: Linear
    public let head: Linear

    public init(config: ModelConfig = .paper, seed: UInt64 = 0) throws {
        try config.validate()
        guard config.window >= 4 else { throw NNError("DualBranchNet needs windows of at least 4×4 (two 2×2 pools)") }
        var rng = RandomStream(seed: seed)
        let (w1, w2) = (config.dualWidths[0], config.dualWidths[1])
        conv1 = try Conv2d(config.inputChannels, w1, kernelSize: 3, padding: 1, rng: &rng)
        conv2 = try Conv2d(w1, w2, kernelSize: 3, padding: 1, rng: &rng)
        mlp1 = try Linear(config.inputChannels, config.dualMLP, rng: &rng)
        mlp2 = try Linear(config.dualMLP, config.dualMLP, rng: &rng)
        head = try Linear(w2 + config.dualMLP, config.classes, rng: &rng)
        try super.init(kind: .dualbranch, config: config)
    }

    public override var children: [(name: String, module: Module)] {
        [("conv1", conv1), ("conv2", conv2), ("mlp1", mlp1), ("mlp2", mlp2), ("head", head)]
    }

    public override func logits(_ x: Tensor) throws -> Tensor {
        let s1 = try maxPool2d(conv1(x).relu(), kernelSize: 2)
        let s = try globalAveragePool(maxPool2d(conv2(s1).relu(), kernelSize: 2))
        let c = try mlp2(mlp1(globalAveragePool(x)).relu()).relu()
        return try head(Tensor.concatenated([s, c], axis: 1))
    }
}

/// Builds one of the four models with fresh PyTorch-default initialisation from `seed`.
public func makeModel(_ kind: ModelKind, config: ModelConfig = .paper, seed: UInt64 = 0) throws -> WindowClassifier {
    switch kind {
    case .ssgsnet: return try SSGSNet(config: config, seed: seed)
    case .resnet: return try ResNet(config: config, seed: seed)
    case .vit: return try ViT(config: config, seed: seed)
    case .dualbranch: return try DualBranchNet(config: config, seed: seed)
    }
}
