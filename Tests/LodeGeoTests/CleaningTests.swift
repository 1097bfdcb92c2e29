import XCTest
@testable import LodeGeo
import LodeTensor

final class CleaningTests: XCTestCase {
    func layer() throws -> PointLayer {
        try PointLayer(x: [0, 10, 10, 20, 30], y: [0, 0, 0, 5, 5], columnNames: ["Au", "As"],
                       columns: [["<0.5", "2", "4", "-9999", "8"], ["1", "-2", "3", "5", "< 1"]], source: "lab.csv",
                       rowNumbers: [2, 3, 4, 5, 6])
    }

    func testCensoredMissingAndDuplicates() throws {
        let table = try layer().cleaned(elements: ["Au", "As"])
        // Rows 2 and 3 share (10, 0) and are averaged: Au (2 + 4) / 2, As (1 + 3) / 2 (-2 means <2, halved).
        XCTAssertEqual(table.count, 4)
        XCTAssertEqual(table.mergedDuplicates, 1)
        XCTAssertEqual(table.duplicateLocations, 1)
        XCTAssertEqual(table.values[0][0], 0.25)
        XCTAssertEqual(table.values[0][1], 3)
        XCTAssertTrue(table.values[0][2].isNaN)
        XCTAssertEqual(table.values[1][1], 2)
        let codes = try layer().cleaned(elements: ["As"], rules: CleaningRules(negativeValues: .missing))
        XCTAssertEqual(codes.values[0][1], 3)
        XCTAssertEqual(table.values[1][3], 0.5)
        XCTAssertEqual(table.ids[1], "2+3")
        XCTAssertTrue(table.censored[0][0])
        let third = try layer().cleaned(elements: ["Au"], rules: CleaningRules(belowDetectionFactor: 1.0 / 3, averageDuplicates: false))
        XCTAssertEqual(third.values[0][0], 0.5 / 3, accuracy: 1e-15)
        XCTAssertEqual(third.count, 5)
    }

    func testSummaryTable() throws {
        let table = sampleTable([0, 1, 2, 3, 4], [0, 0, 0, 0, 0], [[1, 2, 3, 4, 10]])
        let row = table.summary()[0]
        XCTAssertEqual(row.count, 5)
        XCTAssertEqual(row.median, 3)
        XCTAssertEqual(row.minimum, 1)
        XCTAssertEqual(row.maximum, 10)
        // mean 4; deviations -3 -2 -1 0 6: m2 = 50/5 = 10, m3 = (-27-8-1+216)/5 = 36, m4 = (81+16+1+1296)/5 = 278.8
        XCTAssertEqual(row.skewness, 36 / pow(10, 1.5), accuracy: 1e-12)
        XCTAssertEqual(row.kurtosis, 278.8 / 100 - 3, accuracy: 1e-12)
        XCTAssertTrue(table.summaryText().contains("E0"))
    }

    func testCorrelationAndPCA() throws {
        var random = RandomStream(seed: 5, skipping: 1)
        let n = 200
        let a = (0..<n).map { _ in random.gaussian() }
        let noise = (0..<n).map { _ in random.gaussian() }
        let b = a.map { 2 * $0 + 1 }
        let c = zip(a, noise).map { 0.6 * $0 + 0.8 * $1 }
        let table = sampleTable(Array(repeating: 0, count: n), Array(repeating: 0, count: n), [a, b, c])
        let r = table.correlationMatrix(logarithm: false)
        XCTAssertEqual(r[0][1], 1, accuracy: 1e-12)
        // Hand formula for r(a, c).
        let ma = a.reduce(0, +) / Double(n), mc = c.reduce(0, +) / Double(n)
        let sac = zip(a, c).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mc) }
        let saa = a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) }, scc = c.reduce(0) { $0 + ($1 - mc) * ($1 - mc) }
        XCTAssertEqual(r[0][2], sac / (saa * scc).squareRoot(), accuracy: 1e-12)
        let pca = try table.principalComponents(logarithm: false)
        // Eigenvalues of [[1,1,r],[1,1,r],[r,r,1]]: the spectrum sums to 3 and one is 0.
        XCTAssertEqual(pca.eigenvalues.reduce(0, +), 3, accuracy: 1e-9)
        XCTAssertEqual(pca.eigenvalues[2], 0, accuracy: 1e-9)
        let rho = r[0][2]
        XCTAssertEqual(pca.eigenvalues[0], (3 + (1 + 8 * rho * rho).squareRoot()) / 2, accuracy: 1e-9)
        // Loadings are correlations with the component: a and b load equally.
        XCTAssertEqual(pca.loadings[0][0], pca.loadings[1][0], accuracy: 1e-9)
    }

    func testTransforms() throws {
        let grid = try GridSpec(west: 0, north: 5, cellSize: 1, rows: 1, cols: 5)
        let raster = try Raster(grid: grid, name: "Au", values: [0, 1, 10, 100, .nan])
        let logged = try raster.log10Transformed()
        // Zero present: offset = half the smallest positive value (0.5).
        XCTAssertEqual(logged.values[0], log10(0.5), accuracy: 1e-6)
        XCTAssertEqual(logged.values[2], log10(10.5), accuracy: 1e-6)
        XCTAssertTrue(logged.values[4].isNaN)
        let z = try raster.standardized()
        let mean: Float = 27.75
        let sd = (([0, 1, 10, 100] as [Float]).map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
        XCTAssertEqual(z.values[3], (100 - mean) / sd, accuracy: 1e-5)
        XCTAssertEqual(try raster.minMaxScaled().values[2], 0.1, accuracy: 1e-7)
        // Quantiles of [0, 1, 10, 100] at 0.25 and 0.75: 0.75 and 32.5.
        let w = try raster.winsorized(lower: 0.25, upper: 0.75)
        XCTAssertEqual(Array(w.values.prefix(4)), [0.75, 1, 10, 32.5])
    }

    func testKrigingIsExactAtSamplesAndFitsVariogram() throws {
        let model = Variogram(model: .exponential, nugget: 0.1, partialSill: 1.0, range: 5000)
        let lags = stride(from: 250.0, through: 8000, by: 500).map { $0 }
        let fitted = try Variogram.fitted(.exponential, lags: lags, gammas: lags.map { model.gamma($0) }, pairs: lags.map { _ in 100 })
        XCTAssertEqual(fitted.nugget, 0.1, accuracy: 0.02)
        XCTAssertEqual(fitted.range, 5000, accuracy: 400)
        var random = RandomStream(seed: 11, skipping: 1)
        let x = (0..<60).map { _ in random.uniform(0, 10_000) }.map { ($0 / 100).rounded() * 100 + 50 }
        let y = (0..<60).map { _ in random.uniform(0, 10_000) }.map { ($0 / 100).rounded() * 100 + 50 }
        let v = zip(x, y).map { sin($0 / 2000) + cos($1 / 3000) }
        let grid = try GridSpec(west: 0, north: 10_100, cellSize: 100, rows: 101, cols: 101)
        let (raster, _) = try OrdinaryKriging.interpolate(sampleTable(x, y, [v]), element: "E0", onto: grid, variogram: model)
        for i in 0..<60 {
            XCTAssertEqual(Double(raster.value(x: x[i], y: y[i])!), v[i], accuracy: 1e-5)
        }
    }
}
