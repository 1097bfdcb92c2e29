import LodeTensor

/// Receiver operating characteristic: one point per distinct score threshold, the same points
/// and thresholds scikit-learn's `roc_curve` returns, so figures and tables agree with it.
public struct ROCCurve: Equatable, Sendable {
    public var falsePositiveRates: [Double]
    public var truePositiveRates: [Double]
    /// Decreasing; the first is +infinity (no window called positive), like scikit-learn >= 1.3.
    public var thresholds: [Double]

    /// Trapezoidal area under the points; equals the Mann-Whitney statistic with ties counted 1/2.
    public var area: Double {
        var sum = 0.0
        for i in 1..<falsePositiveRates.count {
            let width = falsePositiveRates[i] - falsePositiveRates[i - 1]
            sum += width * (truePositiveRates[i] + truePositiveRates[i - 1]) / 2
        }
        return sum
    }
}

/// Cumulative counts at each distinct score, highest score first (scikit-learn's
/// `_binary_clf_curve`): sorting is stable so equal scores form one step.
func cumulativeCounts(labels: [Int], scores: [Double])
    -> (falsePositives: [Double], truePositives: [Double], thresholds: [Double]) {
    let order = scores.indices.sorted { a, b in
        scores[a] != scores[b] ? scores[a] > scores[b] : a < b
    }
    var falsePositives: [Double] = []
    var truePositives: [Double] = []
    var thresholds: [Double] = []
    var positives = 0.0
    for (rank, index) in order.enumerated() {
        positives += Double(labels[index])
        let isLastOfTie = rank == order.count - 1 || scores[order[rank + 1]] != scores[index]
        if isLastOfTie {
            truePositives.append(positives)
            falsePositives.append(Double(rank + 1) - positives)
            thresholds.append(scores[index])
        }
    }
    return (falsePositives, truePositives, thresholds)
}

/// The ROC curve of binary `labels` (0/1) against `scores` (higher = more likely class 1).
/// `dropIntermediate` removes points on straight segments exactly as scikit-learn's default.
public func rocCurve(labels: [Int], scores: [Double], dropIntermediate: Bool = true) throws -> ROCCurve {
    try BinaryLabels.validate(labels: labels, scores: scores, operation: "roc_curve")
    try BinaryLabels.requireBothClasses(labels: labels, operation: "roc_curve")
    var (fps, tps, thresholds) = cumulativeCounts(labels: labels, scores: scores)
    if dropIntermediate && fps.count > 2 {
        // Keep the ends and every point where the second difference of either count is nonzero.
        var keep = [0]
        for i in 1..<(fps.count - 1) {
            let secondFP = fps[i + 1] - 2 * fps[i] + fps[i - 1]
            let secondTP = tps[i + 1] - 2 * tps[i] + tps[i - 1]
            if secondFP != 0 || secondTP != 0 { keep.append(i) }
        }
        keep.append(fps.count - 1)
        fps = keep.map { fps[$0] }
        tps = keep.map { tps[$0] }
        thresholds = keep.map { thresholds[$0] }
    }
    let negatives = fps[fps.count - 1]
    let positives = tps[tps.count - 1]
    return ROCCurve(
        falsePositiveRates: [0] + fps.map { $0 / negatives },
        truePositiveRates: [0] + tps.map { $0 / positives },
        thresholds: [Double.infinity] + thresholds)
}

public func rocCurve(labels: [Int], scores: [Float], dropIntermediate: Bool = true) throws -> ROCCurve {
    try rocCurve(labels: labels, scores: scores.map(Double.init), dropIntermediate: dropIntermediate)
}

/// Area under the ROC curve (LodeTensor's `rankAUC`, ties counted one half) after checking the
/// labels and scores, so bad input is an error naming the operation.
public func rocAUC(labels: [Int], scores: [Double]) throws -> Double {
    try BinaryLabels.validate(labels: labels, scores: scores, operation: "roc_auc")
    try BinaryLabels.requireBothClasses(labels: labels, operation: "roc_auc")
    guard let auc = rankAUC(scores: scores, positives: labels.map { $0 == 1 }) else {
        throw EvalError("roc_auc", "no AUC without both classes")
    }
    return auc
}

public func rocAUC(labels: [Int], scores: [Float]) throws -> Double {
    try rocAUC(labels: labels, scores: scores.map(Double.init))
}
