import Foundation
import LodeTensor

/// A binary classification tree grown by CART with the Gini criterion, node by node in depth-first
/// order, the way scikit-learn's DecisionTreeClassifier grows one: a split goes between two
/// consecutive distinct values at their midpoint (`x <= threshold` goes left), the best split is
/// the first one found with the largest Gini decrease, and a node stays a leaf when it is pure,
/// too small or at the maximum depth. Features are Float32 like scikit-learn's trees.
public struct DecisionTree: Sendable {
    public struct Node: Sendable, Equatable {
        /// -1 for a leaf.
        public var feature: Int
        public var threshold: Double
        public var left: Int
        public var right: Int
        /// Weighted share of class 1 among the node's samples.
        public var probability: Double
        public var samples: Int
    }

    public struct Options: Sendable {
        public var maximumDepth: Int?
        public var minimumSamplesSplit: Int
        public var minimumSamplesLeaf: Int
        /// Features tried at each node (nil: all, in order; otherwise a seeded random subset).
        public var maximumFeatures: Int?

        public init(maximumDepth: Int? = nil, minimumSamplesSplit: Int = 2, minimumSamplesLeaf: Int = 1, maximumFeatures: Int? = nil) {
            self.maximumDepth = maximumDepth
            self.minimumSamplesSplit = minimumSamplesSplit
            self.minimumSamplesLeaf = minimumSamplesLeaf
            self.maximumFeatures = maximumFeatures
        }
    }

    /// Nodes in depth-first order (a node, then its left subtree, then its right one).
    public var nodes: [Node]

    /// Probability of class 1 for one row.
    public func probability(_ row: [Float]) -> Double {
        var index = 0
        while nodes[index].feature >= 0 {
            let node = nodes[index]
            index = Double(row[node.feature]) <= node.threshold ? node.left : node.right
        }
        return nodes[index].probability
    }

    /// `columns[feature][sample]`; `weights` are per-sample counts (bootstrap), 1 when nil.
    public static func fitted(columns: [[Float]], labels: [Int], weights: [Double]? = nil, options: Options = Options(),
                              seed: UInt64 = 0, operation: String = "decision_tree") throws -> DecisionTree {
        guard let n = columns.first?.count, n > 0 else { throw EvalError(operation, "no samples to grow a tree from") }
        guard columns.allSatisfy({ $0.count == n }), labels.count == n else {
            throw EvalError(operation, "features and labels have different numbers of samples")
        }
        guard labels.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw EvalError(operation, "labels must be 0 or 1") }
        if let weights, weights.count != n { throw EvalError(operation, "\(weights.count) weights for \(n) samples") }
        if let m = options.maximumFeatures, m < 1 { throw EvalError(operation, "maximum features must be at least 1, got \(m)") }
        let weight = weights ?? [Double](repeating: 1, count: n)
        var builder = Builder(columns: columns, labels: labels, weight: weight, options: options, rng: RandomStream(seed: seed))
        let samples = (0..<n).filter { weight[$0] > 0 }
        guard !samples.isEmpty else { throw EvalError(operation, "every sample has zero weight") }
        builder.grow(samples, depth: 0)
        return DecisionTree(nodes: builder.nodes)
    }

    struct Builder {
        let columns: [[Float]]
        let labels: [Int]
        let weight: [Double]
        let options: Options
        var rng: RandomStream
        var nodes: [Node] = []

        init(columns: [[Float]], labels: [Int], weight: [Double], options: Options, rng: RandomStream) {
            self.columns = columns
            self.labels = labels
            self.weight = weight
            self.options = options
            self.rng = rng
        }

        /// Appends the node for `samples` and its subtrees; returns its index.
        @discardableResult
        mutating func grow(_ samples: [Int], depth: Int) -> Int {
            var total = 0.0, positive = 0.0
            for s in samples {
                total += weight[s]
                if labels[s] == 1 { positive += weight[s] }
            }
            let share = positive / total
            let impurity = 1 - share * share - (1 - share) * (1 - share)
            let index = nodes.count
            nodes.append(Node(feature: -1, threshold: 0, left: -1, right: -1, probability: share, samples: samples.count))
            var isLeaf = samples.count < options.minimumSamplesSplit || samples.count < 2 * options.minimumSamplesLeaf
                || impurity <= Double.ulpOfOne
            if let depthLimit = options.maximumDepth, depth >= depthLimit { isLeaf = true }
            if isLeaf { return index }
            guard let split = bestSplit(samples, total: total, positive: positive) else { return index }
            let left = samples.filter { Double(columns[split.feature][$0]) <= split.threshold }
            let right = samples.filter { Double(columns[split.feature][$0]) > split.threshold }
            nodes[index].feature = split.feature
            nodes[index].threshold = split.threshold
            let leftIndex = grow(left, depth: depth + 1)
            let rightIndex = grow(right, depth: depth + 1)
            nodes[index].left = leftIndex
            nodes[index].right = rightIndex
            return index
        }

        /// The features tried at a node: all in order, or a seeded draw without replacement.
        mutating func candidateFeatures() -> [Int] {
            let d = columns.count
            guard let m = options.maximumFeatures, m < d else { return Array(0..<d) }
            var all = Array(0..<d)
            for i in 0..<m {
                let j = i + Int(rng.next() % UInt64(d - i))
                all.swapAt(i, j)
            }
            return Array(all.prefix(m))
        }

        /// Maximises scikit-learn's Gini proxy: sum over classes of count^2 / weight, left plus right.
        mutating func bestSplit(_ samples: [Int], total: Double, positive: Double) -> (feature: Int, threshold: Double)? {
            var best: (feature: Int, threshold: Double)?
            var bestProxy = -Double.infinity
            let leafMinimum = options.minimumSamplesLeaf
            for feature in candidateFeatures() {
                let column = columns[feature]
                let order = samples.sorted { column[$0] < column[$1] }
                guard let first = order.first, let last = order.last, column[last] > column[first] + 1e-7 else { continue }
                var leftTotal = 0.0, leftPositive = 0.0
                for p in 1..<order.count {
                    let previous = order[p - 1]
                    leftTotal += weight[previous]
                    if labels[previous] == 1 { leftPositive += weight[previous] }
                    // Only between distinct values, and with enough samples on both sides.
                    guard column[order[p]] > column[previous] + 1e-7 else { continue }
                    guard p >= leafMinimum, order.count - p >= leafMinimum else { continue }
                    let rightTotal = total - leftTotal, rightPositive = positive - leftPositive
                    let leftNegative = leftTotal - leftPositive, rightNegative = rightTotal - rightPositive
                    let proxy = (leftPositive * leftPositive + leftNegative * leftNegative) / leftTotal
                        + (rightPositive * rightPositive + rightNegative * rightNegative) / rightTotal
                    if proxy > bestProxy {
                        bestProxy = proxy
                        var threshold = Double(column[previous]) / 2 + Double(column[order[p]]) / 2
                        if threshold == Double(column[order[p]]) || !threshold.isFinite { threshold = Double(column[previous]) }
                        best = (feature, threshold)
                    }
                }
            }
            return best
        }
    }
}
