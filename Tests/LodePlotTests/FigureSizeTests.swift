import Foundation
import XCTest
@testable import LodePlot

/// Figures as a notebook shows them: SVG that scales to the output area, at most a 960 px
/// column for the wide charts, and sizes chosen within limits.
final class FigureSizeTests: XCTestCase {
    private func history(_ count: Int) -> [MetricHistory] {
        let epochs = (0..<count).map(Double.init)
        return [MetricHistory(name: "Loss", training: epochs.map { 0.7 - $0 * 0.01 }, validation: epochs.map { 0.72 - $0 * 0.01 }),
                MetricHistory(name: "Accuracy", training: epochs.map { 0.5 + $0 * 0.01 }, validation: epochs.map { 0.48 + $0 * 0.01 }),
                MetricHistory(name: "Validation AUC", training: [], validation: epochs.map { 0.6 + $0 * 0.01 })]
    }

    func testNotebookSVGScalesToTheOutputWidthAndFilesKeepPoints() throws {
        let figure = try Figure.trainingHistory(history(10))
        let fitting = try figure.svg(sizing: .fitting)
        XCTAssertTrue(fitting.contains("width=\"100%\" style=\"max-width:\(Int(figure.width * 4 / 3))px;height:auto\" viewBox=\"0 0 \(Int(figure.width)) \(Int(figure.height))\""), fitting.prefix(300).description)
        XCTAssertTrue(try figure.svg().contains("width=\"\(Int(figure.width))pt\" height=\"\(Int(figure.height))pt\""))
        XCTAssertEqual(try figure.mimeBundle(scale: 1)["image/svg+xml"], fitting)
    }

    func testHistoryAndMapFitANotebookColumn() throws {
        XCTAssertLessThanOrEqual(try Figure.trainingHistory(history(5)).width * 4 / 3, 960)
        let runs = ["A", "B"].map { (name: $0, metrics: history(5)) }
        XCTAssertLessThanOrEqual(try Figure.trainingHistories(runs).width * 4 / 3, 960)
        // A map three times as wide as high, with a legend beside it.
        let map = try Figure.map(values: [Float](repeating: 0.5, count: 30 * 90), rows: 30, columns: 90,
                                 geoTransform: [0, 100, 0, 3000, 0, -100], title: "wide", range: 0...1,
                                 overlays: MapOverlays(knownDeposits: [PlotPoint(100, 100)]))
        XCTAssertLessThanOrEqual(map.width * 4 / 3, 960)
        XCTAssertGreaterThanOrEqual(map.height, 320)
    }

    func testAValidationOnlyMetricIsLabelledValidation() throws {
        let figure = try Figure.trainingHistory(history(4))
        let labels = figure.panels[2].series.compactMap(\.legendLabel)
        XCTAssertEqual(labels, ["Validation"])
        let texts = try SVGTextCollector.parse(try figure.svg()).texts
        XCTAssertEqual(texts.filter { $0 == "Training" }.count, 2)
        XCTAssertEqual(texts.filter { $0 == "Validation" }.count, 3)
    }

    func testResizingKeepsPanelsAndRefusesSizesOutOfRange() throws {
        let figure = try Figure.trainingHistory(history(4))
        let resized = try figure.resized(width: 500)
        XCTAssertEqual(resized.width, 500)
        XCTAssertEqual(resized.height, figure.height)
        XCTAssertEqual(resized.panels.count, 3)
        XCTAssertThrowsError(try figure.resized(height: 40)) { error in
            XCTAssertEqual((error as? PlotError)?.message, "a figure's height must be between 100 and 3000 points, got 40.0")
        }
        XCTAssertThrowsError(try figure.resized(width: .infinity))
    }

    /// A history's legend goes to the corner its curves leave free: a loss that rises to the
    /// upper right keeps the legend upper left, a falling one upper right.
    func testHistoryLegendAvoidsTheCurves() throws {
        func trainingLabelX(_ training: [Double], _ validation: [Double]) throws -> Double {
            let figure = try Figure.trainingHistory([MetricHistory(name: "Loss", training: training, validation: validation)])
            let svg = try figure.svg()
            let found = try XCTUnwrap(svg.range(of: #"<text x="[\d.]+"[^>]*>Training</text>"#, options: .regularExpression))
            let x = svg[found].dropFirst(#"<text x=""#.count).prefix { $0 != "\"" }
            let value = try XCTUnwrap(Double(x))
            XCTAssertGreaterThan(value, 0)
            XCTAssertLessThan(value, figure.width)
            return value / figure.width
        }
        // One panel, 400 pt wide: the label sits 44 pt into a legend box in a corner.
        XCTAssertLessThan(try trainingLabelX([0.5, 0.55, 0.9], [0.6, 0.6, 0.6]), 0.4)
        XCTAssertGreaterThan(try trainingLabelX([0.9, 0.6, 0.5], [0.95, 0.7, 0.6]), 0.6)
    }

    /// Flat lines at the top and the bottom crowd every corner: the y axis is raised so the
    /// legend sits above the highest line instead of over it.
    func testACrowdedHistoryMakesRoomAboveTheCurvesForItsLegend() throws {
        let figure = try Figure.trainingHistory([MetricHistory(name: "Accuracy", training: [0.56, 0.58, 0.56],
                                                               validation: [0.83, 0.83, 0.83])])
        let svg = try figure.svg()
        func ys(ofPathWith marker: String) throws -> [Double] {
            let element = try XCTUnwrap(svg.components(separatedBy: "<path ").first { $0.contains(marker) }, marker)
            let d = try XCTUnwrap(element.components(separatedBy: "d=\"").dropFirst().first?.prefix { $0 != "\"" })
            return d.split(whereSeparator: { "MLZ".contains($0) }).compactMap { pair in
                pair.split(separator: " ").last.flatMap { Double($0) }
            }
        }
        let legendBottom = try XCTUnwrap(ys(ofPathWith: "fill-opacity=\"0.92\"").max())
        let validationTop = try XCTUnwrap(ys(ofPathWith: "stroke-dasharray=\"6 3\"").min())
        XCTAssertGreaterThan(validationTop, legendBottom, "the legend covers the validation line")
    }
}
