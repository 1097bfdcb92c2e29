import XCTest
@testable import LodeGeo

/// Background negatives and positives from the cells around deposits (the training recipe's
/// sampling), checked by brute force on small grids.
final class RecipeSamplingTests: XCTestCase {
    /// 60 x 80 cells of 50 m; layer "b" is missing (NaN) in the top-left 10 x 10 corner block.
    func stack() throws -> RasterStack {
        let grid = try GridSpec(west: 1000, north: 9000, cellSize: 50, rows: 60, cols: 80)
        let a = try Raster(grid: grid, name: "a", values: (0..<grid.cellCount).map { Float($0 % 7) })
        let b = try Raster(grid: grid, name: "b", values: (0..<grid.cellCount).map { i in
            i / grid.cols < 10 && i % grid.cols < 10 ? .nan : Float(i)
        })
        return try RasterStack([a, b])
    }

    func deposits() throws -> PointLayer {
        // Deposit centres of cells (30, 40) and (31, 43) - close enough to share cells - and (45, 15).
        try PointLayer(x: [1000 + 40.5 * 50, 1000 + 43.5 * 50 + 10, 1000 + 15.5 * 50],
                       y: [9000 - 30.5 * 50, 9000 - 31.5 * 50 - 5, 9000 - 45.5 * 50],
                       columnNames: ["id"], columns: [["D1", "D2", "D3"]], source: "deposits", idColumn: "id")
    }

    func distance(_ x: Double, _ y: Double, _ px: Double, _ py: Double) -> Double { ((x - px) * (x - px) + (y - py) * (y - py)).squareRoot() }

    func testBackgroundNegativesStayOutsideTheBufferAndInTheValidArea() throws {
        let stack = try stack(), deposits = try deposits(), grid = stack.grid
        let selection = BackgroundNegatives(count: 400, buffer: 600, edgeMargin: 3, seed: 7)
        let negatives = try selection.select(from: stack, deposits: deposits)
        XCTAssertEqual(negatives.count, 400)
        XCTAssertEqual(negatives.ids.prefix(2), ["B1", "B2"])
        var cells = Set<Int>()
        for i in 0..<negatives.count {
            let nearest = (0..<deposits.count).map { distance(negatives.x[i], negatives.y[i], deposits.x[$0], deposits.y[$0]) }.min()!
            XCTAssertGreaterThanOrEqual(nearest, 600, "negative \(i) lies \(nearest) m from a deposit")
            let cell = try XCTUnwrap(grid.cell(x: negatives.x[i], y: negatives.y[i]))
            XCTAssertFalse(cell.row < 10 && cell.col < 10, "negative \(i) is in the cells where a layer is missing")
            XCTAssertTrue(cell.row >= 3 && cell.col >= 3 && cell.row < 57 && cell.col < 77, "negative \(i) is within the edge margin")
            XCTAssertEqual(negatives.x[i], grid.centreX(col: cell.col), accuracy: 1e-9)
            cells.insert(cell.row * grid.cols + cell.col)
        }
        XCTAssertEqual(cells.count, 400, "a cell was drawn twice")
        // They spread over the map: every quarter of the valid area gets some.
        let quarters = Set((0..<negatives.count).map { i -> Int in
            let cell = grid.cell(x: negatives.x[i], y: negatives.y[i])!
            return (cell.row < 30 ? 0 : 2) + (cell.col < 40 ? 0 : 1)
        })
        XCTAssertEqual(quarters.count, 4)
    }

    func testBackgroundDrawsAreSeeded() throws {
        let stack = try stack(), deposits = try deposits()
        let one = try BackgroundNegatives(count: 50, buffer: 300, seed: 3).select(from: stack, deposits: deposits)
        let again = try BackgroundNegatives(count: 50, buffer: 300, seed: 3).select(from: stack, deposits: deposits)
        let other = try BackgroundNegatives(count: 50, buffer: 300, seed: 4).select(from: stack, deposits: deposits)
        XCTAssertEqual(one.x, again.x)
        XCTAssertEqual(one.y, again.y)
        XCTAssertNotEqual(one.x, other.x)
    }

    func testStratifiedDrawsGiveEachStratumItsShare() throws {
        // No deposit buffer reaches the corner strata; a 20 x 20-cell stratum of the 40 x 40-cell
        // open grid gets a quarter of 100 draws.
        let grid = try GridSpec(west: 0, north: 4000, cellSize: 100, rows: 40, cols: 40)
        let far = try PointLayer(x: [-50_000], y: [-50_000], columnNames: ["id"], columns: [["far"]], idColumn: "id")
        let valid = [Bool](repeating: true, count: grid.cellCount)
        let chosen = try BackgroundNegatives(count: 100, buffer: 0, edgeMargin: 0, strataSize: 2000, seed: 11)
            .select(grid: grid, valid: valid, deposits: far)
        var perStratum = [Int: Int]()
        for i in 0..<chosen.count {
            let cell = grid.cell(x: chosen.x[i], y: chosen.y[i])!
            perStratum[(cell.row / 20) * 2 + cell.col / 20, default: 0] += 1
        }
        XCTAssertEqual(perStratum, [0: 25, 1: 25, 2: 25, 3: 25])
    }

    func testTooFewBackgroundCellsIsAClearError() throws {
        let stack = try stack(), deposits = try deposits()
        XCTAssertThrowsError(try BackgroundNegatives(count: 5000, buffer: 600, edgeMargin: 3).select(from: stack, deposits: deposits)) { error in
            XCTAssertTrue("\(error)".contains("5000 background negatives were requested"), "\(error)")
        }
        XCTAssertThrowsError(try BackgroundNegatives(count: 10, buffer: -1).select(from: stack, deposits: deposits))
    }

    func testPositiveCellsAreDistinctCellsWithinTheRadius() throws {
        let stack = try stack(), deposits = try deposits(), grid = stack.grid
        let radius = 160.0
        let cells = try PositiveSampling(radius: radius, perDeposit: 1000, edgeMargin: 2, seed: 5).select(from: stack, deposits: deposits)
        // Brute force: every usable cell within the radius of a deposit's cell, owned by the nearer deposit.
        var expected: [String: Set<Int>] = ["D1": [], "D2": [], "D3": []]
        let centres = (0..<deposits.count).map { grid.cell(x: deposits.x[$0], y: deposits.y[$0])! }
        for r in 2..<58 {
            for c in 2..<78 {
                let d = centres.map { (Double($0.row - r) * Double($0.row - r) + Double($0.col - c) * Double($0.col - c)).squareRoot() * 50 }
                guard let best = d.indices.filter({ d[$0] <= radius }).min(by: { (d[$0], $0) < (d[$1], $1) }) else { continue }
                expected[deposits.ids[best]]!.insert(r * grid.cols + c)
            }
        }
        var got: [String: Set<Int>] = ["D1": [], "D2": [], "D3": []]
        for i in 0..<cells.count {
            let cell = grid.cell(x: cells.x[i], y: cells.y[i])!
            let (inserted, _) = got[cells.ids[i]]!.insert(cell.row * grid.cols + cell.col)
            XCTAssertTrue(inserted, "cell \(cell) appears twice")
        }
        XCTAssertEqual(got, expected)
        // Radius 160 m at 50 m cells (3.2 cells) holds 7 + 2·7 + 2·5 + 2·3 = 37 cells around a lone deposit.
        XCTAssertEqual(expected["D3"]!.count, 37)
        XCTAssertEqual(cells.count, expected.values.reduce(0) { $0 + $1.count })
        // Each deposit's own cell comes first.
        XCTAssertEqual(grid.cell(x: cells.x[0], y: cells.y[0])!.row, 30)
        XCTAssertEqual(grid.cell(x: cells.x[0], y: cells.y[0])!.col, 40)
    }

    func testPositiveCapKeepsTheDepositCellAndIsSeeded() throws {
        let stack = try stack(), deposits = try deposits(), grid = stack.grid
        let capped = try PositiveSampling(radius: 200, perDeposit: 6, edgeMargin: 0, seed: 9).select(from: stack, deposits: deposits)
        let again = try PositiveSampling(radius: 200, perDeposit: 6, edgeMargin: 0, seed: 9).select(from: stack, deposits: deposits)
        let other = try PositiveSampling(radius: 200, perDeposit: 6, edgeMargin: 0, seed: 10).select(from: stack, deposits: deposits)
        XCTAssertEqual(capped.count, 18)
        XCTAssertEqual(capped.ids, ["D1", "D1", "D1", "D1", "D1", "D1", "D2", "D2", "D2", "D2", "D2", "D2", "D3", "D3", "D3", "D3", "D3", "D3"])
        XCTAssertEqual(capped.x, again.x)
        XCTAssertEqual(capped.y, again.y)
        XCTAssertNotEqual(capped.x + capped.y, other.x + other.y)
        for start in [0, 6, 12] {
            let deposit = start / 6
            let own = grid.cell(x: deposits.x[deposit], y: deposits.y[deposit])!
            let first = grid.cell(x: capped.x[start], y: capped.y[start])!
            XCTAssertTrue(first == own, "deposit \(deposit)'s first cell \(first) is not its own \(own)")
            XCTAssertEqual(Set((start..<(start + 6)).map { capped.x[$0] * 1e6 + capped.y[$0] }).count, 6)
            for i in start..<(start + 6) {
                let cell = grid.cell(x: capped.x[i], y: capped.y[i])!
                XCTAssertLessThanOrEqual(Double((cell.row - own.row) * (cell.row - own.row) + (cell.col - own.col) * (cell.col - own.col)).squareRoot() * 50, 200)
            }
        }
        // Radius 0 is the deposit cell only: one window per deposit, as the paper.
        let single = try PositiveSampling(radius: 0, perDeposit: 5, edgeMargin: 0).select(from: stack, deposits: deposits)
        XCTAssertEqual(single.count, 3)
    }

    func testPositiveCellsSkipMissingCellsAndWindowsCutFromThemAreDistinct() throws {
        let stack = try stack(), grid = stack.grid
        // A deposit at cell (8, 8): cells with row and col < 10 are missing in layer b.
        let corner = try PointLayer(x: [grid.centreX(col: 8)], y: [grid.centreY(row: 8)], columnNames: ["id"], columns: [["C"]], idColumn: "id")
        let cells = try PositiveSampling(radius: 150, perDeposit: 100, edgeMargin: 0).select(from: stack, deposits: corner)
        XCTAssertFalse(cells.count == 0)
        for i in 0..<cells.count {
            let cell = grid.cell(x: cells.x[i], y: cells.y[i])!
            XCTAssertTrue(cell.row >= 10 || cell.col >= 10)
        }
        let data = try WindowSampler(size: 5).windows(stack, at: cells, label: 1)
        XCTAssertEqual(Set(data.sourceIDs), ["C"])
        XCTAssertEqual(Set((0..<data.count).map { Array(data.window($0)) }).count, data.count, "two positive windows are copies")
    }
}
