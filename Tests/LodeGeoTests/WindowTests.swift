import XCTest
@testable import LodeGeo

final class WindowTests: XCTestCase {
    func testRotationAndFlipIndices() {
        // One channel, 3 x 3: 0 1 2 / 3 4 5 / 6 7 8.
        let window = (0..<9).map(Float.init)[...]
        // A quarter turn counter-clockwise puts the right column on top.
        XCTAssertEqual(WindowTransform.rotated90(window, channels: 1, size: 3), [2, 5, 8, 1, 4, 7, 0, 3, 6])
        XCTAssertEqual(WindowTransform.flippedLeftRight(window, channels: 1, size: 3), [2, 1, 0, 5, 4, 3, 8, 7, 6])
        XCTAssertEqual(WindowTransform.dihedral(2, window, channels: 1, size: 3), [8, 7, 6, 5, 4, 3, 2, 1, 0])
        var four = Array(window)
        for _ in 0..<4 { four = WindowTransform.rotated90(four[...], channels: 1, size: 3) }
        XCTAssertEqual(four, Array(window))
        // Each dihedral element equals its composition of quarter turns and a flip.
        let square = (0..<32).map(Float.init)[...]
        for d in 0..<8 {
            var expected = Array(square)
            for _ in 0..<(d % 4) { expected = WindowTransform.rotated90(expected[...], channels: 2, size: 4) }
            if d >= 4 { expected = WindowTransform.flippedLeftRight(expected[...], channels: 2, size: 4) }
            XCTAssertEqual(WindowTransform.dihedral(d, square, channels: 2, size: 4), expected, "d = \(d)")
        }
        // Two channels stay separate.
        let two = (0..<8).map(Float.init)[...]
        XCTAssertEqual(WindowTransform.rotated90(two, channels: 2, size: 2), [1, 3, 0, 2, 5, 7, 4, 6])
    }

    func stack() throws -> RasterStack {
        let grid = try GridSpec(west: 0, north: 1000, cellSize: 10, rows: 100, cols: 100)
        let a = try Raster(grid: grid, name: "a", values: (0..<10_000).map { Float($0) })
        let b = try Raster(grid: grid, name: "b", values: (0..<10_000).map { Float(-$0) })
        return try RasterStack([a, b])
    }

    func testCentreConventionEdgesAndTiles() throws {
        let stack = try stack()
        // Point in cell (row 40, col 30): centre (305, 595).
        let points = try PointLayer(x: [305, 15], y: [595, 985], columnNames: ["id"], columns: [["P", "Edge"]], source: "pts", idColumn: "id")
        let even = try WindowSampler(size: 32).windows(stack, at: points, label: 1)
        XCTAssertEqual(even.count, 1)
        XCTAssertEqual(even.warnings.count, 1)
        XCTAssertTrue(even.warnings[0].contains("Edge"))
        let w = Array(even.window(0))
        // Index (16, 16) of a 32 window is the point's cell; (0, 0) is (row 24, col 14).
        XCTAssertEqual(w[16 * 32 + 16], Float(40 * 100 + 30))
        XCTAssertEqual(w[0], Float(24 * 100 + 14))
        XCTAssertEqual(w[32 * 32], -Float(24 * 100 + 14))
        let odd = try WindowSampler(size: 5).windows(stack, at: points, label: 1)
        XCTAssertEqual(Array(odd.window(0))[2 * 5 + 2], Float(40 * 100 + 30))
        // Reflect: the edge point (row 1, col 1) keeps its window, mirrored at the border.
        let reflected = try WindowSampler(size: 5, edge: .reflect).windows(stack, at: points, label: 1)
        XCTAssertEqual(reflected.count, 2)
        let r = Array(reflected.window(1))
        XCTAssertEqual(r[0], Float(1 * 100 + 1))  // row -1 -> 1, col -1 -> 1
        XCTAssertEqual(r[2 * 5 + 2], Float(1 * 100 + 1))
        let tiles = try WindowSampler(size: 32).tiles(stack, stride: 16)
        XCTAssertEqual(tiles.count, 5 * 5)
        XCTAssertEqual(tiles.shape, [25, 2, 32, 32])
        XCTAssertEqual(Array(tiles.window(1))[0], 16)
    }

    func labelledData() throws -> (Dataset, RasterStack) {
        let stack = try stack()
        let deposits = try PointLayer(x: [305, 505, 705], y: [595, 405, 605], columnNames: ["id"], columns: [["D1", "D2", "D3"]], idColumn: "id")
        let negatives = try PointLayer(x: [255, 655], y: [255, 255], columnNames: ["id"], columns: [["N1", "N2"]], idColumn: "id")
        return (try WindowSampler(size: 8).labelled(stack, positives: deposits, negatives: negatives), stack)
    }

    func testAugmentationKeepsSourceIDs() throws {
        let (data, stack) = try labelledData()
        let augmented = try Augmentation(perClass: 40, seed: 5).augmented(data, stack: stack)
        XCTAssertEqual(augmented.count, 80)
        XCTAssertEqual(augmented.labels.filter { $0 == 1 }.count, 40)
        XCTAssertEqual(Set(augmented.sourceIDs), ["D1", "D2", "D3", "N1", "N2"])
        XCTAssertEqual(augmented.sourceIDs.filter { $0 == "N1" }.count, 20)
        // Without noise and shifts every copy is a dihedral image of its source.
        let exact = try Augmentation(perClass: 12, noiseStandardDeviation: 0, maximumShift: 0, seed: 1).augmented(data)
        for i in data.count..<exact.count {
            let source = data.sourceIDs.firstIndex(of: exact.sourceIDs[i])!
            let images = (0..<8).map { WindowTransform.dihedral($0, data.window(source), channels: 2, size: 8) }
            XCTAssertTrue(images.contains(Array(exact.window(i))))
        }
        let again = try Augmentation(perClass: 40, seed: 5).augmented(data, stack: stack)
        XCTAssertEqual(again.windows, augmented.windows)
    }

    func testSplits() throws {
        let (data, stack) = try labelledData()
        let augmented = try Augmentation(perClass: 30, seed: 2).augmented(data, stack: stack)
        let grouped = try Splits.grouped(augmented, validationFraction: 0.3, seed: 4)
        let trainIDs = Set(grouped.train.map { augmented.sourceIDs[$0] })
        let validationIDs = Set(grouped.validation.map { augmented.sourceIDs[$0] })
        XCTAssertTrue(trainIDs.isDisjoint(with: validationIDs))
        XCTAssertFalse(validationIDs.isEmpty)
        XCTAssertEqual(grouped.train.count + grouped.validation.count, augmented.count)
        let folds = try Splits.leaveOneDepositOut(augmented)
        XCTAssertEqual(folds.count, 3)
        for (fold, deposit) in zip(folds, ["D1", "D2", "D3"]) {
            let copies = Set((0..<augmented.count).filter { augmented.sourceIDs[$0] == deposit })
            XCTAssertEqual(copies.count, 10)
            XCTAssertTrue(copies.isSubset(of: Set(fold.validation)))
            XCTAssertFalse(fold.train.contains { augmented.sourceIDs[$0] == deposit })
        }
        let random = try Splits.randomStratified(augmented, validationFraction: 0.2, seed: 1)
        XCTAssertEqual(random.validation.filter { augmented.labels[$0] == 1 }.count, 6)
        XCTAssertEqual(random.validation.count, 12)
        let blocks = try Splits.spatialBlocks(augmented, blockSize: 300, validationFraction: 0.3, seed: 1)
        let heldBlocks = Set(blocks.validation.map { "\(Int(augmented.centreX[$0] / 300)),\(Int(augmented.centreY[$0] / 300))" })
        XCTAssertFalse(blocks.train.contains { heldBlocks.contains("\(Int(augmented.centreX[$0] / 300)),\(Int(augmented.centreY[$0] / 300))") })
    }
}
