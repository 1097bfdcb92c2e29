import XCTest
import LodeGeo
@testable import LodeEval

/// LodeEval's rasters place points by LodeGeo's rule: same cells on the outer edges.
final class RasterPointToCellTests: XCTestCase {
    func testRasterGridUsesTheGridRule() throws {
        let raster = try RasterGrid(values: [Float](repeating: 0, count: 12), rows: 3, columns: 4,
                                    geoTransform: GeoTransform(originX: 100, cellWidth: 10, originY: 200, cellHeight: -10))
        XCTAssertEqual(raster.cellIndex(x: 100, y: 200), 0)
        XCTAssertEqual(raster.cellIndex(x: 140, y: 185), 1 * 4 + 3)
        XCTAssertEqual(raster.cellIndex(x: 120, y: 170), 2 * 4 + 2)
        XCTAssertEqual(raster.cellIndex(x: 140, y: 170), 11)
        XCTAssertNil(raster.cellIndex(x: 140.001, y: 185))
        XCTAssertNil(raster.cellIndex(x: 120, y: 169.999))
    }
}
