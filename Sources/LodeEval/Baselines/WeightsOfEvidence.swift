import Foundation
import LodeGeo

/// The weights of one binary evidence pattern B over unit cells with D deposits among N cells:
/// W+ = ln(P(B | D) / P(B | not D)), W- = ln(P(not B | D) / P(not B | not D)), contrast W+ - W-.
public struct EvidenceWeights: Sendable, Equatable {
    public var positive: Double
    public var negative: Double
    public var contrast: Double { positive - negative }
    /// Cells in the pattern and deposits in them.
    public var patternCells: Int
    public var patternDeposits: Int

    /// nil when a weight is undefined (no deposit inside or none outside the pattern, or a
    /// pattern without deposit-free cells) unless `zeroCount` > 0 stands in for the empty count:
    /// a pattern holding every training deposit then gets a finite, strongly negative W-.
    public static func of(pattern: [Bool], depositsPerCell: [Int], valid: [Bool], zeroCount: Double = 0) -> EvidenceWeights? {
        var n = 0, d = 0, nB = 0, dB = 0
        for i in pattern.indices where valid[i] {
            n += 1
            d += depositsPerCell[i]
            if pattern[i] { nB += 1; dB += depositsPerCell[i] }
        }
        guard d > 0, n > d else { return nil }
        let counts = [dB, d - dB, nB - dB, (n - nB) - (d - dB)].map(Double.init)
        if counts.contains(0) && zeroCount <= 0 { return nil }
        let c = counts.map { $0 == 0 ? zeroCount : $0 }
        let empty = Double(n - d), deposits = Double(d)
        let plus = log((c[0] / deposits) / (c[2] / empty))
        let minus = log((c[1] / deposits) / (c[3] / empty))
        return EvidenceWeights(positive: plus, negative: minus, patternCells: nB, patternDeposits: dB)
    }
}

/// Weights of evidence over reclassified layers: each layer becomes a binary pattern (its most
/// prospective cells, above a quantile threshold chosen on the training deposits to maximise the
/// contrast), and the posterior logit of a cell is the prior logit plus W+ or W- of every
/// pattern (assuming the patterns independent given a deposit, as the method does).
public struct WeightsOfEvidence: Sendable {
    public struct Evidence: Sendable {
        public var layer: String
        /// Position of the layer in the stack the evidence was fitted on.
        public var layerIndex: Int
        /// +1: high values are prospective; -1: low values are.
        public var direction: Double
        /// Cells with direction * value >= direction * threshold are in the pattern.
        public var threshold: Double
        /// Share of the area the pattern covers.
        public var areaShare: Double
        public var weights: EvidenceWeights

        public func inPattern(_ value: Double) -> Bool { direction * value >= direction * threshold }
    }

    public var priorLogit: Double
    public var evidence: [Evidence]
    /// Layers left out because no threshold gave defined weights.
    public var skippedLayers: [String]

    /// Pattern areas tried: the top 5 % ... 50 % of each layer.
    public static let defaultAreaShares = [0.05, 0.10, 0.15, 0.20, 0.30, 0.40, 0.50]

    /// Fits on the cells holding the training deposits; `directions` (by layer) is +1 or -1.
    public static func fitted(stack: RasterStack, depositCells: [Int], directions: [Double],
                              areaShares: [Double] = defaultAreaShares, operation: String = "weights_of_evidence") throws -> WeightsOfEvidence {
        guard directions.count == stack.count else { throw EvalError(operation, "\(directions.count) directions for \(stack.count) layers") }
        guard !areaShares.isEmpty, areaShares.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw EvalError(operation, "pattern area shares must lie strictly between 0 and 1")
        }
        let valid = CellStack.validMask(stack)
        var perCell = [Int](repeating: 0, count: stack.grid.cellCount)
        for cell in depositCells where valid[cell] { perCell[cell] += 1 }
        let n = valid.filter { $0 }.count, d = perCell.reduce(0, +)
        guard d > 0, n > d else { throw EvalError(operation, "no training deposit lies on a cell where every layer has a value") }
        var evidence: [Evidence] = [], skipped: [String] = []
        for (k, layer) in stack.layers.enumerated() {
            let direction = directions[k]
            let signed = (0..<layer.values.count).filter { valid[$0] }.map { direction * Double(layer.values[$0]) }.sorted()
            func strongest(zeroCount: Double) -> Evidence? {
                var best: Evidence?
                for share in areaShares {
                    // The pattern holds the cells at or above the (1 - share) quantile of the signed values.
                    let position = min(signed.count - 1, max(0, Int((Double(signed.count) * (1 - share)).rounded(.down))))
                    let threshold = direction * signed[position]
                    let pattern = layer.values.map { direction * Double($0) >= direction * threshold }
                    guard let weights = EvidenceWeights.of(pattern: pattern, depositsPerCell: perCell, valid: valid,
                                                           zeroCount: zeroCount) else { continue }
                    if best == nil || weights.contrast > best!.weights.contrast {
                        best = Evidence(layer: layer.name, layerIndex: k, direction: direction, threshold: threshold,
                                        areaShare: Double(weights.patternCells) / Double(n), weights: weights)
                    }
                }
                return best
            }
            // Thresholds with every count defined first; half a count stands in for an empty one
            // only when no threshold has them all (e.g. every training deposit in the top 5 %).
            let best = strongest(zeroCount: 0) ?? strongest(zeroCount: 0.5)
            if let best { evidence.append(best) } else { skipped.append(layer.name) }
        }
        return WeightsOfEvidence(priorLogit: log(Double(d) / Double(n - d)), evidence: evidence, skippedLayers: skipped)
    }

    /// Posterior logit of a cell from its values in every layer of the stack, in stack order.
    public func posteriorLogit(row: [Double]) -> Double {
        evidence.reduce(priorLogit) { $0 + ($1.inPattern(row[$1.layerIndex]) ? $1.weights.positive : $1.weights.negative) }
    }
}
