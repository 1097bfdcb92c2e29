import Foundation

/// Every architecture setting of the four models (the fields of the reference `Config`; JSON
/// uses the reference's snake_case names, so a config round-trips between the two).
public struct ModelConfig: Codable, Equatable, Sendable {
    /// Where the encoder blocks put LayerNorm: after each residual sum as the paper writes
    /// (MSA-LN-MLP-LN), or before each sub-layer as the standard ViT.
    public enum NormPlacement: String, Codable, Sendable { case post, pre }

    public var inputChannels = 15
    public var window = 32
    public var classes = 2
    /// Spectral-spatial branch: one layer of two improved residual blocks per width.
    public var widths = [64, 128, 256, 512]
    public var strides = [1, 2, 2, 2]
    /// Channel attention hidden size = max(1, C / seReduction).
    public var seReduction = 16
    public var spatialAttentionKernel = 7
    /// Size of f_ss and f_sc.
    public var featureDimension = 256
    /// Fusion gates: featureDimension → fusionHidden → featureDimension.
    public var fusionHidden = 32
    public var patchSize = 4
    public var vitDimension = 256
    public var vitDepth = 4
    public var vitHeads = 8
    public var vitMLP = 512
    public var vitNorm = NormPlacement.post
    /// DualBranchNet conv widths and MLP width.
    public var dualWidths = [32, 64]
    public var dualMLP = 64

    public init() {}

    /// The paper's configuration (PAPER in the reference).
    public static let paper = ModelConfig()

    /// The small configuration of the parity fixtures and tests (TINY in the reference).
    public static var tiny: ModelConfig {
        var c = ModelConfig()
        c.widths = [8, 16, 32, 64]
        c.seReduction = 4
        c.featureDimension = 32
        c.fusionHidden = 8
        c.vitDimension = 32
        c.vitDepth = 2
        c.vitHeads = 4
        c.vitMLP = 64
        c.dualWidths = [8, 16]
        c.dualMLP = 16
        return c
    }

    enum CodingKeys: String, CodingKey {
        case inputChannels = "in_channels", window, classes, widths, strides, seReduction = "se_reduction"
        case spatialAttentionKernel = "sa_kernel", featureDimension = "feature_dim", fusionHidden = "fusion_hidden"
        case patchSize = "patch", vitDimension = "vit_dim", vitDepth = "vit_depth", vitHeads = "vit_heads"
        case vitMLP = "vit_mlp", vitNorm = "vit_norm", dualWidths = "dual_widths", dualMLP = "dual_mlp"
    }

    /// Missing fields take the paper's value, so partial JSON (`{"widths": [8, 16]}`) works.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ModelConfig.paper
        inputChannels = try c.decodeIfPresent(Int.self, forKey: .inputChannels) ?? d.inputChannels
        window = try c.decodeIfPresent(Int.self, forKey: .window) ?? d.window
        classes = try c.decodeIfPresent(Int.self, forKey: .classes) ?? d.classes
        widths = try c.decodeIfPresent([Int].self, forKey: .widths) ?? d.widths
        strides = try c.decodeIfPresent([Int].self, forKey: .strides) ?? d.strides
        seReduction = try c.decodeIfPresent(Int.self, forKey: .seReduction) ?? d.seReduction
        spatialAttentionKernel = try c.decodeIfPresent(Int.self, forKey: .spatialAttentionKernel) ?? d.spatialAttentionKernel
        featureDimension = try c.decodeIfPresent(Int.self, forKey: .featureDimension) ?? d.featureDimension
        fusionHidden = try c.decodeIfPresent(Int.self, forKey: .fusionHidden) ?? d.fusionHidden
        patchSize = try c.decodeIfPresent(Int.self, forKey: .patchSize) ?? d.patchSize
        vitDimension = try c.decodeIfPresent(Int.self, forKey: .vitDimension) ?? d.vitDimension
        vitDepth = try c.decodeIfPresent(Int.self, forKey: .vitDepth) ?? d.vitDepth
        vitHeads = try c.decodeIfPresent(Int.self, forKey: .vitHeads) ?? d.vitHeads
        vitMLP = try c.decodeIfPresent(Int.self, forKey: .vitMLP) ?? d.vitMLP
        vitNorm = try c.decodeIfPresent(NormPlacement.self, forKey: .vitNorm) ?? d.vitNorm
        dualWidths = try c.decodeIfPresent([Int].self, forKey: .dualWidths) ?? d.dualWidths
        dualMLP = try c.decodeIfPresent(Int.self, forKey: .dualMLP) ?? d.dualMLP
    }

    /// The configuration as compact JSON (sorted keys).
    public func json() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(self), as: UTF8.self)
    }

    public init(json: String) throws {
        do { self = try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8)) } catch {
            throw NNError("model config JSON is invalid: \(error)")
        }
    }

    /// Checks the settings fit together, naming the first that does not.
    public func validate() throws {
        func need(_ ok: Bool, _ what: String) throws { if !ok { throw NNError("model config: \(what)") } }
        try need(inputChannels > 0 && window > 0 && classes >= 2, "in_channels and window must be positive and classes ≥ 2")
        try need(!widths.isEmpty && widths.count == strides.count, "widths \(widths) and strides \(strides) must have the same non-zero length")
        try need(widths.allSatisfy { $0 > 0 } && strides.allSatisfy { $0 > 0 }, "widths and strides must be positive")
        try need(seReduction > 0 && spatialAttentionKernel > 0 && spatialAttentionKernel % 2 == 1, "se_reduction must be positive and sa_kernel odd")
        try need(featureDimension > 0 && fusionHidden > 0, "feature_dim and fusion_hidden must be positive")
        try need(patchSize > 0 && window % patchSize == 0, "window \(window) must be a multiple of patch \(patchSize)")
        try need(vitDimension > 0 && vitHeads > 0 && vitDimension % vitHeads == 0, "vit_dim \(vitDimension) must be divisible by vit_heads \(vitHeads)")
        try need(vitDepth >= 0 && vitMLP > 0, "vit_depth must be ≥ 0 and vit_mlp positive")
        try need(dualWidths.count == 2 && dualWidths.allSatisfy { $0 > 0 } && dualMLP > 0, "dual_widths must be two positive widths")
    }
}
