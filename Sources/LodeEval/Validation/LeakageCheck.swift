import LodeGeo

/// How well each single layer separates the training positives from the negatives, read at the
/// cell of each sample (the centre of its window). When one layer alone separates them almost
/// perfectly, the labels encode that layer: a model scores a window AUC near 1 by reading it, and
/// window AUC says nothing about prospectivity.
public struct LeakageReport: Sendable {
    public struct Layer: Sendable {
        public var name: String
        /// AUC of the layer's value, positives against negatives (NaN when a class has no value).
        public var auc: Double
        /// max(auc, 1 - auc): separation whichever the direction.
        public var separation: Double { auc.isFinite ? max(auc, 1 - auc) : .nan }
    }

    public var layers: [Layer]
    public var threshold: Double
    public var positives: Int
    public var negatives: Int

    /// Layers whose AUC is >= threshold or <= 1 - threshold.
    public var leaking: [Layer] { layers.filter { $0.separation >= threshold } }

    /// The plain warning for each leaking layer.
    public var warnings: [String] {
        leaking.map { layer in
            String(format: "the labels encode layer %@ (AUC %.3f between the training positives and negatives): window AUC will not measure prospectivity",
                   layer.name, layer.auc)
        }
    }
}

public enum LeakageCheck {
    /// Values of every layer at the positive and negative locations; samples off the grid or on
    /// a missing cell of a layer are left out of that layer's AUC.
    public static func report(stack: RasterStack, positivesX: [Double], positivesY: [Double],
                              negativesX: [Double], negativesY: [Double], threshold: Double = 0.98) throws -> LeakageReport {
        guard threshold > 0.5, threshold <= 1 else {
            throw EvalError("leakage", "the threshold must be in (0.5, 1], got \(threshold)")
        }
        guard !positivesX.isEmpty, !negativesX.isEmpty else {
            throw EvalError("leakage", "need positives and negatives, got \(positivesX.count) and \(negativesX.count)")
        }
        var layers: [LeakageReport.Layer] = []
        for layer in stack.layers {
            var labels: [Int] = [], scores: [Double] = []
            for (label, xs, ys) in [(1, positivesX, positivesY), (0, negativesX, negativesY)] {
                for i in xs.indices {
                    if let v = layer.value(x: xs[i], y: ys[i]), v.isFinite {
                        labels.append(label)
                        scores.append(Double(v))
                    }
                }
            }
            let both = labels.contains(0) && labels.contains(1)
            layers.append(.init(name: layer.name, auc: both ? try rocAUC(labels: labels, scores: scores) : .nan))
        }
        return LeakageReport(layers: layers, threshold: threshold, positives: positivesX.count, negatives: negativesX.count)
    }
}
