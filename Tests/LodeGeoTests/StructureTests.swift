import XCTest
@testable import LodeGeo
import LodeTensor

final class StructureTests: XCTestCase {
    func testDistanceEqualsBruteForce() throws {
        var random = RandomStream(seed: 9, skipping: 1)
        let lines = try LineLayer(lines: (0..<6).map { _ in
            (0..<5).map { _ in SIMD2(random.uniform(-500, 12_000), random.uniform(-500, 9000)) }
        })
        let grid = try GridSpec(west: 0, north: 9000, cellSize: 100, rows: 90, cols: 120)
        let raster = try FaultDistance.raster(lines, grid: grid)
        var worst = 0.0
        for r in 0..<grid.rows {
            for c in 0..<grid.cols {
                let px = grid.centreX(col: c), py = grid.centreY(row: r)
                var best = Double.infinity
                for line in lines.lines {
                    for k in 0..<(line.count - 1) {
                        // Brute force: closest point by projection written out here.
                        let ax = line[k].x, ay = line[k].y, bx = line[k + 1].x, by = line[k + 1].y
                        let t = max(0, min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) * (bx - ax) + (by - ay) * (by - ay))))
                        let qx = ax + t * (bx - ax), qy = ay + t * (by - ay)
                        best = min(best, ((px - qx) * (px - qx) + (py - qy) * (py - qy)).squareRoot())
                    }
                }
                worst = max(worst, abs(Double(raster[r, c]) - best))
            }
        }
        XCTAssertLessThan(worst, 1e-2)  // Float storage of distances up to ~10 km
    }

    func testRingScoresAtBoundaries() throws {
        let rings = try RingBuffer()
        XCTAssertEqual(rings.score(distance: 0), 6)
        XCTAssertEqual(rings.score(distance: 500), 6)
        XCTAssertEqual(rings.score(distance: 500.001), 5)
        XCTAssertEqual(rings.score(distance: 1000), 5)
        XCTAssertEqual(rings.score(distance: 2999.9), 1)
        XCTAssertEqual(rings.score(distance: 3000), 1)
        XCTAssertEqual(rings.score(distance: 3000.001), 0)
        // On a grid: a vertical fault at x = 0, cells 100 m wide centred at 50, 150, ...
        let grid = try GridSpec(west: 0, north: 100, cellSize: 100, rows: 1, cols: 40)
        let fault = try LineLayer(lines: [[SIMD2(0, -1000), SIMD2(0, 1000)]])
        let influence = try rings.influence(of: fault, grid: grid)
        XCTAssertEqual(influence.values[4], 6)   // 450 m
        XCTAssertEqual(influence.values[5], 5)   // 550 m
        XCTAssertEqual(influence.values[29], 1)  // 2950 m
        XCTAssertEqual(influence.values[30], 0)  // 3050 m
        let custom = try RingBuffer(edges: [100, 200], scores: [10, 3], beyond: -1)
        XCTAssertEqual(custom.score(distance: 150), 3)
        XCTAssertEqual(custom.score(distance: 201), -1)
    }

    func testKMeansEqualsScikitLearnLloyd() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/kmeans_lloyd.json")
        let fixture = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let data = (fixture["data"] as! [[Double]])
        let rows = data.flatMap { $0 }
        for case let item as [String: Any] in fixture["cases"] as! [Any] {
            let k = item["k"] as! Int
            let result = try KMeans.fit(rows: rows, dimensions: 2, k: k, initialCentres: item["initial_centres"] as? [[Double]],
                                        tolerance: item["tol"] as! Double, renumberByMean: false)
            XCTAssertEqual(result.labels, item["labels"] as! [Int])
            let centres = item["centres"] as! [[Double]]
            for j in 0..<k { for f in 0..<2 { XCTAssertEqual(result.centres[j][f], centres[j][f], accuracy: 1e-9) } }
            XCTAssertEqual(result.inertia, item["inertia"] as! Double, accuracy: 1e-6)
        }
    }

    func testKMeansRenumbersByMeanAndIsSeeded() throws {
        let rows: [Double] = [10, 10.1, 9.9, 0, 0.1, -0.1, 5, 5.1, 4.9]
        let a = try KMeans.fit(rows: rows, dimensions: 1, k: 3, seed: 4)
        let b = try KMeans.fit(rows: rows, dimensions: 1, k: 3, seed: 4)
        XCTAssertEqual(a.labels, b.labels)
        XCTAssertEqual(a.labels, [2, 2, 2, 0, 0, 0, 1, 1, 1])
        XCTAssertEqual(a.centres.map { $0[0] }, [0, 5, 10].map(Double.init), accuracy: 1e-12)
    }

    /// k-means reports each Lloyd iteration and stops when the user asks.
    func testKMeansReportsProgressAndStopsOnInterrupt() throws {
        let rows: [Double] = [10, 10.1, 9.9, 0, 0.1, -0.1, 5, 5.1, 4.9]
        let reports = Reports()
        let watching = WorkMonitor(isCancelled: { false }, report: { fraction, what in reports.add(fraction, what) })
        _ = try WorkMonitor.$current.withValue(watching) { try KMeans.fit(rows: rows, dimensions: 1, k: 3, seed: 4, maximumIterations: 50) }
        // Reports are throttled to one per 50 ms, so a fit this small shows its first one only.
        XCTAssertTrue(reports.items.first?.1.hasPrefix("k-means") == true, "\(reports.items)")
        XCTAssertTrue(reports.items.allSatisfy { (0...1).contains($0.0) }, "\(reports.items)")
        let stopping = WorkMonitor(isCancelled: { true }, report: { _, _ in })
        XCTAssertThrowsError(try WorkMonitor.$current.withValue(stopping) { try KMeans.fit(rows: rows, dimensions: 1, k: 3, seed: 4) }) {
            XCTAssertTrue($0 is WorkInterrupted, "\($0)")
        }
    }

    func testNegativeSelectionRespectsDistances() throws {
        let grid = try GridSpec(west: 0, north: 20_000, cellSize: 100, rows: 200, cols: 200)
        let labels = Raster(grid: grid, name: "cluster", filledWith: 0)
        let fault = try LineLayer(lines: [[SIMD2(0, 10_000), SIMD2(20_000, 10_000)]])
        let distance = try FaultDistance.raster(fault, grid: grid)
        let deposits = try PointLayer(x: [5000], y: [15_000])
        let selection = NegativeSelection(count: 8, minimumFaultDistance: 2000, minimumDepositDistance: 3000, minimumSpacing: 2500, seed: 3)
        let chosen = try selection.select(clusterLabels: labels, faultDistance: distance, deposits: deposits)
        XCTAssertEqual(chosen.count, 8)
        for i in 0..<8 {
            XCTAssertGreaterThanOrEqual(abs(chosen.y[i] - 10_000), 2000)
            XCTAssertGreaterThanOrEqual(hypot(chosen.x[i] - 5000, chosen.y[i] - 15_000), 3000)
            for j in 0..<i { XCTAssertGreaterThanOrEqual(hypot(chosen.x[i] - chosen.x[j], chosen.y[i] - chosen.y[j]), 2500) }
        }
        let again = try selection.select(clusterLabels: labels, faultDistance: distance, deposits: deposits)
        XCTAssertEqual(again.x, chosen.x)
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}

/// Progress reports collected from a monitor.
final class Reports: @unchecked Sendable {
    private(set) var items: [(Double, String)] = []
    func add(_ fraction: Double, _ what: String) { items.append((fraction, what)) }
}
