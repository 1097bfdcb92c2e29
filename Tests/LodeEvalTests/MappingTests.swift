import Foundation
import LodeGeo
import XCTest
@testable import LodeEval

final class MappingTests: XCTestCase {
    let rows = 9, columns = 11, windowSize = 4

    /// Layer 0 is a plane in (row, column), layer 1 is noise the model ignores.
    func plane(_ r: Int, _ c: Int) -> Float { 0.1 * Float(r) + 0.01 * Float(c) }

    func makeStack(missingNoiseCell: Int? = nil) throws -> RasterStack {
        var first = [Float](repeating: 0, count: rows * columns), second = first
        for r in 0..<rows {
            for c in 0..<columns {
                first[r * columns + c] = plane(r, c)
                second[r * columns + c] = Float((r * 7 + c * 3) % 5)
            }
        }
        if let missingNoiseCell { second[missingNoiseCell] = .nan }
        let grid = try GridSpec(west: 10, north: 50, cellSize: 2, rows: rows, cols: columns, crs: try CRS(epsg: 32645))
        return try RasterStack([try Raster(grid: grid, name: "plane", values: first), try Raster(grid: grid, name: "noise", values: second)])
    }

    /// Reads back the centre cell (index size/2, size/2) of layer 0 of each window.
    func centreModel(calls: UnsafeMutablePointer<Int>? = nil) -> BatchModel {
        let size = windowSize
        return { windows, count in
            calls?.pointee += 1
            let length = 2 * size * size
            return (0..<count).map { windows[$0 * length + (size / 2) * size + size / 2] }
        }
    }

    func testStrideOneGivesTheCentredWindowOfEveryCell() throws {
        var calls = 0
        let map = try predictMap(stack: try makeStack(), windowSize: windowSize, stride: 1, expectedChannels: 2,
                                 batchSize: 16, model: centreModel(calls: &calls))
        XCTAssertEqual(calls, (rows * columns + 15) / 16)
        for r in 0..<rows { for c in 0..<columns {
            XCTAssertEqual(map.values[r * columns + c], plane(r, c), accuracy: 1e-6, "cell \(r),\(c)")
        } }
        XCTAssertEqual(map.grid.crs?.epsg, 32645)
        XCTAssertEqual(map.grid.west, 10)
        XCTAssertEqual(map.name, "probability")
    }

    func testLargerStrideInterpolatesBilinearly() throws {
        // A plane is reproduced exactly by bilinear interpolation between window centres.
        var reports: [MappingProgress] = []
        let map = try predictMap(stack: try makeStack(), windowSize: windowSize, stride: 4, expectedChannels: 2,
                                 batchSize: 5, model: centreModel(), progress: { reports.append($0) })
        for r in 0..<rows { for c in 0..<columns {
            XCTAssertEqual(map.values[r * columns + c], plane(r, c), accuracy: 1e-5, "cell \(r),\(c)")
        } }
        // Anchors: rows 0, 4, 8; columns 0, 4, 8, 10 -> 12 windows in batches of 5.
        XCTAssertEqual(reports.map(\.windowsDone), [5, 10, 12])
        XCTAssertEqual(reports.last?.fraction, 1)
    }

    func testEdgeWindowsReflectAtTheBorder() throws {
        // Mean of the whole window: at the corner the window around centre index 2 covers rows
        // and columns -2, -1, 0, 1, which reflect to 2, 1, 0, 1 (mean 1), so the mean is one
        // plane step per axis.
        let size = windowSize
        let meanModel: BatchModel = { windows, count in
            (0..<count).map { k in windows[(k * 2 * size * size)..<(k * 2 * size * size + size * size)].reduce(0, +) / Float(size * size) }
        }
        let map = try predictMap(stack: try makeStack(), windowSize: size, stride: 1, expectedChannels: 2, model: meanModel)
        XCTAssertEqual(map.values[0], 0.1 * 1 + 0.01 * 1, accuracy: 1e-6)
        // Last cell (8, 10): rows 6, 7, 8, 9 -> 6, 7, 8, 7 (mean 7); columns 8, 9, 10, 11 -> 8, 9, 10, 9 (mean 9).
        XCTAssertEqual(map.values[rows * columns - 1], 0.1 * 7 + 0.01 * 9, accuracy: 1e-6)
        // Interior cell (4, 5): rows 2..5, columns 3..6 -> mean row 3.5, mean column 4.5.
        XCTAssertEqual(map.values[4 * columns + 5], 0.1 * 3.5 + 0.01 * 4.5, accuracy: 1e-6)
    }

    func testTwoWorkersGiveTheSameMap() throws {
        let one = try predictMap(stack: try makeStack(), windowSize: windowSize, stride: 2, expectedChannels: 2,
                                 batchSize: 3, model: centreModel())
        let two = try predictMap(stack: try makeStack(), windowSize: windowSize, stride: 2, expectedChannels: 2,
                                 batchSize: 3, workers: 2, model: centreModel())
        XCTAssertEqual(one.values, two.values)
    }

    func testNaNCellsStayOutsideTheMap() throws {
        let stack = try makeStack(missingNoiseCell: 3)   // layer 1, cell (0, 3)
        let map = try predictMap(stack: stack, windowSize: windowSize, stride: 1, expectedChannels: 2, model: centreModel())
        XCTAssertTrue(map.values[3].isNaN)
        XCTAssertEqual(map.values[4], plane(0, 4), accuracy: 1e-6)
    }

    func testBadInputAndInterruption() throws {
        let stack = try makeStack()
        XCTAssertThrowsError(try predictMap(stack: stack, windowSize: 4, stride: 1, expectedChannels: 15, model: centreModel())) { error in
            XCTAssertTrue("\(error)".contains("the stack has 2 layers but the model expects 15 input channels"), "\(error)")
        }
        XCTAssertThrowsError(try predictMap(stack: stack, windowSize: 4, stride: 0, expectedChannels: 2, model: centreModel())) { error in
            XCTAssertTrue("\(error)".contains("stride is 0"), "\(error)")
        }
        XCTAssertThrowsError(try predictMap(stack: stack, windowSize: 4, stride: 1, expectedChannels: 2,
                                            model: { _, count in [Float](repeating: 0.5, count: count + 1) })) { error in
            XCTAssertTrue("\(error)".contains("returned"), "\(error)")
        }
        var batches = 0
        XCTAssertThrowsError(try predictMap(stack: stack, windowSize: 4, stride: 1, expectedChannels: 2, batchSize: 10,
                                            model: centreModel(), progress: { _ in batches += 1 },
                                            isCancelled: { batches >= 3 })) { error in
            XCTAssertTrue("\(error)".contains("interrupted after 30 of 99 windows"), "\(error)")
        }
    }
}
