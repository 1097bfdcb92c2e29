import LodeNN

/// Sizes of the paper's workflow run by `lode demo`. `standard` fits the `small` survey and
/// four narrow models into a few minutes on two cores; `paper` is the paper's own sizes.
public struct DemoConfiguration: Sendable {
    public var preset = "small"
    public var surveySeed: UInt64 = 42
    public var seed: UInt64 = 1
    /// Augmented windows per class (the paper: 2 816).
    public var perClass = 1024
    public var model = ModelConfig.tiny
    public var epochs = 8
    public var batchSize = 32
    /// Cosine learning rate per step (the paper: 1e-5 to 1e-6 over 50 epochs).
    public var maximumLearningRate: Float = 1e-3
    public var minimumLearningRate: Float = 1e-4
    public var validationFraction = 0.2
    /// Sliding-window stride of the prospectivity map, in cells.
    public var mapStride = 4
    /// Permutation SHAP: windows explained, evaluations per window, k-means background points.
    public var shapWindows = 32
    public var shapEvaluations = 300
    public var shapBackground = 4
    public var modelKinds: [ModelKind] = [.ssgsnet, .resnet, .vit, .dualbranch]

    public init() {}

    /// The default demo: small survey, 1 024 windows per class, narrow models (the tiny configuration), 8 epochs.
    public static let standard = DemoConfiguration()

    /// A run of a minute or two for tests and a first look.
    public static var quick: DemoConfiguration {
        var c = DemoConfiguration()
        c.perClass = 48
        c.epochs = 1
        c.mapStride = 16
        c.shapWindows = 4
        c.shapEvaluations = 40
        c.shapBackground = 2
        return c
    }

    /// The paper's sizes: paper survey, paper models, 2 816 windows per class, 50 epochs, its
    /// learning rates.
    public static var paper: DemoConfiguration {
        var c = DemoConfiguration()
        c.preset = "paper"
        c.perClass = 2816
        c.model = .paper
        c.epochs = 50
        c.maximumLearningRate = 1e-5
        c.minimumLearningRate = 1e-6
        c.mapStride = 16
        c.shapWindows = 100
        c.shapEvaluations = 500
        c.shapBackground = 8
        return c
    }

    /// The settings as markdown rows for the report.
    var markdownRows: [String] {
        let m = model
        return [
            "| survey preset | \(preset) (seed \(surveySeed)) |",
            "| augmented windows per class | \(perClass) (paper 2 816) |",
            "| model widths (ResNet branch) | \(m.widths) (paper [64, 128, 256, 512]) |",
            "| feature / fusion hidden | \(m.featureDimension) / \(m.fusionHidden) (paper 256 / 32) |",
            "| ViT dim / depth / heads / MLP | \(m.vitDimension) / \(m.vitDepth) / \(m.vitHeads) / \(m.vitMLP) (paper 256 / 4 / 8 / 512) |",
            "| DualBranchNet widths / MLP | \(m.dualWidths) / \(m.dualMLP) (paper [32, 64] / 64) |",
            "| epochs, batch | \(epochs), \(batchSize) (paper 50, 32) |",
            "| learning rate (cosine per step) | \(maximumLearningRate) to \(minimumLearningRate) (paper 1e-5 to 1e-6) |",
            "| validation fraction | \(validationFraction) |",
            "| map stride | \(mapStride) cells |",
            "| SHAP | permutation, \(shapWindows) validation windows, \(shapEvaluations) evaluations each, k-means background of \(shapBackground) |",
        ]
    }
}
