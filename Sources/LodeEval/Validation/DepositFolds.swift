import Foundation
import LodeTensor

/// One fold of a spatial cross-validation: the deposits trained on and the deposits held out
/// (indices into the deposit list). Every deposit is held out by exactly one fold.
public struct DepositFold: Sendable, Equatable {
    public var index: Int
    public var training: [Int]
    public var heldOut: [Int]
}

/// How deposits are grouped into folds. Whole deposits are held out, never windows of them, so
/// a map is always scored on deposits it did not see.
public enum FoldScheme: Sendable, Equatable {
    /// Each deposit is held out on its own.
    case leaveOneOut
    /// Square blocks of `size` metres from the deposits' south-west corner; the deposits of one
    /// block are held out together (neighbours share their geology, so they leave together).
    case spatialBlocks(size: Double)
    /// `k` folds of about equal size. Deposits closer than `linkDistance` metres to each other are
    /// one group and stay in one fold; the groups are shuffled with the seed.
    case grouped(k: Int, linkDistance: Double, seed: UInt64)
}

public enum DepositFolds {
    /// The folds of a scheme over deposit coordinates (metres). Folds are returned in a fixed
    /// order; a fold never has an empty held-out set.
    public static func make(x: [Double], y: [Double], scheme: FoldScheme, operation: String = "folds") throws -> [DepositFold] {
        guard x.count == y.count else { throw EvalError(operation, "\(x.count) x coordinates but \(y.count) y coordinates") }
        guard x.count >= 2 else {
            throw EvalError(operation, "cross-validation needs at least 2 deposits, got \(x.count)")
        }
        if let bad = x.indices.first(where: { !x[$0].isFinite || !y[$0].isFinite }) {
            throw EvalError(operation, "deposit \(bad) has no finite coordinates (\(x[bad]), \(y[bad]))")
        }
        let groups: [[Int]]
        switch scheme {
        case .leaveOneOut:
            groups = x.indices.map { [$0] }
        case .spatialBlocks(let size):
            guard size > 0, size.isFinite else { throw EvalError(operation, "the block size must be a positive number of metres, got \(size)") }
            let west = x.min()!, south = y.min()!
            var byBlock: [String: [Int]] = [:]
            var order: [String] = []
            for i in x.indices {
                let key = "\(Int(((x[i] - west) / size).rounded(.down))),\(Int(((y[i] - south) / size).rounded(.down)))"
                if byBlock[key] == nil { order.append(key) }
                byBlock[key, default: []].append(i)
            }
            groups = order.map { byBlock[$0]! }
            if groups.count < 2 {
                throw EvalError(operation, "all \(x.count) deposits fall in one block of \(size / 1000) km; choose a smaller block size")
            }
        case .grouped(let k, let linkDistance, let seed):
            guard k >= 2 else { throw EvalError(operation, "grouped folds need k >= 2, got \(k)") }
            guard linkDistance >= 0, linkDistance.isFinite else {
                throw EvalError(operation, "the link distance must be zero or a positive number of metres, got \(linkDistance)")
            }
            let linked = linkedGroups(x: x, y: y, distance: linkDistance)
            guard linked.count >= k else {
                throw EvalError(operation, "\(linked.count) groups of deposits (within \(linkDistance / 1000) km of each other) cannot fill \(k) folds; use a smaller k or link distance")
            }
            groups = dealt(linked, into: k, seed: seed)
        }
        let all = Set(x.indices)
        return groups.enumerated().map { index, heldOut in
            DepositFold(index: index, training: all.subtracting(heldOut).sorted(), heldOut: heldOut.sorted())
        }
    }

    /// Single-linkage groups: deposits closer than `distance` to any member join its group.
    static func linkedGroups(x: [Double], y: [Double], distance: Double) -> [[Int]] {
        var parent = Array(x.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        if distance > 0 {
            for i in x.indices {
                for j in (i + 1)..<x.count where hypot(x[i] - x[j], y[i] - y[j]) < distance {
                    parent[root(i)] = root(j)
                }
            }
        }
        var byRoot: [Int: [Int]] = [:]
        var order: [Int] = []
        for i in x.indices {
            let r = root(i)
            if byRoot[r] == nil { order.append(r) }
            byRoot[r, default: []].append(i)
        }
        return order.map { byRoot[$0]! }
    }

    /// Shuffles the groups (seeded) then gives each, largest first, to the fold holding fewest
    /// deposits so far, so folds are as even as the groups allow.
    static func dealt(_ groups: [[Int]], into k: Int, seed: UInt64) -> [[Int]] {
        var rng = RandomStream(seed: seed)
        var shuffled = groups
        for i in stride(from: shuffled.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            shuffled.swapAt(i, j)
        }
        // Stable: among equal sizes the shuffled order decides.
        let order = shuffled.indices.sorted { shuffled[$0].count != shuffled[$1].count ? shuffled[$0].count > shuffled[$1].count : $0 < $1 }
        var folds = [[Int]](repeating: [], count: k)
        for g in order {
            let target = folds.indices.min { folds[$0].count != folds[$1].count ? folds[$0].count < folds[$1].count : $0 < $1 }!
            folds[target].append(contentsOf: shuffled[g])
        }
        return folds
    }
}
