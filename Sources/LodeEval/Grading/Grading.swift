/// Prospectivity classes of the paper: A is the key target.
public enum ProspectivityClass: String, CaseIterable, Sendable, Comparable {
    case a = "A", b = "B", c = "C"

    /// A ranks highest.
    public var rank: Int {
        switch self { case .a: return 3; case .b: return 2; case .c: return 1 }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// Lower bounds of the classes: A >= a, B in [b, a), C in [c, b), nothing below c.
/// The paper writes A as 0.95-0.99 because 0.99 was its highest probability; here A has no
/// upper bound so a higher probability is never left unclassified.
public struct GradeThresholds: Equatable, Sendable {
    public var a: Double
    public var b: Double
    public var c: Double

    public init(a: Double, b: Double, c: Double) throws {
        guard c < b, b < a else {
            throw EvalError("grade", "thresholds must rise C < B < A, got C \(c), B \(b), A \(a)")
        }
        self.a = a
        self.b = b
        self.c = c
    }

    /// A 0.95, B 0.90, C 0.85 (the paper's section 5).
    public static let paper = GradeThresholds(uncheckedA: 0.95, b: 0.90, c: 0.85)

    private init(uncheckedA a: Double, b: Double, c: Double) {
        self.a = a
        self.b = b
        self.c = c
    }

    public func classify(_ probability: Float) -> ProspectivityClass? {
        let p = Double(probability)
        guard p.isFinite else { return nil }
        if p >= a { return .a }
        if p >= b { return .b }
        if p >= c { return .c }
        return nil
    }
}

/// How the automatic thresholds were found, kept for the histogram figure.
public struct AutomaticGrading: Equatable, Sendable {
    public var thresholds: GradeThresholds
    /// Cells below this were dropped as background before the histogram.
    public var background: Double
    /// Centre of the fullest histogram bin above the background.
    public var peak: Double
    /// Highest probability on the map.
    public var extreme: Double
    public var binEdges: [Double]
    public var binCounts: [Int]
}

/// The paper's procedure: drop background cells (probability below `background`), take the
/// histogram of the rest, and cut from its peak to the highest value into three equal
/// intervals: C from the peak, then B, then A.
public func automaticGrading(probabilities: [Float], background: Double = 0.5, bins: Int = 50) throws -> AutomaticGrading {
    let operation = "grade_automatic"
    guard bins >= 3 else { throw EvalError(operation, "bins is \(bins); use at least 3") }
    let kept = probabilities.lazy.map(Double.init).filter { $0.isFinite && $0 >= background }
    guard let extreme = kept.max() else {
        throw EvalError(operation, "no cell has probability >= the background level \(background); lower `background`")
    }
    guard extreme > background else {
        throw EvalError(operation, "every cell above the background has the same probability \(extreme); there is no histogram to cut")
    }
    let width = (extreme - background) / Double(bins)
    var counts = [Int](repeating: 0, count: bins)
    for p in kept { counts[min(bins - 1, Int((p - background) / width))] += 1 }
    let edges = (0...bins).map { background + Double($0) * width }
    // The first fullest bin, so a flat histogram cuts from its lower end.
    var peakBin = 0
    for bin in counts.indices where counts[bin] > counts[peakBin] { peakBin = bin }
    let peak = (edges[peakBin] + edges[peakBin + 1]) / 2
    guard peak < extreme else {
        throw EvalError(operation, "the histogram peaks at the highest probability \(extreme); no interval is left to cut")
    }
    let step = (extreme - peak) / 3
    let thresholds = try GradeThresholds(a: peak + 2 * step, b: peak + step, c: peak)
    return AutomaticGrading(thresholds: thresholds, background: background, peak: peak, extreme: extreme,
                            binEdges: edges, binCounts: counts)
}
