import Foundation
import LodeTensor

/// A cooperative game over `featureCount` players: v(S) for a batch of coalitions, each a
/// bit mask (bit i set = feature i present). The estimators below only ever see this, so the
/// same code explains a model over layers and a stored value table.
public typealias CoalitionValues = (_ coalitions: [UInt64]) throws -> [Double]

/// Largest feature count for exact Shapley values (2^20 coalitions).
public let exactShapleyFeatureLimit = 20

/// Exact Shapley values: v over all 2^M coalitions, asked for in Gray-code order (each
/// coalition differs from the one before by one feature, so a caller that builds masked
/// inputs can change one layer at a time) in batches of `batchSize`; then
/// phi_i = sum over S without i of |S|! (M - |S| - 1)! / M! (v(S + i) - v(S)).
public func exactShapley(featureCount: Int, batchSize: Int = 4096, values: CoalitionValues) throws -> (phi: [Double], empty: Double, full: Double) {
    let operation = "shap_exact"
    guard featureCount > 0 else { throw EvalError(operation, "there are no features to explain") }
    guard featureCount <= exactShapleyFeatureLimit else {
        throw EvalError(operation, "\(featureCount) features need 2^\(featureCount) coalitions; exact SHAP is limited to \(exactShapleyFeatureLimit) features, use permutation or kernel SHAP")
    }
    let m = featureCount
    let total = 1 << m
    var table = [Double](repeating: 0, count: total)
    var index = 0
    while index < total {
        let end = min(total, index + max(1, batchSize))
        let masks = (index..<end).map { UInt64($0 ^ ($0 >> 1)) }
        let batch = try values(masks)
        guard batch.count == masks.count else {
            throw EvalError(operation, "the value function returned \(batch.count) values for \(masks.count) coalitions")
        }
        for (mask, value) in zip(masks, batch) { table[Int(mask)] = value }
        index = end
    }
    // weight[s] = s! (m - s - 1)! / m!, built without factorials to stay exact in Double.
    var weight = [Double](repeating: 0, count: m)
    for s in 0..<m {
        // 1 / (m * C(m - 1, s))
        var binomial = 1.0
        for j in 0..<s { binomial = binomial * Double(m - 1 - j) / Double(j + 1) }
        weight[s] = 1 / (Double(m) * binomial)
    }
    var phi = [Double](repeating: 0, count: m)
    for mask in 0..<total {
        let size = mask.nonzeroBitCount
        for i in 0..<m where mask & (1 << i) == 0 {
            phi[i] += weight[size] * (table[mask | (1 << i)] - table[mask])
        }
    }
    return (phi, table[0], table[total - 1])
}

/// Permutation SHAP with antithetic sampling: each random order is walked forward (adding
/// features from the empty coalition) and then backward (removing them in the same order
/// from the full one), and both walks credit every feature with its marginal change.
/// Each walk telescopes to v(all) - v(none), so additivity holds exactly. The number of
/// orders is max_evals / (2M + 1), as shap's PermutationExplainer counts them.
public func permutationShapley(featureCount: Int, maxEvaluations: Int = 500, seed: UInt64 = 0,
                               values: CoalitionValues) throws -> (phi: [Double], empty: Double, full: Double) {
    let operation = "shap_permutation"
    let fullMask = try allFeaturesMask(featureCount, operation: operation)
    let m = featureCount
    let permutations = max(1, maxEvaluations / (2 * m + 1))
    var generator = RandomStream(seed: seed)
    // Ask for every coalition of every walk in one batch list; the caller batches them.
    var masks: [UInt64] = [0, fullMask]
    var orders: [[Int]] = []
    for _ in 0..<permutations {
        var order = Array(0..<m)
        for i in stride(from: m - 1, to: 0, by: -1) {
            order.swapAt(i, Int(generator.next() % UInt64(i + 1)))
        }
        orders.append(order)
        var forward: UInt64 = 0, backward = fullMask
        for feature in order.dropLast() {
            forward |= 1 << UInt64(feature)
            backward &= ~(1 << UInt64(feature))
            masks.append(forward)
            masks.append(backward)
        }
    }
    let results = try values(masks)
    guard results.count == masks.count else {
        throw EvalError(operation, "the value function returned \(results.count) values for \(masks.count) coalitions")
    }
    let empty = results[0], full = results[1]
    var phi = [Double](repeating: 0, count: m)
    var cursor = 2
    for order in orders {
        var previousForward = empty, previousBackward = full
        for (step, feature) in order.enumerated() {
            let isLast = step == m - 1
            let forward = isLast ? full : results[cursor]
            let backward = isLast ? empty : results[cursor + 1]
            if !isLast { cursor += 2 }
            phi[feature] += (forward - previousForward) + (previousBackward - backward)
            previousForward = forward
            previousBackward = backward
        }
    }
    return (phi.map { $0 / Double(2 * permutations) }, empty, full)
}

/// Kernel SHAP: the weighted least-squares fit of v(S) - v(none) = sum of phi_i over S with
/// the Shapley kernel weights, under the efficiency constraint sum phi = v(all) - v(none)
/// (substituted, so the fit has M - 1 unknowns). Coalition sizes whose every subset fits in
/// the budget are enumerated (paired with their complements, as in shap); the rest of the
/// budget samples the remaining sizes in proportion to their kernel weight.
public func kernelShapley(featureCount: Int, samples: Int = 2048, seed: UInt64 = 0,
                          values: CoalitionValues) throws -> (phi: [Double], empty: Double, full: Double) {
    let operation = "shap_kernel"
    let fullMask = try allFeaturesMask(featureCount, operation: operation)
    let m = featureCount
    if m == 1 {
        let ends = try values([0, fullMask])
        return ([ends[1] - ends[0]], ends[0], ends[1])
    }
    let coalitionCount = m >= 62 ? Int.max : (1 << m) - 2
    var budget = min(max(samples, 2 * m), coalitionCount)
    var weights: [UInt64: Double] = [:]
    // Sizes s and m - s form one group; kernel weight of a group of size s: (m-1)/(s(m-s)).
    let groupCount = (m - 1 + 1) / 2
    var groupWeight = (1...groupCount).map { s -> Double in
        let w = Double(m - 1) / Double(s * (m - s))
        return s == m - s ? w : 2 * w
    }
    let totalWeight = groupWeight.reduce(0, +)
    groupWeight = groupWeight.map { $0 / totalWeight }
    var remainingWeight = 1.0
    var firstSampled = groupCount + 1
    for s in 1...groupCount {
        let paired = s != m - s
        let subsets = binomial(m, s) * (paired ? 2 : 1)
        let share = groupWeight[s - 1] / remainingWeight
        guard Double(budget) * share >= subsets - 1e-8 else { firstSampled = s; break }
        let each = groupWeight[s - 1] / subsets
        forEachSubset(of: m, size: s) { mask in
            weights[mask, default: 0] += each
            if paired { weights[fullMask ^ mask, default: 0] += each }
        }
        budget -= Int(subsets)
        remainingWeight -= groupWeight[s - 1]
    }
    if firstSampled <= groupCount && budget > 0 && remainingWeight > 1e-12 {
        var generator = RandomStream(seed: seed)
        let sizes = Array(firstSampled...groupCount)
        let sizeWeights = sizes.map { groupWeight[$0 - 1] }
        let sizeTotal = sizeWeights.reduce(0, +)
        var draws: [UInt64: Double] = [:]
        var drawn = 0
        while drawn < budget {
            let s = sizes[generator.index(weights: sizeWeights, total: sizeTotal)]
            var order = Array(0..<m)
            for i in 0..<s { order.swapAt(i, i + Int(generator.next() % UInt64(m - i))) }
            let mask = order.prefix(s).reduce(UInt64(0)) { $0 | (1 << UInt64($1)) }
            draws[mask, default: 0] += 1
            drawn += 1
            if s != m - s { draws[fullMask ^ mask, default: 0] += 1; drawn += 1 }
        }
        let perDraw = remainingWeight / Double(drawn)
        for (mask, count) in draws { weights[mask, default: 0] += count * perDraw }
    }

    let masks = weights.keys.sorted()
    let results = try values([0, fullMask] + masks)
    guard results.count == masks.count + 2 else {
        throw EvalError(operation, "the value function returned \(results.count) values for \(masks.count + 2) coalitions")
    }
    let empty = results[0], full = results[1]
    let delta = full - empty
    // Unknowns phi_0 ... phi_{m-2}; phi_{m-1} = delta - sum of the others.
    let n = m - 1
    var normal = [Double](repeating: 0, count: n * n)
    var right = [Double](repeating: 0, count: n)
    var row = [Double](repeating: 0, count: n)
    for (k, mask) in masks.enumerated() {
        let w = weights[mask] ?? 0
        let last = Double((mask >> UInt64(m - 1)) & 1)
        for i in 0..<n { row[i] = Double((mask >> UInt64(i)) & 1) - last }
        let y = results[k + 2] - empty - last * delta
        for i in 0..<n where row[i] != 0 {
            right[i] += w * row[i] * y
            for j in 0..<n where row[j] != 0 { normal[i * n + j] += w * row[i] * row[j] }
        }
    }
    guard let solution = solveSymmetric(normal, right, size: n) else {
        throw EvalError(operation, "the weighted regression is singular with \(masks.count) coalitions for \(m) features; raise `samples`")
    }
    return (solution + [delta - solution.reduce(0, +)], empty, full)
}

/// The coalition of every feature; coalitions are 64-bit masks, so at most 63 features.
func allFeaturesMask(_ featureCount: Int, operation: String) throws -> UInt64 {
    guard featureCount > 0, featureCount < 64 else {
        throw EvalError(operation, "feature count \(featureCount) must be between 1 and 63")
    }
    return (1 << UInt64(featureCount)) - 1
}

func binomial(_ n: Int, _ k: Int) -> Double {
    var result = 1.0
    for j in 0..<k { result = result * Double(n - j) / Double(j + 1) }
    return result.rounded()
}

/// Calls `body` with every bit mask of `size` bits out of `count` (Gosper's hack).
func forEachSubset(of count: Int, size: Int, _ body: (UInt64) -> Void) {
    guard size > 0 else { body(0); return }
    var mask: UInt64 = (1 << UInt64(size)) - 1
    let limit: UInt64 = 1 << UInt64(count)
    while mask < limit {
        body(mask)
        let lowest = mask & (~mask &+ 1)
        let ripple = mask &+ lowest
        mask = (((ripple ^ mask) >> 2) / lowest) | ripple
    }
}

/// Gaussian elimination with partial pivoting; nil when the matrix is (numerically) singular.
func solveSymmetric(_ matrix: [Double], _ vector: [Double], size n: Int) -> [Double]? {
    var a = matrix, b = vector
    let scale = (0..<n).map { abs(a[$0 * n + $0]) }.max() ?? 0
    for column in 0..<n {
        var pivot = column
        for r in (column + 1)..<max(column + 1, n) where abs(a[r * n + column]) > abs(a[pivot * n + column]) { pivot = r }
        guard abs(a[pivot * n + column]) > 1e-13 * max(scale, 1e-300) else { return nil }
        if pivot != column {
            for j in 0..<n { a.swapAt(column * n + j, pivot * n + j) }
            b.swapAt(column, pivot)
        }
        for r in (column + 1)..<max(column + 1, n) {
            let factor = a[r * n + column] / a[column * n + column]
            guard factor != 0 else { continue }
            for j in column..<n { a[r * n + j] -= factor * a[column * n + j] }
            b[r] -= factor * b[column]
        }
    }
    var x = [Double](repeating: 0, count: n)
    for r in stride(from: n - 1, through: 0, by: -1) {
        var sum = b[r]
        for j in (r + 1)..<max(r + 1, n) { sum -= a[r * n + j] * x[j] }
        x[r] = sum / a[r * n + r]
    }
    return x
}
