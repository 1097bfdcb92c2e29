import LodeGeo
import LodeTensor
@testable import LodeEval
import XCTest

/// The per-cell baselines against scikit-learn on stored cases (scripts/make_baseline_fixture.py)
/// and weights of evidence against a case computed by hand.
final class BaselineReferenceTests: XCTestCase {
    func testLogisticRegressionEqualsScikitLearn() throws {
        let c = try XCTUnwrap(try loadFixture("baseline_cases")["logistic"] as? [String: Any])
        let x = try XCTUnwrap(c["x"] as? [[NSNumber]]).map { $0.map(\.doubleValue) }
        let model = try LogisticRegression.fitted(features: x, labels: ints(c["y"]), l2: try XCTUnwrap(c["l2"] as? Double))
        assertClose(model.coefficients, doubles(c["coefficients"]), tolerance: 1e-4, "coefficients")
        XCTAssertEqual(model.intercept, try XCTUnwrap(c["intercept"] as? Double), accuracy: 1e-4)
        assertClose(x.map(model.probability), doubles(c["probabilities"]), tolerance: 1e-4, "probabilities")
    }

    func testDecisionTreeEqualsScikitLearnNodeForNode() throws {
        let c = try XCTUnwrap(try loadFixture("baseline_cases")["tree"] as? [String: Any])
        let rows = try XCTUnwrap(c["x"] as? [[NSNumber]]).map { $0.map(\.floatValue) }
        let columns = (0..<rows[0].count).map { k in rows.map { $0[k] } }
        let tree = try DecisionTree.fitted(columns: columns, labels: ints(c["y"]),
                                           options: .init(maximumDepth: try XCTUnwrap(c["max_depth"] as? Int)))
        let expected = try XCTUnwrap(c["nodes"] as? [[String: NSNumber]])
        XCTAssertEqual(tree.nodes.count, expected.count, "node count")
        for (node, reference) in zip(tree.nodes, expected) {
            XCTAssertEqual(node.feature, reference["feature"]!.intValue)
            // The fixture holds scikit-learn's thresholds to the last bit, but JSONSerialization on
            // Linux may round the last digits when parsing: equal to 1e-12 is equal here.
            XCTAssertEqual(node.threshold, reference["threshold"]!.doubleValue, accuracy: 1e-12, "threshold of a node splitting feature \(node.feature)")
            XCTAssertEqual(node.samples, reference["samples"]!.intValue)
            XCTAssertEqual(node.probability, reference["probability"]!.doubleValue, accuracy: 1e-12)
        }
        let test = try XCTUnwrap(c["x_test"] as? [[NSNumber]]).map { $0.map(\.floatValue) }
        assertClose(test.map(tree.probability), doubles(c["probabilities_test"]), tolerance: 1e-12, "test probabilities")
    }

    func testRandomForestScoresLikeScikitLearn() throws {
        let c = try XCTUnwrap(try loadFixture("baseline_cases")["forest"] as? [String: Any])
        let rows = try XCTUnwrap(c["x"] as? [[NSNumber]]).map { $0.map(\.floatValue) }
        let columns = (0..<rows[0].count).map { k in rows.map { $0[k] } }
        let forest = try RandomForest.fitted(columns: columns, labels: ints(c["y"]),
                                             options: .init(treeCount: try XCTUnwrap(c["trees"] as? Int)), seed: 3)
        let test = try XCTUnwrap(c["x_test"] as? [[NSNumber]]).map { $0.map(\.floatValue) }
        let labels = ints(c["y_test"])
        let scores = test.map(forest.probability)
        let auc = try rocAUC(labels: labels, scores: scores)
        let accuracy = Double(zip(scores, labels).filter { ($0 > 0.5 ? 1 : 0) == $1 }.count) / Double(labels.count)
        // A different random stream grows different trees: the forests must score alike, not equal.
        XCTAssertEqual(auc, try XCTUnwrap(c["auc"] as? Double), accuracy: 0.02)
        XCTAssertEqual(accuracy, try XCTUnwrap(c["accuracy"] as? Double), accuracy: 0.04)
        // And one seed grows one forest.
        let again = try RandomForest.fitted(columns: columns, labels: ints(c["y"]), options: .init(treeCount: 5), seed: 3)
        let once = try RandomForest.fitted(columns: columns, labels: ints(c["y"]), options: .init(treeCount: 5), seed: 3)
        XCTAssertEqual(test.map(again.probability), test.map(once.probability))
    }

    func testBalancedForestWeighsRarePositivesLikeScikitLearn() throws {
        let c = try XCTUnwrap(try loadFixture("baseline_cases")["forest_balanced"] as? [String: Any])
        let rows = try XCTUnwrap(c["x"] as? [[NSNumber]]).map { $0.map(\.floatValue) }
        let columns = (0..<rows[0].count).map { k in rows.map { $0[k] } }
        let test = try XCTUnwrap(c["x_test"] as? [[NSNumber]]).map { $0.map(\.floatValue) }
        let leaf = try XCTUnwrap(c["min_leaf"] as? Int), trees = try XCTUnwrap(c["trees"] as? Int)
        func meanProbability(balanced: Bool) throws -> (mean: Double, auc: Double) {
            let forest = try RandomForest.fitted(columns: columns, labels: ints(c["y"]),
                                                 options: .init(treeCount: trees, minimumSamplesLeaf: leaf, balanced: balanced), seed: 5)
            let scores = test.map(forest.probability)
            return (scores.reduce(0, +) / Double(scores.count), try rocAUC(labels: ints(c["y_test"]), scores: scores))
        }
        // Other trees than scikit-learn's (another random stream): alike, not equal. The class
        // weights roughly double the mean probability of this 7 % positive case, as they do there.
        let balanced = try meanProbability(balanced: true), plain = try meanProbability(balanced: false)
        XCTAssertEqual(balanced.auc, try XCTUnwrap(c["auc"] as? Double), accuracy: 0.03)
        XCTAssertEqual(balanced.mean, try XCTUnwrap(c["mean_probability"] as? Double), accuracy: 0.03)
        XCTAssertEqual(plain.mean, try XCTUnwrap(c["mean_probability_unweighted"] as? Double), accuracy: 0.03)
    }

    /// Weights of one bootstrap draw: 3 positives of weight 1 and 9 negatives' weight in all;
    /// balanced, each class weighs half of the 12: positives 2 each, negatives 2/3 per unit.
    func testBalancedWeightsGiveEachClassHalfTheTotal() {
        var weights: [Double] = [1, 1, 1, 3, 2, 4, 0]
        RandomForest.balance(&weights, labels: [1, 1, 1, 0, 0, 0, 1])
        XCTAssertEqual(weights, [2, 2, 2, 2, 4.0 / 3, 8.0 / 3, 0])
    }

    /// Ten cells valued 0...9, deposits in cells 3, 8 and 9. The pattern "value >= 7" holds 3 cells
    /// and 2 deposits: P(B|D) = 2/3, P(B|~D) = 1/7, so W+ = ln(14/3); P(~B|D) = 1/3,
    /// P(~B|~D) = 6/7, so W- = ln(7/18). With one layer the posterior odds equal the counts'
    /// odds in each class: 2:1 inside the pattern, 1:6 outside.
    func testWeightsOfEvidenceHandCase() throws {
        let pattern = (0..<10).map { $0 >= 7 }
        var deposits = [Int](repeating: 0, count: 10)
        for cell in [3, 8, 9] { deposits[cell] = 1 }
        let w = try XCTUnwrap(EvidenceWeights.of(pattern: pattern, depositsPerCell: deposits, valid: [Bool](repeating: true, count: 10)))
        XCTAssertEqual(w.positive, log(14.0 / 3), accuracy: 1e-12)
        XCTAssertEqual(w.negative, log(7.0 / 18), accuracy: 1e-12)
        XCTAssertEqual(w.contrast, log(14.0 / 3) - log(7.0 / 18), accuracy: 1e-12)

        // Fitted on a raster, the threshold is the one of largest contrast among the area shares
        // tried: top 30 % (value >= 7: C = ln(14/3) - ln(7/18) = 2.485) beats top 20 % (value >= 8:
        // 2 of 2 cells hold deposits, no deposit-free cell inside: undefined) and top 50 % (value
        // >= 5: W+ = ln((2/3)/(3/7)) = 0.442, W- = ln((1/3)/(4/7)) = -0.539, C = 0.981).
        let grid = try GridSpec(west: 0, north: 100, cellSize: 10, rows: 1, cols: 10)
        let stack = try RasterStack([try Raster(grid: grid, name: "a", values: (0..<10).map(Float.init))])
        let woe = try WeightsOfEvidence.fitted(stack: stack, depositCells: [3, 8, 9], directions: [1], areaShares: [0.2, 0.3, 0.5])
        let evidence = try XCTUnwrap(woe.evidence.first)
        XCTAssertEqual(evidence.threshold, 7)
        XCTAssertEqual(evidence.areaShare, 0.3, accuracy: 1e-12)
        XCTAssertEqual(woe.priorLogit, log(3.0 / 7), accuracy: 1e-12)
        XCTAssertEqual(woe.posteriorLogit(row: [9]), log(2.0), accuracy: 1e-12)
        XCTAssertEqual(woe.posteriorLogit(row: [1]), log(1.0 / 6), accuracy: 1e-12)

        // A low-is-prospective layer (direction -1) takes the lowest cells as its pattern.
        let flipped = try RasterStack([try Raster(grid: grid, name: "b", values: (0..<10).map { Float(9 - $0) })])
        let woeFlipped = try WeightsOfEvidence.fitted(stack: flipped, depositCells: [3, 8, 9], directions: [-1], areaShares: [0.3])
        XCTAssertEqual(woeFlipped.posteriorLogit(row: [0]), log(2.0), accuracy: 1e-12)

        // When no threshold has every count (top 20 %: cells 8 and 9, both deposits), half a
        // count stands in for the empty one: W+ = ln((2/3)/(0.5/7)), W- = ln((1/3)/(7/7)).
        let corrected = try XCTUnwrap(try WeightsOfEvidence.fitted(stack: stack, depositCells: [3, 8, 9], directions: [1],
                                                                    areaShares: [0.2]).evidence.first)
        XCTAssertEqual(corrected.threshold, 8)
        XCTAssertEqual(corrected.weights.positive, log((2.0 / 3) / (0.5 / 7)), accuracy: 1e-12)
        XCTAssertEqual(corrected.weights.negative, log(1.0 / 3), accuracy: 1e-12)
    }

    /// On a map where one layer is the answer, every per-cell baseline ranks the deposits high,
    /// and the signs are chosen from the training deposits.
    func testBaselinesRankDepositsOnALayerThatIsTheAnswer() throws {
        let grid = try GridSpec(west: 0, north: 4000, cellSize: 100, rows: 40, cols: 40)
        var rng = RandomStream(seed: 5)
        let signal = (0..<1600).map { cell -> Float in
            let r = cell / 40, c = cell % 40
            return Float(-hypot(Double(r - 10), Double(c - 10)) / 10) + Float(rng.nextUnit() * 0.05)
        }
        let noise = (0..<1600).map { _ in Float(rng.nextUnit()) }
        let stack = try RasterStack([try Raster(grid: grid, name: "noise", values: noise),
                                     try Raster(grid: grid, name: "signal", values: signal.map { -$0 })])
        // Training and held-out deposits near cell (10, 10).
        let xs = [1050.0, 950.0, 1150.0, 1050.0], ys = [2950.0, 3050.0, 2950.0, 2850.0]
        var options = BaselineOptions()
        options.sampling = CellSampling(backgroundCount: 400, buffer: 200, seed: 1)
        options.forest.treeCount = 20
        for kind in [BaselineKind.bestLayer, .weightsOfEvidence, .logistic, .forest] {
            let baseline = try Baselines.fitted(kind, stack: stack, trainingX: Array(xs.prefix(3)), trainingY: Array(ys.prefix(3)),
                                                avoidX: [xs[3]], avoidY: [ys[3]], options: options)
            let score = try scoreMap(baseline.map, x: [xs[3]], y: [ys[3]])
            XCTAssertGreaterThan(score.successArea, 0.9, "\(kind): \(baseline.summary)")
        }
        let best = try Baselines.fitted(.bestLayer, stack: stack, trainingX: xs, trainingY: ys, options: options)
        XCTAssertTrue(best.summary.contains("signal negated"), best.summary)
    }
}

