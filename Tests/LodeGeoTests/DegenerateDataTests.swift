import Foundation
import LodeTensor
import XCTest
@testable import LodeGeo

/// A monitor that collects warnings and answers "stop" after a given number of checkpoints.
final class MonitorLog: @unchecked Sendable {
    private let lock = NSLock()
    private let cancelAfter: Int
    private(set) var checks = 0
    private(set) var warnings: [String] = []
    private(set) var stoppedAt: String?

    init(cancelAfter: Int = .max) { self.cancelAfter = cancelAfter }

    var monitor: WorkMonitor {
        WorkMonitor(isCancelled: { [self] in lock.withLock { checks += 1; return checks > cancelAfter } },
                    report: { _, _ in },
                    warning: { [self] text in lock.withLock { warnings.append(text) } })
    }

    func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try WorkMonitor.$current.withValue(monitor) { try body() }
        } catch let interrupted as WorkInterrupted {
            stoppedAt = interrupted.what
            throw interrupted
        }
    }
}

/// Degenerate data gives an error or a visible warning, and long steps stop at their next
/// checkpoint once asked (issue #14, items 4 and 5).
final class DegenerateDataTests: XCTestCase {
    /// 100 x 100 cells of 10 m; layer a holds the cell index, b its negative.
    func stack() throws -> RasterStack {
        let grid = try GridSpec(west: 0, north: 1000, cellSize: 10, rows: 100, cols: 100)
        return try RasterStack([try Raster(grid: grid, name: "a", values: (0..<10_000).map { Float($0) }),
                                try Raster(grid: grid, name: "b", values: (0..<10_000).map { Float(-$0) })])
    }

    func points(_ xy: [(Double, Double)], _ prefix: String) throws -> PointLayer {
        try PointLayer(x: xy.map(\.0), y: xy.map(\.1), columnNames: ["id"],
                       columns: [xy.indices.map { "\(prefix)\($0 + 1)" }], idColumn: "id")
    }

    func testANegativeInADepositsOwnCellWarns() throws {
        let deposits = try points([(305, 595), (505, 405)], "D")
        // (308, 591) is inside cell (row 40, col 30), the cell of D1 at (305, 595).
        let negatives = try points([(255, 255), (308, 591)], "N")
        let log = MonitorLog()
        let data = try log.run { try WindowSampler(size: 8).labelled(try stack(), positives: deposits, negatives: negatives) }
        XCTAssertEqual(data.count, 4)
        XCTAssertEqual(log.warnings, ["1 of 2 negatives lie in a deposit's own cell, so the same window is labelled both deposit and barren: "
                                      + "'N2' in the cell of 'D1'; keep the negatives away from the deposits"])
        // The two windows are indeed the same values with opposite labels.
        XCTAssertEqual(Array(data.window(0)), Array(data.window(3)))
        XCTAssertEqual([data.labels[0], data.labels[3]], [1, 0])
    }

    func testANegativeInsideADepositsWindowWarnsAndOneOutsideDoesNot() throws {
        let deposits = try points([(305, 595), (505, 405)], "D")
        // D1 is cell (40, 30); a size-8 window covers rows 36...43 and cols 26...33. N1 at cell
        // (43, 26) is its corner (3 rows, 4 columns away); N2 at (44, 30) is one row below it.
        let negatives = try points([(265, 565), (305, 555)], "N")
        let log = MonitorLog()
        let data = try log.run { try WindowSampler(size: 8).labelled(try stack(), positives: deposits, negatives: negatives) }
        XCTAssertEqual(data.count, 4)
        XCTAssertEqual(log.warnings.count, 1, "\(log.warnings)")
        XCTAssertTrue(log.warnings[0].hasPrefix("1 of 2 negatives lie inside a deposit's 8 x 8 window"), log.warnings[0])
        XCTAssertTrue(log.warnings[0].contains("'N1' 4 cells from 'D1'"), log.warnings[0])
        XCTAssertFalse(log.warnings[0].contains("N2"), log.warnings[0])
    }

    /// 3 deposits and 2 negatives, one window each (the deposits of WindowTests).
    func labelled() throws -> Dataset {
        let deposits = try points([(305, 595), (505, 405), (705, 605)], "D")
        let negatives = try points([(255, 255), (655, 255)], "N")
        return try WindowSampler(size: 8).labelled(try stack(), positives: deposits, negatives: negatives)
    }

    func testASplitWithAnEmptySideIsAnError() throws {
        // round(0.1 * 3) = 0 deposits and round(0.1 * 2) = 0 negatives held out: nothing to validate on.
        XCTAssertThrowsError(try Splits.randomStratified(try labelled(), validationFraction: 0.1, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("leaves the validation side empty"), "\(error)")
        }
    }

    func testASplitWithOneClassOrOneSiteOnASideWarns() throws {
        let data = try labelled()
        // round(0.2 * 3) = 1 deposit, round(0.2 * 2) = 0 negatives: validation holds deposits only.
        let log = MonitorLog()
        let split = try log.run { try Splits.randomStratified(data, validationFraction: 0.2, seed: 1) }
        XCTAssertEqual(split.validation.map { data.labels[$0] }, [1])
        XCTAssertEqual(log.warnings.count, 1, "\(log.warnings)")
        XCTAssertTrue(log.warnings[0].contains("the validation side of the random stratified split holds only deposit (label 1) windows: no AUC can be measured"),
                      log.warnings[0])
        // Grouped: one deposit and one negative held out, each a single site of several.
        let grouped = MonitorLog()
        let groupedSplit = try grouped.run { try Splits.grouped(data, validationFraction: 0.2, seed: 1) }
        XCTAssertEqual(groupedSplit.validation.map { data.labels[$0] }.sorted(), [0, 1])
        XCTAssertEqual(grouped.warnings.filter { $0.contains("validation side") && $0.contains("of a single site") }.count, 2, "\(grouped.warnings)")
        // Training keeps 2 deposits and 1 negative: the negatives' side is one site too.
        XCTAssertEqual(grouped.warnings.filter { $0.contains("training side") && $0.contains("barren (label 0) windows of a single site") }.count, 1,
                       "\(grouped.warnings)")
        // A split with several sites of both classes on each side says nothing.
        let augmented = try Augmentation(perClass: 40, seed: 2).augmented(try more(), stack: try stack())
        let quiet = MonitorLog()
        _ = try quiet.run { try Splits.grouped(augmented, validationFraction: 0.4, seed: 3) }
        XCTAssertEqual(quiet.warnings, [])
    }

    /// 6 deposits and 6 negatives spread over the grid, none inside another's window.
    func more() throws -> Dataset {
        let deposits = try points([(205, 795), (405, 795), (605, 795), (805, 795), (205, 595), (405, 595)], "D")
        let negatives = try points([(205, 205), (405, 205), (605, 205), (805, 205), (205, 405), (405, 405)], "N")
        return try WindowSampler(size: 8).labelled(try stack(), positives: deposits, negatives: negatives)
    }

    /// Each long step checks for an interrupt between small pieces of work: asked to stop after
    /// its first checkpoint, it stops at the second with `WorkInterrupted`.
    func testWindowsAugmentationAndKMeansStopAtTheirNextCheckpoint() throws {
        let stack = try stack()
        let grid: [(Double, Double)] = (0..<50).map { i in
            let column = Double(i % 10), row = Double(i / 10)
            return (105 + column * 80, 895 - row * 160)
        }
        let many = try points(grid, "P")
        let windows = MonitorLog(cancelAfter: 1)
        XCTAssertThrowsError(try windows.run { try WindowSampler(size: 8).windows(stack, at: many, label: 1) })
        XCTAssertEqual(windows.checks, 2)
        XCTAssertEqual(windows.stoppedAt, "windows")

        let augmentation = MonitorLog(cancelAfter: 1)
        let data = try more()
        XCTAssertThrowsError(try augmentation.run { try Augmentation(perClass: 50_000, seed: 1).augmented(data, stack: stack) })
        XCTAssertEqual(augmentation.checks, 2)
        XCTAssertEqual(augmentation.stoppedAt, "augment")

        var random = RandomStream(seed: 3)
        let rows = (0..<200_000).map { _ in random.nextUnit() }
        let kmeans = MonitorLog(cancelAfter: 4)
        XCTAssertThrowsError(try kmeans.run { try KMeans.fit(rows: rows, dimensions: 1, k: 4, seed: 1) })
        // Three checkpoints of the k-means++ start (centres 2 to 4) and one before the first
        // assignment pass go by; the second pass stops.
        XCTAssertEqual(kmeans.checks, 5)
        XCTAssertEqual(kmeans.stoppedAt, "k-means")
        // Without a monitor nothing changes: the same fit runs to the end.
        XCTAssertEqual(try KMeans.fit(rows: rows, dimensions: 1, k: 4, seed: 1).centres.count, 4)
    }

    /// A request the machine cannot hold is refused before anything is allocated.
    func testAugmentationBeyondTheMemoryBudgetIsRefused() throws {
        XCTAssertThrowsError(try Augmentation(perClass: 5_000_000_000, seed: 1).augmented(try more(), stack: try stack())) { error in
            XCTAssertTrue("\(error)".contains("use a smaller per_class"), "\(error)")
        }
    }
}
