import Foundation
import XCTest
@testable import LodePlot

/// Small deterministic generator for test data.
struct TestRandom {
    var state: UInt64
    mutating func unit() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) * 0x1p-53
    }
    mutating func normal() -> Double {
        let u = max(unit(), 1e-12), v = unit()
        return sqrt(-2 * log(u)) * cos(2 * .pi * v)
    }
}

final class FigureTests: XCTestCase {
    func rocLike(_ power: Double) -> NamedCurve {
        let x = stride(from: 0.0, through: 1.0, by: 0.02).map { $0 }
        let y = x.map { pow($0, power) }
        return NamedCurve(name: "M\(power)", x: x, y: y, value: 1 / (power + 1))
    }

    func testROCCurves() throws {
        let curves = [NamedCurve(name: "SSGSNet", x: rocLike(0.15).x, y: rocLike(0.15).y, value: 0.9453),
                      NamedCurve(name: "ViT", x: rocLike(0.2).x, y: rocLike(0.2).y, value: 0.9372),
                      NamedCurve(name: "ResNet", x: rocLike(0.3).x, y: rocLike(0.3).y, value: 0.9008),
                      NamedCurve(name: "DualBranchNet", x: rocLike(0.7).x, y: rocLike(0.7).y, value: 0.6369)]
        try checkFigure(try Figure.rocCurves(curves), name: "roc",
                        labels: ["SSGSNet (AUC = 0.945)", "DualBranchNet (AUC = 0.637)", "False positive rate",
                                 "True positive rate", "0.2", "1.0"])
    }

    func testMimeBundle() throws {
        let bundle = try Figure.rocCurves([NamedCurve(name: "SSGSNet", x: [0, 0.1, 1], y: [0, 0.8, 1], value: 0.95)]).mimeBundle(scale: 1)
        XCTAssertEqual(bundle["text/plain"], "<figure \"ROC curves (validation set)\", 1 panel, 520x480 pt>")
        let png = try XCTUnwrap(Data(base64Encoded: try XCTUnwrap(bundle["image/png"])))
        XCTAssertEqual(try DecodedPNG(png).width, 520)
        XCTAssertTrue(bundle["image/svg+xml"]?.contains("SSGSNet (AUC = 0.950)") == true)
    }

    func testTrainingHistory() throws {
        let epochs = 50
        let loss = (0..<epochs).map { 0.7 * exp(-Double($0) / 12) + 0.1 }
        let validationLoss = (0..<epochs).map { 0.7 * exp(-Double($0) / 10) + 0.14 + 0.01 * sin(Double($0)) }
        let accuracy = loss.map { 1.05 - $0 }
        let auc = loss.map { 1.0 - $0 * 0.6 }
        let figure = try Figure.trainingHistory([
            MetricHistory(name: "Loss", training: loss, validation: validationLoss),
            MetricHistory(name: "Accuracy", training: accuracy, validation: accuracy.map { $0 - 0.03 }),
            MetricHistory(name: "AUC", training: auc, validation: auc.map { $0 - 0.02 }),
        ])
        try checkFigure(figure, name: "history", labels: ["Loss", "Accuracy", "AUC", "Epoch", "Validation", "Training"],
                        minimumColors: 3)
    }

    /// Epochs are whole numbers: ten epochs in a narrow panel tick 2, 4, ... (or 5, 10), never 2.5.
    func testTrainingHistoriesOfSeveralRunsTickWholeEpochs() throws {
        let runs = ["SSGSNet", "ResNet"].enumerated().map { index, name in
            (name: name, metrics: [MetricHistory(name: "Loss", training: (0..<10).map { 0.7 - Double($0 + index) * 0.03 },
                                                 validation: (0..<10).map { 0.72 - Double($0) * 0.02 }),
                                   MetricHistory(name: "AUC", training: (0..<10).map { 0.5 + Double($0) * 0.04 })])
        }
        let figure = try Figure.trainingHistories(runs)
        try checkFigure(figure, name: "histories", labels: ["SSGSNet", "ResNet", "training", "validation", "Epoch", "10"],
                        minimumColors: 3)
        let texts = try SVGTextCollector.parse(try figure.svg()).texts
        XCTAssertFalse(texts.contains { ["2.5", "7.5", "1.5"].contains($0) }, "fractional epoch ticks: \(texts)")
        XCTAssertEqual(figure.panels.map { $0.legend == nil }, [true, false])
    }

    func testSuccessRateAndPredictionArea() throws {
        let area = stride(from: 0.0, through: 1.0, by: 0.01).map { $0 }
        let figure = try Figure.successRate([NamedCurve(name: "SSGSNet", x: area, y: area.map { pow($0, 0.25) }, value: 0.8),
                                             NamedCurve(name: "ResNet", x: area, y: area.map { pow($0, 0.5) }, value: 0.67)])
        try checkFigure(figure, name: "success_rate", labels: ["Share of study area (%)", "SSGSNet (area = 0.800)", "Random"],
                        minimumColors: 4)
        let thresholds = stride(from: 0.0, through: 1.0, by: 0.02).map { $0 }
        let pa = try Figure.predictionArea(thresholds: thresholds, predictionRates: thresholds.map { 1 - pow($0, 3) },
                                           areaShares: thresholds.map { pow(1 - $0, 2) },
                                           intersection: (threshold: 0.62, predictionRate: 0.76))
        try checkFigure(pa, name: "prediction_area",
                        labels: ["Prediction rate of deposits (%)", "Occupied area (%)", "76% of deposits in 24% of area"],
                        minimumColors: 4)
    }

    func makeMap() -> (values: [Float], rows: Int, columns: Int, transform: [Double]) {
        let rows = 80, columns = 120
        var random = TestRandom(state: 5)
        var values = [Float](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                // High along a NE-trending fault, a hotspot, some noise; NaN outside a corner.
                let d = abs(Double(r) - (70 - 0.5 * Double(c))) / 6
                let hot = exp(-(pow(Double(r - 25), 2) + pow(Double(c - 85), 2)) / 60)
                let p = 1 / (1 + exp(-(2.5 - d + 3 * hot + 0.3 * random.normal())))
                values[r * columns + c] = r + c < 12 ? .nan : Float(p)
            }
        }
        return (values, rows, columns, [420_000, 500, 0, 4_060_000, 0, -500])
    }

    func testMap() throws {
        let map = makeMap()
        func point(_ r: Double, _ c: Double) -> PlotPoint { PlotPoint(420_000 + 500 * c, 4_060_000 - 500 * r) }
        let overlays = MapOverlays(
            faults: [[point(70, 0), point(10, 120)], [point(40, 10), point(42, 60), point(38, 119)]],
            knownDeposits: [point(45, 50), point(25, 85)],
            hiddenDeposits: [point(60, 20), point(30, 80)],
            zones: [ZoneOutline(grade: "A", rings: [[point(20, 80), point(20, 90), point(30, 90), point(30, 80)]]),
                    ZoneOutline(grade: "B", rings: [[point(17, 77), point(17, 93), point(33, 93), point(33, 77)]]),
                    ZoneOutline(grade: "C", rings: [[point(40, 45), point(40, 60), point(50, 60), point(50, 45)]])])
        let figure = try Figure.map(values: map.values, rows: map.rows, columns: map.columns, geoTransform: map.transform,
                                    title: "SSGSNet prospectivity", overlays: overlays)
        try checkFigure(figure, name: "map",
                        labels: ["SSGSNet prospectivity", "Easting (m)", "Northing (m)", "Known deposit", "Hidden deposit",
                                 "Zone A", "Zone B", "Zone C", "Fault", "Probability of mineralisation", "440000"],
                        minimumColors: 20, region: (0.15...0.6, 0.2...0.8))
        XCTAssertThrowsError(try Figure.map(values: [1, 2], rows: 2, columns: 2, geoTransform: map.transform, title: "x")) { error in
            XCTAssertTrue("\(error)".contains("2 values for 2 rows x 2 columns"), "\(error)")
        }
    }

    func testHistogramWithThresholds() throws {
        var random = TestRandom(state: 9)
        let values = (0..<4000).map { _ in Float(min(0.999, max(0.5, 0.84 + 0.05 * random.normal()))) }
        let figure = try Figure.histogram(values, bins: 50, thresholds: [("A", 0.95), ("B", 0.90), ("C", 0.85)],
                                          range: 0.5...1.0)
        try checkFigure(figure, name: "histogram", labels: ["A \u{2265} 0.950", "Number of cells", "Probability of mineralisation"],
                        minimumColors: 3)
    }

    let layers = ["Au", "As", "Sb", "Hg", "Cu", "Pb", "Zn", "Bi", "Sn", "Mo", "W", "Co", "Li", "Ag", "Faults"]

    func makeSHAP() -> (values: [[Double]], data: [[Double]]) {
        var random = TestRandom(state: 21)
        var values: [[Double]] = [], data: [[Double]] = []
        for _ in 0..<120 {
            let row = layers.indices.map { _ in random.normal() }
            data.append(row)
            values.append(row.enumerated().map { f, v in v * 0.08 / Double(f + 1) + 0.005 * random.normal() })
        }
        return (values, data)
    }

    func testSHAPCharts() throws {
        let shap = makeSHAP()
        try checkFigure(try Figure.shapBeeswarm(values: shap.values, data: shap.data, featureNames: layers), name: "shap_beeswarm",
                        labels: ["Au", "Faults", "SHAP value (impact on the probability of mineralisation)", "Low", "High", "Layer value"],
                        minimumColors: 10)
        try checkFigure(try Figure.shapBar(values: shap.values, featureNames: layers), name: "shap_bar",
                        labels: ["Au", "mean(|SHAP value|)"], minimumColors: 3)
        try checkFigure(try Figure.shapWaterfall(values: shap.values[0], baseValue: 0.41, featureNames: layers, data: shap.data[0]),
                        name: "shap_waterfall", labels: ["E[f(x)] = 0.410", "f(x) = ", "other layers", "Au = "], minimumColors: 3,
                        region: (0.1...0.9, 0.1...0.9))
        XCTAssertThrowsError(try Figure.shapBar(values: [[1, 2]], featureNames: layers)) { error in
            XCTAssertTrue("\(error)".contains("SHAP row 0 has 2 values for 15 features"), "\(error)")
        }
    }

    func testLayerAttributionsAndCorrelation() throws {
        let size = 16
        let images: [[Float]] = layers.indices.map { l in
            (0..<(size * size)).map { i in Float(sin(Double(i % size + l) / 3) * cos(Double(i / size) / 4) / Double(l + 1)) }
        }
        try checkFigure(try Figure.layerAttributions(images, rows: size, columns: size, names: layers),
                        name: "attributions", labels: ["Au", "Faults", "Attribution"], minimumColors: 20, region: (0...0.85, 0.1...0.9))
        let shap = makeSHAP()
        let n = layers.count
        // Sample correlations of the test data, with some pairs pushed up so the colours vary.
        var matrix = [[Double]](repeating: [Double](repeating: 1, count: n), count: n)
        for i in 0..<n {
            for j in 0..<n where i != j {
                let a: [Double] = shap.data.map { $0[i] }
                let b: [Double] = shap.data.map { $0[j] }
                let ma: Double = a.reduce(0, +) / Double(a.count)
                let mb: Double = b.reduce(0, +) / Double(b.count)
                var cov = 0.0, va = 0.0, vb = 0.0
                for k in a.indices {
                    cov += (a[k] - ma) * (b[k] - mb)
                    va += (a[k] - ma) * (a[k] - ma)
                    vb += (b[k] - mb) * (b[k] - mb)
                }
                let push: Double = (i + j) % 5 == 0 ? 0.6 : ((i + j) % 7 == 0 ? -0.5 : 0)
                matrix[i][j] = cov / (va * vb).squareRoot() + push
            }
        }
        try checkFigure(try Figure.correlationHeatmap(matrix, names: layers), name: "correlation",
                        labels: ["Pearson correlation", "1.00", "Au", "Faults"], minimumColors: 6)
    }

    func testColormapsArePerceptuallyOrdered() {
        // Lightness must rise monotonically along the sequential map (readable in grey).
        func luminance(_ c: Color) -> Double {
            func linear(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
            return 0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue)
        }
        let steps = (0...50).map { Colormap.sequential.color(at: Double($0) / 50) }
        for (a, b) in zip(steps, steps.dropFirst()) { XCTAssertLessThan(luminance(a), luminance(b)) }
        XCTAssertGreaterThan(steps[50].red, steps[50].blue)      // ends yellow
        XCTAssertGreaterThan(steps[0].blue, steps[0].green)      // starts blue-violet
        let diverging = Colormap.diverging
        XCTAssertGreaterThan(diverging.color(at: 0).blue, diverging.color(at: 0).red)
        XCTAssertGreaterThan(diverging.color(at: 1).red, diverging.color(at: 1).blue)
        XCTAssertGreaterThan(luminance(diverging.color(at: 0.5)), 0.85)
    }

    func testTicksAreNiceNumbers() {
        XCTAssertEqual(niceTicks(0, 1, target: 5).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        XCTAssertEqual(niceTicks(420_000, 480_000, target: 5).ticks, [420_000, 440_000, 460_000, 480_000])
        XCTAssertEqual(niceTicks(420_000, 480_000, target: 8).ticks, [420_000, 430_000, 440_000, 450_000, 460_000, 470_000, 480_000])
        XCTAssertEqual(niceTicks(-0.013, 0.087, target: 4).ticks.map { ($0 * 1000).rounded() / 1000 }, [0, 0.025, 0.05, 0.075])
        XCTAssertEqual(tickLabel(0.25, step: 0.05), "0.25")
        XCTAssertEqual(tickLabel(-0.5, step: 0.5), "\u{2212}0.5")
        XCTAssertEqual(tickLabel(440_000, step: 10_000), "440000")
    }

    func testBadFiguresAreRejected() {
        var figure = Figure(panels: [Axes(series: [.line(.init(x: [0, 1], y: [1], color: .black))])])
        XCTAssertThrowsError(try figure.pngData()) { error in
            XCTAssertTrue("\(error)".contains("panel 1, series 1: line has 2 x values but 1 y values"), "\(error)")
        }
        figure.panels = []
        XCTAssertThrowsError(try figure.svg()) { error in
            XCTAssertTrue("\(error)".contains("no panels"), "\(error)")
        }
        XCTAssertThrowsError(try Figure.rocCurves([])) { error in
            XCTAssertTrue("\(error)".contains("needs at least one curve"), "\(error)")
        }
    }
}
