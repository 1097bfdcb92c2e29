import Foundation
import XCTest
@testable import LodePlot

/// The generic image panels and bar chart (attention maps, a window's layers, named values).
final class ImageChartTests: XCTestCase {
    func ramp(_ rows: Int, _ columns: Int, _ offset: Float = 0) -> [Float] {
        (0..<(rows * columns)).map { Float($0 % columns) / Float(columns) + Float($0 / columns) / Float(rows) + offset }
    }

    func testOneImageHasItsOwnColourBar() throws {
        let figure = try Figure.images([ImagePanel(name: "", values: ramp(16, 24), rows: 16, columns: 24)],
                                       title: "Spatial attention", colorBarLabel: "weight")
        XCTAssertEqual(figure.panels.count, 1)
        let bar = try XCTUnwrap(figure.panels[0].colorBar)
        XCTAssertEqual(bar.range.lowerBound, 0, accuracy: 1e-6)
        XCTAssertEqual(bar.range.upperBound, Double(23.0 / 24 + 15.0 / 16), accuracy: 1e-6)
        XCTAssertEqual(bar.label, "weight")
        try checkFigure(figure, name: "image_single", labels: ["Spatial attention", "weight", "0.5"], minimumColors: 20,
                        region: (0.1...0.6, 0.2...0.8))
    }

    func testPanelsShareOneScale() throws {
        let panels = (0..<6).map { ImagePanel(name: "head \($0 + 1)", values: ramp(5, 5, Float($0)), rows: 5, columns: 5) }
        let figure = try Figure.images(panels, title: "Heads", colorBarLabel: "attention")
        // Six images and one colour-scale panel spanning all values (0 ... 5 + 4/5 + 4/5).
        XCTAssertEqual(figure.panels.count, 7)
        XCTAssertTrue(figure.panels.dropLast().allSatisfy { $0.colorBar == nil })
        guard case .image(let first) = figure.panels[0].series[0], case .image(let last) = figure.panels[5].series[0] else {
            return XCTFail("panels hold images")
        }
        XCTAssertEqual(first.range, last.range)
        XCTAssertEqual(first.range.upperBound, 5 + 0.8 + 0.8, accuracy: 1e-5)
        XCTAssertEqual(figure.panels[6].yRange, first.range)
        try checkFigure(figure, name: "image_panels", labels: ["head 1", "head 6", "attention", "Heads"], minimumColors: 12,
                        region: (0...0.85, 0.1...0.9))

        let separate = try Figure.images(panels, sharedScale: false)
        XCTAssertEqual(separate.panels.count, 6)
        XCTAssertEqual(separate.panels[5].colorBar?.range.lowerBound ?? .nan, 5, accuracy: 1e-6)
    }

    func testDivergingScaleIsSymmetric() throws {
        let figure = try Figure.images([ImagePanel(name: "a", values: [-1, 3, 0, 2], rows: 2, columns: 2)], colormap: .diverging)
        XCTAssertEqual(figure.panels[0].colorBar?.range, -3...3)
        let constant = try Figure.images([ImagePanel(name: "c", values: [0.25, 0.25], rows: 1, columns: 2)])
        XCTAssertEqual(constant.panels[0].colorBar?.range, -0.25...0.75)
        _ = try constant.pngData(scale: 1)
    }

    func testBarsKeepTheirOrderAndLabels() throws {
        let names = ["Au", "As", "Sb", "faults"]
        let figure = try Figure.bars([0.61, 0.42, 0.55, 0.9], names: names, title: "Channel attention", valueLabel: "weight")
        XCTAssertEqual(figure.panels[0].yScale, .categories(["faults", "Sb", "As", "Au"]))
        XCTAssertEqual(figure.panels[0].xRange?.upperBound ?? 0, 0.9 * 1.18, accuracy: 1e-9)
        try checkFigure(figure, name: "bars", labels: ["Au", "faults", "0.610", "0.900", "weight", "Channel attention"],
                        minimumColors: 2)
        let signed = try Figure.bars([-0.5, 1], names: ["a", "b"])
        XCTAssertEqual(signed.panels[0].xRange?.lowerBound ?? 0, -0.5 - 0.18 * 1.5, accuracy: 1e-9)
        XCTAssertTrue(try signed.svg().contains("\u{2212}0.500"))
    }

    func testBadImagesAndBarsAreRejected() {
        XCTAssertThrowsError(try Figure.images([])) { XCTAssertTrue("\($0)".contains("at least one panel"), "\($0)") }
        XCTAssertThrowsError(try Figure.images([ImagePanel(name: "Au", values: [1, 2, 3], rows: 2, columns: 2)])) {
            XCTAssertTrue("\($0)".contains("image \"Au\" has 3 values for 2 rows x 2 columns"), "\($0)")
        }
        XCTAssertThrowsError(try Figure.images([ImagePanel(name: "a", values: [1], rows: 1, columns: 1)], range: 1...1)) {
            XCTAssertTrue("\($0)".contains("colour range"), "\($0)")
        }
        XCTAssertThrowsError(try Figure.bars([1, 2], names: ["a"])) { XCTAssertTrue("\($0)".contains("1 names for 2 values"), "\($0)") }
        XCTAssertThrowsError(try Figure.bars([.nan], names: ["Au"])) { XCTAssertTrue("\($0)".contains("\"Au\" is nan"), "\($0)") }
    }
}
