import XCTest
@testable import LodeEval

final class MetricsTests: XCTestCase {
    func testROCAndAUCMatchScikitLearn() throws {
        let fixture = try loadFixture("roc_cases")
        let cases = try XCTUnwrap(fixture["cases"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(cases.count, 5)
        for c in cases {
            let name = c["name"] as? String ?? "?"
            let labels = ints(c["labels"]), scores = doubles(c["scores"])
            let auc = try rocAUC(labels: labels, scores: scores)
            XCTAssertEqual(auc, (c["auc"] as? NSNumber)?.doubleValue ?? .nan, accuracy: 1e-9, name)
            for (key, drop) in [("dropped", true), ("full", false)] {
                let expected = try XCTUnwrap(c[key] as? [String: Any])
                let curve = try rocCurve(labels: labels, scores: scores, dropIntermediate: drop)
                assertClose(curve.falsePositiveRates, doubles(expected["fpr"]), tolerance: 1e-9, "\(name) \(key) fpr")
                assertClose(curve.truePositiveRates, doubles(expected["tpr"]), tolerance: 1e-9, "\(name) \(key) tpr")
                XCTAssertEqual(curve.thresholds.first, .infinity)
                assertClose(Array(curve.thresholds.dropFirst()), doubles(expected["thresholds"]),
                            tolerance: 1e-12, "\(name) \(key) thresholds")
                // The trapezoid under the curve is the same Mann-Whitney statistic.
                XCTAssertEqual(curve.area, auc, accuracy: 1e-9, "\(name) \(key) area")
            }
        }
    }

    func testOneClassLabelsSayAUCIsUndefined() {
        XCTAssertThrowsError(try rocAUC(labels: [1, 1, 1], scores: [0.2, 0.5, 0.9])) { error in
            XCTAssertTrue("\(error)".contains("AUC is undefined"), "\(error)")
            XCTAssertTrue("\(error)".contains("class 1"), "\(error)")
        }
        XCTAssertThrowsError(try rocCurve(labels: [0, 0], scores: [0.2, 0.5])) { error in
            XCTAssertTrue("\(error)".contains("AUC is undefined"), "\(error)")
        }
    }

    func testEmptyAndMismatchedInputAreRejected() {
        XCTAssertThrowsError(try rocAUC(labels: [], scores: [Double]())) { error in
            XCTAssertTrue("\(error)".contains("validation set is empty"), "\(error)")
        }
        XCTAssertThrowsError(try rocCurve(labels: [0, 1], scores: [0.5])) { error in
            XCTAssertTrue("\(error)".contains("2 labels but 1 scores"), "\(error)")
        }
        XCTAssertThrowsError(try confusionMatrix(labels: [0, 2], scores: [0.1, 0.2])) { error in
            XCTAssertTrue("\(error)".contains("label 2 at index 1"), "\(error)")
        }
        XCTAssertThrowsError(try rocAUC(labels: [0, 1], scores: [0.1, .nan])) { error in
            XCTAssertTrue("\(error)".contains("index 1"), "\(error)")
        }
    }

    func testConfusionMatrixHandCase() throws {
        // labels   1    0    1    1    0    0    1
        // scores  .9   .8   .5   .4   .3   .5   .1   at .5: TP (.9, .5), FP (.8, .5), TN (.3),
        //                                                FN (.4, .1)
        let m = try confusionMatrix(labels: [1, 0, 1, 1, 0, 0, 1],
                                    scores: [0.9, 0.8, 0.5, 0.4, 0.3, 0.5, 0.1], threshold: 0.5)
        XCTAssertEqual([m.truePositives, m.falsePositives, m.trueNegatives, m.falseNegatives], [2, 2, 1, 2])
        XCTAssertEqual(m.accuracy, 3.0 / 7.0, accuracy: 1e-12)
        XCTAssertEqual(m.precision, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.recall, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.f1, 0.5, accuracy: 1e-12)
        let none = try confusionMatrix(labels: [1, 0], scores: [0.1, 0.2], threshold: 0.9)
        XCTAssertEqual(none.precision, 0)
        XCTAssertEqual(none.f1, 0)
    }

    func testSuccessRateHandWorkedCase() throws {
        // Cells by probability: .9 (deposit), .8, .8 (deposit), .5, .2 (deposit), .1.
        // Steps: 1/6 area -> 1/3 deposits; 3/6 -> 2/3 (the tied .8s together); 4/6 -> 2/3;
        // 5/6 -> 1; 6/6 -> 1. Area = 1/36 + 6/36 + 4/36 + 5/36 + 6/36 = 11/18.
        let curve = try successRateCurve(probabilities: [0.9, 0.8, 0.8, 0.5, 0.2, 0.1], depositCells: [0, 2, 4])
        assertClose(curve.areaShares, [0, 1 / 6, 3 / 6, 4 / 6, 5 / 6, 1], tolerance: 1e-12, "area")
        assertClose(curve.depositShares, [0, 1 / 3, 2 / 3, 2 / 3, 1, 1], tolerance: 1e-12, "deposits")
        assertClose(Array(curve.thresholds.dropFirst()), [0.9, 0.8, 0.5, 0.2, 0.1], tolerance: 1e-6, "thresholds")
        XCTAssertEqual(curve.area, 11.0 / 18.0, accuracy: 1e-12)
        XCTAssertEqual(curve.depositShare(atArea: 1.0 / 3.0), 0.5, accuracy: 1e-12)
        // NaN cells are outside the area: same curve with an extra NaN cell.
        let masked = try successRateCurve(probabilities: [0.9, 0.8, 0.8, 0.5, 0.2, 0.1, .nan], depositCells: [0, 2, 4])
        XCTAssertEqual(masked, curve)
    }

    func testSuccessRateRejectsBadDeposits() {
        XCTAssertThrowsError(try successRateCurve(probabilities: [0.5, 0.4], depositCells: [7])) { error in
            XCTAssertTrue("\(error)".contains("outside the map"), "\(error)")
        }
        XCTAssertThrowsError(try successRateCurve(probabilities: [0.5, 0.4], depositCells: [])) { error in
            XCTAssertTrue("\(error)".contains("no deposits"), "\(error)")
        }
    }

    func testPredictionAreaHandWorkedCase() throws {
        // Thresholds .1 and .9: rate 1 -> 1/3, area 1 -> 1/6. rate - (1 - area) goes 1 -> -1/2,
        // crossing at 2/3 of the way: t = .1 + 2/3 * .8, rate 5/9, area 4/9, density 5/4.
        let pa = try predictionArea(probabilities: [0.9, 0.8, 0.8, 0.5, 0.2, 0.1], depositCells: [0, 2, 4],
                                    thresholdCount: 2)
        assertClose(pa.predictionRates, [1, 1.0 / 3], tolerance: 1e-12, "rates")
        assertClose(pa.areaShares, [1, 1.0 / 6], tolerance: 1e-12, "areas")
        XCTAssertEqual(pa.intersectionThreshold, 0.1 + 2.0 / 3.0 * 0.8, accuracy: 1e-6)
        XCTAssertEqual(pa.intersectionPredictionRate, 5.0 / 9.0, accuracy: 1e-12)
        XCTAssertEqual(pa.normalizedDensity, 1.25, accuracy: 1e-12)
        // Finer thresholds: the .5 threshold sees 4 cells and 2 deposits.
        let fine = try predictionArea(probabilities: [0.9, 0.8, 0.8, 0.5, 0.2, 0.1], depositCells: [0, 2, 4],
                                      thresholdCount: 9)
        XCTAssertEqual(fine.thresholds[4], 0.5, accuracy: 1e-6)
        XCTAssertEqual(fine.predictionRates[4], 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(fine.areaShares[4], 4.0 / 6.0, accuracy: 1e-12)
    }

    func testComparisonTable() throws {
        var table = ModelComparison()
        table.add(try ComparisonRow(model: "SSGSNet", split: "random", labels: [0, 1, 1, 0],
                                    scores: [0.2, 0.9, 0.6, 0.7]))
        XCTAssertEqual(table.rows[0].auc, 0.75, accuracy: 1e-12)
        XCTAssertTrue(table.markdown.contains("| SSGSNet | random | 0.7500 | 0.7500 |"), table.markdown)
        XCTAssertTrue(table.csv.hasPrefix("model,split,AUC"))
    }
}
