import XCTest
import LodeGeo
@testable import LodeEval

/// Training and mapping cut the same window for the same cell, at the map's edge too.
final class EdgeWindowTests: XCTestCase {
    func testTrainingWindowOfAnEdgeCellIsItsMappingWindow() throws {
        let rows = 6, cols = 7, size = 5
        let grid = try GridSpec(west: 1000, north: 5000, cellSize: 10, rows: rows, cols: cols)
        // Distinct values per cell and layer, one missing cell, so a wrong index or edge rule shows.
        var first = (0..<(rows * cols)).map { Float($0) }
        first[1 * cols + 0] = .nan
        let second = (0..<(rows * cols)).map { Float(1000 + 3 * $0) }
        let stack = try RasterStack([try Raster(grid: grid, name: "a", values: first),
                                     try Raster(grid: grid, name: "b", values: second)])
        // Corner, south and east edges, and one cell in from the west edge.
        let cells = [(0, 0), (rows - 1, 3), (2, cols - 1), (rows - 1, cols - 1), (3, 1)]
        let points = try PointLayer(x: cells.map { grid.centreX(col: $0.1) }, y: cells.map { grid.centreY(row: $0.0) })
        let training = try WindowSampler(size: size, edge: .reflect).windows(stack, at: points, label: 1)
        XCTAssertEqual(training.count, cells.count)

        let length = 2 * size * size
        var mapped = [[Float]](repeating: [], count: rows * cols)
        _ = try predictMap(stack: stack, windowSize: size, stride: 1, expectedChannels: 2, batchSize: rows * cols,
                           model: { windows, count in
                               for k in 0..<count { mapped[k] = Array(windows[(k * length)..<((k + 1) * length)]) }
                               return [Float](repeating: 0, count: count)
                           })
        for (i, cell) in cells.enumerated() {
            let trained = Array(training.windows[(i * length)..<((i + 1) * length)])
            XCTAssertEqual(trained, mapped[cell.0 * cols + cell.1], "cell \(cell)")
        }
        // Hand check of the corner: layer a's row -2 reflects to row 2 and column -2 to column 2.
        XCTAssertEqual(mapped[0][0], first[2 * cols + 2])
        // Row -1 -> 1, column 0 is the missing cell (1, 0): written as 0.
        XCTAssertEqual(mapped[0][1 * size + 2], 0)
    }
}
