import Foundation
import LodeTensor

/// A random forest of CART trees: each tree grows on a bootstrap sample (drawn as per-sample
/// counts, like scikit-learn) trying sqrt(features) features at each node; the forest's
/// probability is the mean of the trees'. Every draw comes from one seeded RandomStream.
public struct RandomForest: Sendable {
    public var trees: [DecisionTree]

    public struct Options: Sendable {
        public var treeCount: Int
        public var maximumDepth: Int?
        public var minimumSamplesLeaf: Int
        /// nil: floor(sqrt(features)), at least 1.
        public var maximumFeatures: Int?
        public var bootstrap: Bool
        /// Weights each class by total / (2 x its weight) within every tree's bootstrap sample
        /// (scikit-learn's class_weight="balanced_subsample"), so rare positives — a few
        /// deposits among thousands of background cells — count as much as the background.
        public var balanced: Bool

        public init(treeCount: Int = 100, maximumDepth: Int? = nil, minimumSamplesLeaf: Int = 1, maximumFeatures: Int? = nil,
                    bootstrap: Bool = true, balanced: Bool = false) {
            self.balanced = balanced
            self.treeCount = treeCount
            self.maximumDepth = maximumDepth
            self.minimumSamplesLeaf = minimumSamplesLeaf
            self.maximumFeatures = maximumFeatures
            self.bootstrap = bootstrap
        }
    }

    public static func fitted(columns: [[Float]], labels: [Int], options: Options = Options(), seed: UInt64 = 0,
                              operation: String = "random_forest") throws -> RandomForest {
        guard options.treeCount >= 1 else { throw EvalError(operation, "a forest needs at least one tree, got \(options.treeCount)") }
        guard let n = columns.first?.count, n > 0 else { throw EvalError(operation, "no samples to grow a forest from") }
        let features = columns.count
        let tried = options.maximumFeatures ?? max(1, Int(Double(features).squareRoot()))
        var rng = RandomStream(seed: seed)
        var trees: [DecisionTree] = []
        for t in 0..<options.treeCount {
            // Reports progress and stops on an interrupt when a command runs the forest.
            try WorkMonitor.current?.checkpoint(Double(t) / Double(options.treeCount), "random forest")
            var weights = [Double](repeating: options.bootstrap ? 0 : 1, count: n)
            if options.bootstrap { for _ in 0..<n { weights[Int(rng.next() % UInt64(n))] += 1 } }
            if options.balanced { balance(&weights, labels: labels) }
            let treeOptions = DecisionTree.Options(maximumDepth: options.maximumDepth, minimumSamplesLeaf: options.minimumSamplesLeaf,
                                                   maximumFeatures: min(tried, features))
            trees.append(try DecisionTree.fitted(columns: columns, labels: labels, weights: weights, options: treeOptions,
                                                 seed: rng.next(), operation: operation))
        }
        return RandomForest(trees: trees)
    }

    /// Multiplies each sample's weight by total / (classes x its class's weight); a class absent
    /// from the sample keeps weight 0, as in scikit-learn.
    static func balance(_ weights: inout [Double], labels: [Int]) {
        var byClass: [Int: Double] = [:]
        for (i, w) in weights.enumerated() where w > 0 { byClass[labels[i], default: 0] += w }
        let total = byClass.values.reduce(0, +)
        for i in weights.indices where weights[i] > 0 {
            weights[i] *= total / (Double(byClass.count) * byClass[labels[i]]!)
        }
    }

    public func probability(_ row: [Float]) -> Double {
        trees.reduce(0) { $0 + $1.probability(row) } / Double(trees.count)
    }
}
