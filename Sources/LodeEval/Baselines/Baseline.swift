import Foundation
import LodeGeo

/// The maps a geologist could draw without a deep model, each fitted on training deposits only.
public enum BaselineKind: String, CaseIterable, Sendable {
    /// One named layer, signed so high = prospective.
    case layer
    /// The single layer that best separates the training deposits from the background.
    case bestLayer = "best_layer"
    /// Minus the distance to the nearest fault (or any distance raster given).
    case faultDistance = "fault_distance"
    /// Weights of evidence over the layers reclassified to binary patterns.
    case weightsOfEvidence = "woe"
    /// Per-cell logistic regression on the standardised stack.
    case logistic
    /// Per-cell random forest.
    case forest
}

public struct BaselineOptions: Sendable {
    public var sampling = CellSampling()
    /// The layer of `.layer`.
    public var layer: String?
    /// The distance raster of `.faultDistance` (metres to the nearest fault).
    public var distance: Raster?
    /// L2 penalty of the logistic regression (scikit-learn's 1 / C).
    public var l2 = 1.0
    public var forest = RandomForest.Options(treeCount: 100, minimumSamplesLeaf: 2)
    public var areaShares = WeightsOfEvidence.defaultAreaShares

    public init() {}
}

/// A baseline map and what was chosen when fitting it (for the user and the report).
public struct BaselineMap: Sendable {
    public var kind: BaselineKind
    public var map: Raster
    public var summary: String
}

public enum Baselines {
    /// Fits a baseline on the training deposits and maps it over the stack's grid. `avoidX/Y`
    /// are deposits no background cell may be drawn near (pass the held-out ones too).
    public static func fitted(_ kind: BaselineKind, stack: RasterStack, trainingX: [Double], trainingY: [Double],
                              avoidX: [Double] = [], avoidY: [Double] = [], options: BaselineOptions = BaselineOptions(),
                              operation: String = "baseline") throws -> BaselineMap {
        guard trainingX.count == trainingY.count, !trainingX.isEmpty else {
            throw EvalError(operation, "the baseline needs training deposits, got \(trainingX.count)")
        }
        let sampling = options.sampling
        func samples() throws -> CellSamples {
            try CellStack.samples(stack, trainingX: trainingX, trainingY: trainingY, avoidX: trainingX + avoidX, avoidY: trainingY + avoidY,
                                  sampling: sampling, operation: operation)
        }
        let name = "baseline_\(kind.rawValue)"
        switch kind {
        case .layer:
            guard let layerName = options.layer else { throw EvalError(operation, "kind \"layer\" needs the layer to use") }
            let layer = try stack.layer(named: layerName)
            let s = try samples()
            let k = stack.names.firstIndex(of: layerName)!
            let direction = try signedDirection(s, feature: k)
            return BaselineMap(kind: kind, map: signed(layer, direction, name: name),
                               summary: "layer \(layerName)\(direction < 0 ? " (negated: low values are prospective)" : "")")
        case .bestLayer:
            let s = try samples()
            var best = (index: 0, auc: -1.0)
            for k in 0..<stack.count {
                let auc = try rocAUC(labels: s.labels, scores: s.features.map { $0[k] })
                let separation = max(auc, 1 - auc)
                if separation > best.auc { best = (k, separation) }
            }
            let direction = try signedDirection(s, feature: best.index)
            return BaselineMap(kind: kind, map: signed(stack.layers[best.index], direction, name: name),
                               summary: String(format: "layer %@%@ (training AUC %.3f)", stack.names[best.index],
                                               direction < 0 ? " negated" : "", best.auc))
        case .faultDistance:
            guard let distance = options.distance else {
                throw EvalError(operation, "kind \"fault_distance\" needs a distance raster (e.g. distance_to(faults, grid))")
            }
            guard distance.grid.rows == stack.grid.rows, distance.grid.cols == stack.grid.cols else {
                throw EvalError(operation, "the distance raster (\(distance.grid.rows)×\(distance.grid.cols)) is not on the stack's grid (\(stack.grid.rows)×\(stack.grid.cols))")
            }
            return BaselineMap(kind: kind, map: signed(distance, -1, name: name), summary: "minus the distance to the nearest fault")
        case .weightsOfEvidence:
            let s = try samples()
            let directions = try (0..<stack.count).map { try signedDirection(s, feature: $0) }
            let depositCells = trainingX.indices.compactMap { i in stack.grid.cell(x: trainingX[i], y: trainingY[i]).map { $0.row * stack.grid.cols + $0.col } }
            let woe = try WeightsOfEvidence.fitted(stack: stack, depositCells: depositCells, directions: directions,
                                                   areaShares: options.areaShares, operation: operation)
            let map = try CellStack.mapped(stack, name: name) { woe.posteriorLogit(row: $0) }
            let used = woe.evidence.map { String(format: "%@ (top %.0f%%, C %.2f)", $0.layer, 100 * $0.areaShare, $0.weights.contrast) }
            return BaselineMap(kind: kind, map: map, summary: "weights of evidence: " + used.joined(separator: ", ")
                               + (woe.skippedLayers.isEmpty ? "" : "; no defined weights for " + woe.skippedLayers.joined(separator: ", ")))
        case .logistic:
            let s = try samples()
            let scaling = FeatureScaling(s.features)
            let model = try LogisticRegression.fitted(features: s.features.map(scaling.scaled), labels: s.labels, l2: options.l2, operation: operation)
            let map = try CellStack.mapped(stack, name: name) { model.probability(scaling.scaled($0)) }
            return BaselineMap(kind: kind, map: map, summary: "logistic regression on \(stack.count) standardised layers, \(s.positiveCount) positive and \(s.labels.count - s.positiveCount) background cells, L2 \(options.l2)")
        case .forest:
            let s = try samples()
            let columns = (0..<stack.count).map { k in s.features.map { Float($0[k]) } }
            let forest = try RandomForest.fitted(columns: columns, labels: s.labels, options: options.forest, seed: sampling.seed, operation: operation)
            var row = [Float](repeating: 0, count: stack.count)
            let map = try CellStack.mapped(stack, name: name) { values in
                for k in values.indices { row[k] = Float(values[k]) }
                return forest.probability(row)
            }
            return BaselineMap(kind: kind, map: map, summary: "random forest of \(options.forest.treeCount) trees on \(s.positiveCount) positive and \(s.labels.count - s.positiveCount) background cells")
        }
    }

    /// +1 when the training deposits score higher than the background on the feature, else -1.
    static func signedDirection(_ samples: CellSamples, feature: Int) throws -> Double {
        guard samples.labels.contains(0) else { return 1 }
        return try rocAUC(labels: samples.labels, scores: samples.features.map { $0[feature] }) >= 0.5 ? 1 : -1
    }

    static func signed(_ raster: Raster, _ direction: Double, name: String) -> Raster {
        var copy = raster.renamed(name)
        if direction < 0 { copy.values = copy.values.map { -$0 } }
        return copy
    }
}

/// Per-feature mean and standard deviation of the training rows (1 when a feature is constant).
struct FeatureScaling {
    var means: [Double]
    var deviations: [Double]

    init(_ rows: [[Double]]) {
        let d = rows.first?.count ?? 0
        let n = Double(max(rows.count, 1))
        means = (0..<d).map { k in rows.reduce(0) { $0 + $1[k] } / n }
        deviations = (0..<d).map { _ in 1 }
        for k in 0..<d {
            let m = means[k]
            let variance = rows.reduce(0) { $0 + ($1[k] - m) * ($1[k] - m) } / n
            deviations[k] = variance > 0 ? variance.squareRoot() : 1
        }
    }

    func scaled(_ row: [Double]) -> [Double] { row.indices.map { (row[$0] - means[$0]) / deviations[$0] } }
}
