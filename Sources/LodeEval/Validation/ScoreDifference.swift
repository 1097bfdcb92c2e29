import LodeTensor

/// How much better one map ranks the same deposits than another, and how sure that is. With a
/// few dozen deposits, gaps of a few hundredths between two maps' success-rate areas are within
/// chance; a paired bootstrap over the deposits (each resample keeps a deposit's two percentiles
/// together) gives the interval a verdict should quote beside the gap.
public struct ScoreDifference: Sendable, Equatable {
    /// Mean over the deposits of (percentile under map a) - (percentile under map b).
    public var difference: Double
    /// The central `level` bootstrap interval of that mean (percentile method).
    public var low: Double
    public var high: Double
    public var level: Double
    /// Share of the deposits that map a ranks higher than map b (ties count one half).
    public var wins: Double
    public var deposits: Int
    public var rounds: Int
}

/// Paired bootstrap of the mean percentile difference of two maps on the same deposits, drawn
/// from `seed`'s stream (the same seed gives the same interval).
public func scoreDifference(_ a: [Double], _ b: [Double], level: Double = 0.9, rounds: Int = 2000, seed: UInt64 = 0,
                            operation: String = "score_difference") throws -> ScoreDifference {
    guard a.count == b.count else {
        throw EvalError(operation, "the two scores hold \(a.count) and \(b.count) deposits; score both maps on the same deposits")
    }
    guard !a.isEmpty else { throw EvalError(operation, "no deposits to compare") }
    guard level > 0, level < 1 else { throw EvalError(operation, "the interval level must lie between 0 and 1, got \(level)") }
    guard rounds >= 100 else { throw EvalError(operation, "at least 100 bootstrap rounds are needed, got \(rounds)") }
    let gaps = zip(a, b).map { $0 - $1 }
    guard gaps.allSatisfy(\.isFinite) else { throw EvalError(operation, "a deposit's percentile is not a number") }
    let n = gaps.count
    let mean = gaps.reduce(0, +) / Double(n)
    var random = RandomStream(seed: seed)
    var means: [Double] = []
    means.reserveCapacity(rounds)
    for _ in 0..<rounds {
        var total = 0.0
        for _ in 0..<n { total += gaps[random.index(below: n)] }
        means.append(total / Double(n))
    }
    means.sort()
    func quantile(_ q: Double) -> Double {
        // Linear interpolation between order statistics (numpy's default).
        let position = q * Double(rounds - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, rounds - 1)
        return means[lower] + (position - Double(lower)) * (means[upper] - means[lower])
    }
    let tail = (1 - level) / 2
    let wins = gaps.reduce(0.0) { $0 + ($1 > 0 ? 1 : $1 == 0 ? 0.5 : 0) } / Double(n)
    return ScoreDifference(difference: mean, low: quantile(tail), high: quantile(1 - tail), level: level, wins: wins,
                           deposits: n, rounds: rounds)
}
