import Foundation
import XCTest
@testable import LodeGeo

/// Polygons, masks, clipping, UTM zones and point splits, against hand-worked cases.
final class StudyAreaTests: XCTestCase {
    /// A 10 × 10 square with a 4 × 4 hole at (3…7, 3…7).
    func squareWithHole() throws -> PolygonLayer {
        try PolygonLayer(polygons: [[[SIMD2(0, 0), SIMD2(10, 0), SIMD2(10, 10), SIMD2(0, 10)],
                                     [SIMD2(3, 3), SIMD2(7, 3), SIMD2(7, 7), SIMD2(3, 7)]]])
    }

    func testInsideAndAreaHonourHoles() throws {
        let area = try squareWithHole()
        XCTAssertTrue(area.contains(x: 1, y: 1))
        XCTAssertFalse(area.contains(x: 5, y: 5))   // in the hole
        XCTAssertFalse(area.contains(x: 11, y: 5))
        XCTAssertEqual(area.area, 100 - 16, accuracy: 1e-12)
    }

    func testCellMaskKeepsCentresInside() throws {
        // 5 × 5 cells of 2 m over the square: centres at 1, 3, 5, 7, 9; (5, 5) is in the hole.
        let grid = try GridSpec(west: 0, north: 10, cellSize: 2, rows: 5, cols: 5)
        let mask = try squareWithHole().cellMask(grid)
        XCTAssertFalse(mask[2 * 5 + 2])
        XCTAssertTrue(mask[0])
        let raster = try Raster(grid: grid, name: "Au", values: (0..<25).map(Float.init)).masked(mask)
        XCTAssertTrue(raster.values[12].isNaN)
        XCTAssertEqual(raster.values[0], 0)
    }

    func testLinesAreCutAtTheEdge() throws {
        let area = try PolygonLayer(extent: Extent(west: 0, south: 0, east: 10, north: 10), crs: nil)
        let lines = try LineLayer(lines: [[SIMD2(-5, 5), SIMD2(15, 5)], [SIMD2(20, 20), SIMD2(30, 30)]], names: ["F1", "F2"])
        let clipped = try lines.clipped(to: area)
        XCTAssertEqual(clipped.count, 1)
        XCTAssertEqual(clipped.names, ["F1"])
        assertLines(clipped.lines, [[SIMD2(0, 5), SIMD2(10, 5)]])
        // Through the hole: two pieces.
        let through = try LineLayer(lines: [[SIMD2(-1, 5), SIMD2(11, 5)]], names: ["F"]).clipped(to: try squareWithHole())
        assertLines(through.lines, [[SIMD2(0, 5), SIMD2(3, 5)], [SIMD2(7, 5), SIMD2(10, 5)]])
        XCTAssertEqual(through.names, ["F part 1", "F part 2"])
    }

    func testUTMZones() throws {
        XCTAssertEqual(try CRS.utmCode(longitude: 119.57, latitude: -31.64), 32750)  // Western Australia
        XCTAssertEqual(try CRS.utmCode(longitude: 94.5, latitude: 36.0), 32646)      // East Kunlun
        XCTAssertEqual(try CRS.utmCode(longitude: 5, latitude: 60), 32632)           // Norway exception
        XCTAssertEqual(try CRS.utmCode(longitude: -180, latitude: 0), 32601)
        XCTAssertThrowsError(try CRS.utmCode(longitude: 0, latitude: 89))
    }

    func testSplitIsSeededAndComplete() throws {
        let points = try PointLayer(x: (0..<10).map(Double.init), y: Array(repeating: 0, count: 10),
                                    columnNames: ["name"], columns: [(0..<10).map { "D\($0)" }], idColumn: "name")
        let a = try points.split(fraction: 0.3, seed: 4)
        let b = try points.split(fraction: 0.3, seed: 4)
        XCTAssertEqual(a.heldBack.ids, b.heldBack.ids)
        XCTAssertEqual(a.heldBack.count, 3)
        XCTAssertEqual(Set(a.kept.ids + a.heldBack.ids), Set(points.ids))
        XCTAssertThrowsError(try points.split(fraction: 1, seed: 0))
        let selected = try points.selecting(columns: [])
        XCTAssertEqual(selected.columnNames, ["name"])
        XCTAssertThrowsError(try points.selecting(columns: ["Au"]))
    }

    func assertLines(_ got: [[SIMD2<Double>]], _ expected: [[SIMD2<Double>]], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.map(\.count), expected.map(\.count), file: file, line: line)
        for (a, b) in zip(got.joined(), expected.joined()) {
            XCTAssertEqual(a.x, b.x, accuracy: 1e-9, file: file, line: line)
            XCTAssertEqual(a.y, b.y, accuracy: 1e-9, file: file, line: line)
        }
    }
}
