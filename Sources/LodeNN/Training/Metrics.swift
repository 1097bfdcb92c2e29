/// Area under the ROC curve by the Mann-Whitney statistic: the probability that a random
/// positive scores above a random negative (ties count half), from average ranks.
/// Returns nil when either class is absent.
public func rocAUC(scores: [Float], positives: [Bool]) -> Double? {
    let n = scores.count
    let pos = positives.filter { $0 }.count, neg = n - pos
    guard pos > 0, neg > 0, positives.count == n else { return nil }
    let order = (0..<n).sorted { scores[$0] < scores[$1] }
    var rankSumPositive = 0.0
    var i = 0
    while i < n {
        var j = i
        while j + 1 < n && scores[order[j + 1]] == scores[order[i]] { j += 1 }
        let averageRank = Double(i + j) / 2 + 1
        for k in i...j where positives[order[k]] { rankSumPositive += averageRank }
        i = j + 1
    }
    return (rankSumPositive - Double(pos) * Double(pos + 1) / 2) / (Double(pos) * Double(neg))
}
