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

        public init(treeCount: Int = 100, maximumDepth: Int? = nil, minimumSamplesLeaf: Int = 1, maximumFeatures: Int? = nil, bootstrap: Bool = true) {
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
            let treeOptions = DecisionTree.Options(maximumDepth: options.maximumDepth, minimumSamplesLeaf: options.minimumSamplesLeaf,
                                                   maximumFeatures: min(tried, features))
            trees.append(try DecisionTree.fitted(columns: columns, labels: labels, weights: weights, options: treeOptions,
                                                 seed: rng.next(), operation: operation))
        }
        return RandomForest(trees: trees)
    }

    public func probability(_ row: [Float]) -> Double {
        trees.reduce(0) { $0 + $1.probability(row) } / Double(trees.count)
    }
}
