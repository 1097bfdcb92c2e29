import Foundation

/// Keeps a held-out deposit out of training. A training sample (a positive window, a jittered
/// or augmented copy, a negative) is dropped when its centre lies within `radius` metres of any
/// held-out deposit, or when it was cut from a held-out deposit (its `sources` entry), wherever
/// it ended up. Use a radius of at least the jitter radius plus half a window, so no training
/// window overlaps a held-out deposit's cell.
public struct HeldOutExclusion: Sendable {
    public var heldOutX: [Double]
    public var heldOutY: [Double]
    /// Indices (into the full deposit list) of the held-out deposits.
    public var heldOutIndices: Set<Int>
    public var radius: Double

    public init(heldOutX: [Double], heldOutY: [Double], heldOutIndices: [Int] = [], radius: Double,
                operation: String = "exclude_near") throws {
        guard heldOutX.count == heldOutY.count else {
            throw EvalError(operation, "\(heldOutX.count) x coordinates but \(heldOutY.count) y coordinates of held-out deposits")
        }
        guard radius >= 0, radius.isFinite else {
            throw EvalError(operation, "the exclusion radius must be zero or a positive number of metres, got \(radius)")
        }
        self.heldOutX = heldOutX
        self.heldOutY = heldOutY
        self.heldOutIndices = Set(heldOutIndices)
        self.radius = radius
    }

    /// True when a sample at (x, y), cut from deposit `source` (nil for a negative or an
    /// unknown origin), may be used for training.
    public func allows(x: Double, y: Double, source: Int? = nil) -> Bool {
        if let source, heldOutIndices.contains(source) { return false }
        for i in heldOutX.indices where hypot(x - heldOutX[i], y - heldOutY[i]) <= radius { return false }
        return true
    }

    /// Indices of the samples that may be used for training, in order.
    public func kept(x: [Double], y: [Double], sources: [Int?]? = nil) throws -> [Int] {
        guard x.count == y.count else { throw EvalError("exclude_near", "\(x.count) x coordinates but \(y.count) y coordinates of samples") }
        if let sources, sources.count != x.count {
            throw EvalError("exclude_near", "\(sources.count) sources for \(x.count) samples")
        }
        return x.indices.filter { allows(x: x[$0], y: y[$0], source: sources?[$0] ?? nil) }
    }
}
