import XCTest
@testable import LodeGeo

/// The one point-to-cell rule, against cells worked out by hand on a 3 x 4 grid of 10 m cells
/// from (100, 200): east edge 140, south edge 170.
final class PointToCellTests: XCTestCase {
    func testEdgesByHand() throws {
        let grid = try GridSpec(west: 100, north: 200, cellSize: 10, rows: 3, cols: 4)
        func cell(_ x: Double, _ y: Double) -> [Int]? { grid.cell(x: x, y: y).map { [$0.row, $0.col] } }
        XCTAssertEqual(cell(100, 200), [0, 0])       // north-west corner: both edges held
        XCTAssertEqual(cell(110, 190), [1, 1])       // inner corner: the cell to the south-east holds it
        XCTAssertEqual(cell(109.999, 190.001), [0, 0])
        XCTAssertEqual(cell(140, 185), [1, 3])       // outer east edge: last column
        XCTAssertEqual(cell(120, 170), [2, 2])       // outer south edge: last row
        XCTAssertEqual(cell(140, 170), [2, 3])       // south-east corner
        XCTAssertNil(cell(140.001, 185))
        XCTAssertNil(cell(120, 169.999))
        XCTAssertNil(cell(99.999, 190))
        XCTAssertNil(cell(120, 200.001))
        XCTAssertNil(cell(.nan, 190))
    }
}
