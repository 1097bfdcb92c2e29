/// Area under the ROC curve as the Mann–Whitney statistic: the probability that a random
/// positive scores above a random negative, tied scores counting one half. Computed from
/// mid-ranks in O(n log n). The one AUC of Lode: training metrics, survey difficulty and the
/// evaluation layer (which adds argument checks and errors) all call it.
///
/// Returns nil when either class is absent or the lengths differ (no AUC exists).
public func rankAUC(scores: [Double], positives: [Bool]) -> Double? {
    let n = scores.count
    guard positives.count == n else { return nil }
    let positiveCount = positives.reduce(0) { $0 + ($1 ? 1 : 0) }
    let negativeCount = n - positiveCount
    guard positiveCount > 0, negativeCount > 0 else { return nil }
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSumPositives = 0.0
    var start = 0
    while start < n {
        var end = start
        while end + 1 < n && scores[order[end + 1]] == scores[order[start]] { end += 1 }
        let midRank = Double(start + end) / 2 + 1
        for k in start...end where positives[order[k]] { rankSumPositives += midRank }
        start = end + 1
    }
    let p = Double(positiveCount), q = Double(negativeCount)
    return (rankSumPositives - p * (p + 1) / 2) / (p * q)
}

public func rankAUC(scores: [Float], positives: [Bool]) -> Double? {
    rankAUC(scores: scores.map(Double.init), positives: positives)
}

/// The same AUC from the two groups' scores.
public func rankAUC(positives: [Double], negatives: [Double]) -> Double? {
    rankAUC(scores: positives + negatives,
            positives: [Bool](repeating: true, count: positives.count) + [Bool](repeating: false, count: negatives.count))
}
