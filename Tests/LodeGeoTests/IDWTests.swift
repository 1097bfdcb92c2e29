import CLodeKernels
import XCTest
@testable import LodeGeo
import LodeTensor

final class IDWTests: XCTestCase {
    func table(_ x: [Double], _ y: [Double], _ columns: [[Double]], names: [String]? = nil) -> SampleTable {
        SampleTable(x: x, y: y, ids: x.indices.map { "\($0)" }, elements: names ?? columns.indices.map { "E\($0)" },
                    values: columns, censored: columns.map { $0.map { _ in false } }, crs: nil, source: "test", mergedDuplicates: 0)
    }

    /// Hand-worked: a 1 x 1 grid of 2 m cells, centre (1, 1). Samples at distance 1, 2 and 2 m:
    /// weights 1, 1/4, 1/4, values 3, 6, 12 -> (3 + 1.5 + 3) / 1.5 = 5 exactly.
    func testThreePointCaseIsExact() throws {
        let grid = try GridSpec(west: 0, north: 2, cellSize: 2, rows: 1, cols: 1)
        let samples = table([2, 1, -1], [1, 3, 1], [[3, 6, 12]])
        let stack = try IDW.interpolate(samples, onto: grid)
        XCTAssertEqual(stack.layers[0].values[0], 5)
        let pointwise = try IDW.interpolate(samples, element: "E0", atX: [1], atY: [1])
        XCTAssertEqual(pointwise[0], 5)
    }

    func testExactAtSamplesAndMissingSkipped() throws {
        let grid = try GridSpec(west: 0, north: 30, cellSize: 10, rows: 3, cols: 3)
        // Sample 0 sits on the centre of cell (1, 1); element E1 is missing there.
        let samples = table([15, 2, 28, 7], [15, 3, 22, 29], [[7, 1, 2, 3], [.nan, 4, 5, 6]])
        let stack = try IDW.interpolate(samples, onto: grid)
        XCTAssertEqual(stack.layers[0][1, 1], 7)
        let expected = try IDW.interpolate(table([2, 28, 7], [3, 22, 29], [[4, 5, 6]]), element: "E0", atX: [15], atY: [15])
        XCTAssertEqual(Double(stack.layers[1][1, 1]), expected[0], accuracy: 1e-6)
    }

    /// Global power-2 IDW against a double-precision brute force written here, on random data,
    /// on every instruction-set path of its inner loop that this CPU can run.
    func testGlobalIDWMatchesDoubleBruteForce() throws {
        let start = lode_cpu_path()
        defer { XCTAssertEqual(lode_cpu_use_path(start), 0) }
        var ran = 0
        for path in 0..<Int32(LODE_CPU_PATH_COUNT) where lode_cpu_path_available(path) != 0 {
            XCTAssertEqual(lode_cpu_use_path(path), 0)
            try checkGlobalIDWAgainstBruteForce(path: String(cString: lode_cpu_path_name(path)))
            ran += 1
        }
        XCTAssertGreaterThanOrEqual(ran, 1)
    }

    func checkGlobalIDWAgainstBruteForce(path: String) throws {
        var random = RandomStream(seed: 7, skipping: 1)
        let n = 900
        let x = (0..<n).map { _ in random.uniform(500_000, 520_000) }
        let y = (0..<n).map { _ in random.uniform(4_000_000, 4_015_000) }
        var columns = (0..<10).map { _ in (0..<n).map { _ in random.uniform(0.1, 100) } }
        for i in stride(from: 0, to: n, by: 37) { columns[3][i] = .nan }
        let grid = try GridSpec(west: 499_000, north: 4_016_000, cellSize: 250, rows: 70, cols: 90)
        let stack = try IDW.interpolate(table(x, y, columns), onto: grid)
        var worst = 0.0
        for r in stride(from: 0, to: grid.rows, by: 3) {
            for c in 0..<grid.cols {
                let cx = grid.centreX(col: c), cy = grid.centreY(row: r)
                for e in columns.indices {
                    var num = 0.0, den = 0.0
                    for i in 0..<n where !columns[e][i].isNaN {
                        let d2 = (x[i] - cx) * (x[i] - cx) + (y[i] - cy) * (y[i] - cy)
                        num += columns[e][i] / d2
                        den += 1 / d2
                    }
                    let reference = num / den
                    worst = max(worst, abs(Double(stack.layers[e][r, c]) - reference) / reference)
                }
            }
        }
        XCTAssertLessThan(worst, 1e-5, path)
    }

    func testNeighboursAndRadiusMatchBruteForce() throws {
        var random = RandomStream(seed: 3, skipping: 1)
        let n = 300
        let x = (0..<n).map { _ in random.uniform(0, 1000) }
        let y = (0..<n).map { _ in random.uniform(0, 1000) }
        let values = (0..<n).map { _ in random.uniform(1, 50) }
        let samples = table(x, y, [values])
        let targetsX = (0..<50).map { _ in random.uniform(0, 1000) }
        let targetsY = (0..<50).map { _ in random.uniform(0, 1000) }
        let nearest = try IDW.interpolate(samples, element: "E0", atX: targetsX, atY: targetsY,
                                          options: IDWOptions(power: 3, neighbours: 8))
        let radius = try IDW.interpolate(samples, element: "E0", atX: targetsX, atY: targetsY,
                                         options: IDWOptions(power: 2, searchRadius: 120))
        for t in 0..<50 {
            let d2 = (0..<n).map { (x[$0] - targetsX[t]) * (x[$0] - targetsX[t]) + (y[$0] - targetsY[t]) * (y[$0] - targetsY[t]) }
            let order = (0..<n).sorted { d2[$0] < d2[$1] }
            var num = 0.0, den = 0.0
            for i in order.prefix(8) { let w = pow(d2[i], -1.5); num += w * values[i]; den += w }
            XCTAssertEqual(nearest[t], num / den, accuracy: 1e-9)
            num = 0; den = 0
            for i in 0..<n where d2[i] <= 120 * 120 { num += values[i] / d2[i]; den += 1 / d2[i] }
            if den == 0 { XCTAssertTrue(radius[t].isNaN) } else { XCTAssertEqual(radius[t], num / den, accuracy: 1e-9) }
        }
    }
}
