/// Counts of a binary decision at one threshold, and the rates derived from them.
/// A window is called mineralised when its score is >= the threshold.
public struct ConfusionMatrix: Equatable, Sendable {
    public var truePositives: Int
    public var falsePositives: Int
    public var trueNegatives: Int
    public var falseNegatives: Int
    public var threshold: Double

    public var total: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
    public var accuracy: Double { Double(truePositives + trueNegatives) / Double(total) }
    /// 0 when nothing is called positive (scikit-learn's `zero_division=0`).
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    /// 0 when there are no positives (scikit-learn's `zero_division=0`).
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    public var f1: Double {
        let sum = precision + recall
        return sum == 0 ? 0 : 2 * precision * recall / sum
    }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}

public func confusionMatrix(labels: [Int], scores: [Double], threshold: Double = 0.5) throws -> ConfusionMatrix {
    try BinaryLabels.validate(labels: labels, scores: scores, operation: "confusion_matrix")
    var matrix = ConfusionMatrix(truePositives: 0, falsePositives: 0, trueNegatives: 0,
                                 falseNegatives: 0, threshold: threshold)
    for (label, score) in zip(labels, scores) {
        switch (label == 1, score >= threshold) {
        case (true, true): matrix.truePositives += 1
        case (false, true): matrix.falsePositives += 1
        case (false, false): matrix.trueNegatives += 1
        case (true, false): matrix.falseNegatives += 1
        }
    }
    return matrix
}

public func confusionMatrix(labels: [Int], scores: [Float], threshold: Double = 0.5) throws -> ConfusionMatrix {
    try confusionMatrix(labels: labels, scores: scores.map(Double.init), threshold: threshold)
}
