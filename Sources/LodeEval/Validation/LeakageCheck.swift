import LodeGeo

/// How well each single layer separates the training positives from the negatives, as a model
/// could read it from the windows: the AUC of the layer's mean, minimum, maximum and centre value
/// over each sample's window, the most separating of the four. When one layer alone separates
/// them almost perfectly, the labels encode that layer: a model scores a window AUC near 1 by
/// reading it, and window AUC says nothing about prospectivity.
public struct LeakageReport: Sendable {
    public struct Layer: Sendable {
        public var name: String
        /// AUC of the layer's most separating window statistic, positives against negatives (NaN
        /// when a class has no value).
        public var auc: Double
        /// The statistic: "centre", "mean", "min" or "max".
        public var statistic: String
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
            String(format: "the labels encode layer %@ (AUC %.3f of its window %@ between the training positives and negatives): window AUC will not measure prospectivity",
                   layer.name, layer.auc, layer.statistic)
        }
    }
}

public enum LeakageCheck {
    /// Windows of `windowSize` cells centred on each sample's cell (cut off at the map's edge,
    /// missing cells left out); samples off the grid are left out.
    public static func report(stack: RasterStack, positivesX: [Double], positivesY: [Double],
                              negativesX: [Double], negativesY: [Double], windowSize: Int = 1, threshold: Double = 0.98) throws -> LeakageReport {
        guard threshold > 0.5, threshold <= 1 else {
            throw EvalError("leakage", "the threshold must be in (0.5, 1], got \(threshold)")
        }
        guard windowSize >= 1 else { throw EvalError("leakage", "the window size must be at least 1 cell, got \(windowSize)") }
        guard !positivesX.isEmpty, !negativesX.isEmpty else {
            throw EvalError("leakage", "need positives and negatives, got \(positivesX.count) and \(negativesX.count)")
        }
        let grid = stack.grid
        var samples: [(label: Int, row: Int, col: Int)] = []
        for (label, xs, ys) in [(1, positivesX, positivesY), (0, negativesX, negativesY)] {
            for i in xs.indices {
                if let cell = grid.cell(x: xs[i], y: ys[i]) { samples.append((label, cell.row, cell.col)) }
            }
        }
        let low = (windowSize - 1) / 2, high = windowSize / 2
        var layers: [LeakageReport.Layer] = []
        for layer in stack.layers {
            // statistic name -> (labels, values)
            var columns: [String: (labels: [Int], values: [Double])] = [:]
            for sample in samples {
                var sum = 0.0, count = 0, smallest = Double.infinity, largest = -Double.infinity
                for r in max(0, sample.row - low)...min(grid.rows - 1, sample.row + high) {
                    for c in max(0, sample.col - low)...min(grid.cols - 1, sample.col + high) {
                        let v = Double(layer[r, c])
                        guard v.isFinite else { continue }
                        sum += v; count += 1
                        smallest = min(smallest, v); largest = max(largest, v)
                    }
                }
                let centre = Double(layer[sample.row, sample.col])
                var statistics: [(String, Double)] = [("centre", centre)]
                if windowSize > 1, count > 0 { statistics += [("mean", sum / Double(count)), ("min", smallest), ("max", largest)] }
                for (name, value) in statistics where value.isFinite {
                    columns[name, default: ([], [])].labels.append(sample.label)
                    columns[name, default: ([], [])].values.append(value)
                }
            }
            var best = LeakageReport.Layer(name: layer.name, auc: .nan, statistic: "centre")
            for name in ["centre", "mean", "min", "max"] {
                guard let column = columns[name], column.labels.contains(0), column.labels.contains(1) else { continue }
                let auc = try rocAUC(labels: column.labels, scores: column.values)
                if best.auc.isNaN || max(auc, 1 - auc) > best.separation {
                    best = LeakageReport.Layer(name: layer.name, auc: auc, statistic: name)
                }
            }
            layers.append(best)
        }
        return LeakageReport(layers: layers, threshold: threshold, positives: positivesX.count, negatives: negativesX.count)
    }
}
