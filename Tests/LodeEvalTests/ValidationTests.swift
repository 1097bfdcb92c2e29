import LodeGeo
import LodeTensor
@testable import LodeEval
import XCTest

/// Map-level validation: scoring a map against the whole area, folds of whole deposits, the
/// exclusion that keeps held-out deposits out of training, and the leakage check.
final class ValidationTests: XCTestCase {
    /// Ten cells valued 0...9 and two NaN cells; deposits on cells 9 and 5. The top cell beats 9 of
    /// the 10 valid cells (percentile (9 + 0.5) / 10), cell 5 beats 5: the success-rate area is
    /// their mean, 0.75; the top 10 % (one cell) holds one deposit of two.
    func testScoreMapHandCase() throws {
        let grid = try GridSpec(west: 0, north: 10, cellSize: 10, rows: 1, cols: 12)
        let map = try Raster(grid: grid, name: "m", values: (0..<10).map(Float.init) + [.nan, .nan])
        let xs = [95.0, 55.0, 105.0, 500.0], ys = [5.0, 5.0, 5.0, 5.0]   // the last two: a NaN cell and off the grid
        let score = try scoreMap(map, x: xs, y: ys)
        XCTAssertEqual(score.percentiles, [0.95, 0.55])
        XCTAssertEqual(score.successArea, 0.75, accuracy: 1e-12)
        XCTAssertEqual(score.top10, 0.5, accuracy: 1e-12)
        XCTAssertEqual(score.top20, 0.5, accuracy: 1e-12)
        XCTAssertEqual(score.depositCount, 2)
        XCTAssertEqual(score.skipped, 2)
        // Ties count one half: a flat map puts every deposit at the median.
        let flat = try Raster(grid: grid, name: "flat", filledWith: 1)
        XCTAssertEqual(try scoreMap(flat, x: [95], y: [5]).percentiles, [0.5])
        XCTAssertEqual(try scoreMap(flat, x: [95], y: [5]).successArea, 0.5, accuracy: 1e-12)
        XCTAssertThrowsError(try scoreMap(map, x: [105], y: [5])) { error in
            XCTAssertTrue("\(error)".contains("valid cell"), "\(error)")
        }
    }

    func testFoldSummary() {
        let s = FoldSummary([0.6, 0.8, .nan, 1.0])
        XCTAssertEqual(s.mean, 0.8, accuracy: 1e-12)
        XCTAssertEqual(s.spread, 0.2, accuracy: 1e-12)
        XCTAssertEqual(s.count, 3)
    }

    // Two pairs of close deposits and one alone.
    let xs = [0.0, 500, 10_000, 10_500, 0], ys = [0.0, 500, 0, 200, 20_000]

    func testLeaveOneDepositOutHoldsOutEachDepositOnce() throws {
        let folds = try DepositFolds.make(x: xs, y: ys, scheme: .leaveOneOut)
        XCTAssertEqual(folds.map(\.heldOut), [[0], [1], [2], [3], [4]])
        XCTAssertEqual(folds[2].training, [0, 1, 3, 4])
    }

    func testSpatialBlocksHoldOutABlockTogether() throws {
        let folds = try DepositFolds.make(x: xs, y: ys, scheme: .spatialBlocks(size: 5000))
        XCTAssertEqual(folds.map(\.heldOut), [[0, 1], [2, 3], [4]])
        XCTAssertThrowsError(try DepositFolds.make(x: xs, y: ys, scheme: .spatialBlocks(size: 1e6))) { error in
            XCTAssertTrue("\(error)".contains("one block"), "\(error)")
        }
        XCTAssertThrowsError(try DepositFolds.make(x: xs, y: ys, scheme: .spatialBlocks(size: -1)))
    }

    func testGroupedFoldsKeepLinkedDepositsTogetherAndFollowTheSeed() throws {
        let folds = try DepositFolds.make(x: xs, y: ys, scheme: .grouped(k: 2, linkDistance: 1000, seed: 7))
        XCTAssertEqual(folds.count, 2)
        XCTAssertEqual(folds.flatMap(\.heldOut).sorted(), [0, 1, 2, 3, 4], "every deposit held out exactly once")
        for fold in folds {
            XCTAssertEqual(Set(fold.heldOut).isDisjoint(with: fold.training), true)
            XCTAssertEqual(fold.heldOut.contains(0), fold.heldOut.contains(1), "linked deposits 0 and 1 split")
            XCTAssertEqual(fold.heldOut.contains(2), fold.heldOut.contains(3), "linked deposits 2 and 3 split")
        }
        XCTAssertEqual(folds, try DepositFolds.make(x: xs, y: ys, scheme: .grouped(k: 2, linkDistance: 1000, seed: 7)))
        // Without links, seeds reorder the deposits; the sizes stay even.
        let loose = try DepositFolds.make(x: xs, y: ys, scheme: .grouped(k: 2, linkDistance: 0, seed: 1))
        XCTAssertEqual(loose.map(\.heldOut.count).sorted(), [2, 3])
        XCTAssertThrowsError(try DepositFolds.make(x: xs, y: ys, scheme: .grouped(k: 4, linkDistance: 1000, seed: 7))) { error in
            XCTAssertTrue("\(error)".contains("cannot fill 4 folds"), "\(error)")
        }
    }

    /// The guarantee of spatial folds: with jittered copies of every deposit (positives within 300 m
    /// of their deposit) and negatives anywhere, no sample a fold trains on is a copy of one of its
    /// held-out deposits or lies within the exclusion radius of one.
    func testHeldOutDepositsNeverReachTraining() throws {
        var rng = RandomStream(seed: 11)
        // Deposits 0 and 1 are 800 m apart: copies of 0 may sit next to 1.
        let dx = [1000.0, 1800, 6000, 9000, 3000, 7000], dy = [1000.0, 1000, 2000, 8000, 6000, 5000]
        var sx: [Double] = [], sy: [Double] = [], sources: [Int?] = []
        for d in dx.indices {
            for _ in 0..<40 {
                let angle = 2 * Double.pi * rng.nextUnit(), r = 300 * rng.nextUnit().squareRoot()
                sx.append(dx[d] + r * cos(angle)); sy.append(dy[d] + r * sin(angle)); sources.append(d)
            }
        }
        for _ in 0..<400 { sx.append(10_000 * rng.nextUnit()); sy.append(10_000 * rng.nextUnit()); sources.append(nil) }
        let radius = 300.0 + 800   // jitter radius + half a window of 16 cells of 100 m
        for scheme in [FoldScheme.leaveOneOut, .grouped(k: 3, linkDistance: 0, seed: 2), .spatialBlocks(size: 4000)] {
            for fold in try DepositFolds.make(x: dx, y: dy, scheme: scheme) {
                let exclusion = try HeldOutExclusion(heldOutX: fold.heldOut.map { dx[$0] }, heldOutY: fold.heldOut.map { dy[$0] },
                                                     heldOutIndices: fold.heldOut, radius: radius)
                let kept = try exclusion.kept(x: sx, y: sy, sources: sources)
                XCTAssertFalse(kept.isEmpty)
                for i in kept {
                    if let source = sources[i] { XCTAssertFalse(fold.heldOut.contains(source), "\(scheme): a copy of held-out deposit \(source) kept") }
                    for h in fold.heldOut {
                        XCTAssertGreaterThan(hypot(sx[i] - dx[h], sy[i] - dy[h]), radius, "\(scheme): sample \(i) near held-out deposit \(h)")
                    }
                }
                // Nothing else is dropped: every training copy far from the held-out deposits stays.
                let expected = sx.indices.filter { i in
                    !(sources[i].map(fold.heldOut.contains) ?? false) && fold.heldOut.allSatisfy { hypot(sx[i] - dx[$0], sy[i] - dy[$0]) > radius }
                }
                XCTAssertEqual(kept, expected)
            }
        }
        // Copies of deposit 0 are within radius of deposit 1: holding out 1 drops them too.
        let holdOne = try HeldOutExclusion(heldOutX: [dx[1]], heldOutY: [dy[1]], heldOutIndices: [1], radius: radius)
        XCTAssertTrue((0..<40).allSatisfy { !holdOne.allows(x: sx[$0], y: sy[$0], source: 0) })
        XCTAssertThrowsError(try HeldOutExclusion(heldOutX: [0], heldOutY: [0], radius: -1))
    }

    func testLeakageFlagsALayerThatSeparatesTheLabels() throws {
        let grid = try GridSpec(west: 0, north: 1000, cellSize: 100, rows: 10, cols: 10)
        var rng = RandomStream(seed: 3)
        let near = try Raster(grid: grid, name: "near_fault", values: (0..<100).map { Float($0 % 10) })   // grows eastwards
        let noise = try Raster(grid: grid, name: "noise", values: (0..<100).map { _ in Float(rng.nextUnit()) })
        let stack = try RasterStack([near, noise])
        // Positives down column 8, negatives down column 1 (one per row).
        let py = (0..<10).map { 50 + 100 * Double($0) }, ny = py
        let px = [Double](repeating: 850, count: 10), nx = [Double](repeating: 150, count: 10)
        let report = try LeakageCheck.report(stack: stack, positivesX: px, positivesY: py, negativesX: nx, negativesY: ny)
        XCTAssertEqual(report.layers[0].auc, 1)
        XCTAssertEqual(report.leaking.map(\.name), ["near_fault"])
        XCTAssertTrue(report.warnings[0].hasPrefix("the labels encode layer near_fault"), report.warnings[0])
        XCTAssertTrue(report.warnings[0].contains("window AUC will not measure prospectivity"))
        // Reversed labels separate as well (AUC 0 is as telling as 1).
        let reversed = try LeakageCheck.report(stack: stack, positivesX: nx, positivesY: ny, negativesX: px, negativesY: py)
        XCTAssertEqual(reversed.leaking.map(\.name), ["near_fault"])
        XCTAssertLessThan(reversed.layers[1].separation, 0.98)
    }
}
