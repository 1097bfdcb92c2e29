import XCTest
@testable import LodeGeo

final class SurveyTests: XCTestCase {
    func testSmallPresetIsDeterministicAndShaped() throws {
        let a = try SyntheticSurvey.generate(preset: .small, seed: 42)
        let b = try SyntheticSurvey.generate(preset: .small, seed: 42)
        let c = try SyntheticSurvey.generate(preset: .small, seed: 43)
        XCTAssertEqual(a.samples.x, b.samples.x)
        XCTAssertEqual(a.samples.columns, b.samples.columns)
        XCTAssertEqual(a.faults.lines, b.faults.lines)
        XCTAssertEqual(a.hiddenDeposits.x, b.hiddenDeposits.x)
        XCTAssertNotEqual(a.samples.columns, c.samples.columns)
        XCTAssertEqual(a.grid.rows, 400)
        XCTAssertEqual(a.grid.cols, 400)
        XCTAssertEqual(a.samples.count, 400)
        XCTAssertEqual(a.knownDeposits.count, 11)
        XCTAssertGreaterThan(a.hiddenDeposits.count, 5)
        XCTAssertEqual(a.samples.columnNames, ["id"] + SyntheticSurvey.elements)
        // Realistic magnitudes after cleaning: Au median in ppb of order 1, Zn tens of ppm.
        let table = try a.samples.cleaned(elements: SyntheticSurvey.elements)
        let summary = table.summary()
        XCTAssertTrue((0.5...5).contains(summary[0].median), "Au median \(summary[0].median)")
        XCTAssertTrue((20...200).contains(summary[6].median), "Zn median \(summary[6].median)")
        XCTAssertGreaterThan(summary.reduce(0) { $0 + $1.censored }, 0)
        // The Au-As-Sb-Hg association is visible in the correlation matrix.
        let r = table.correlationMatrix()
        XCTAssertGreaterThan(r[0][1], r[0][12])
    }

    func testPaperPresetIsDeterministicAndSized() throws {
        let a = try SyntheticSurvey.generate(preset: .paper, seed: 42)
        let b = try SyntheticSurvey.generate(preset: .paper, seed: 42)
        XCTAssertEqual(a.samples.count, 7326)
        XCTAssertEqual(a.samples.columns, b.samples.columns)
        XCTAssertEqual(a.samples.y, b.samples.y)
        XCTAssertEqual(a.knownDeposits.column(named: "id"), b.knownDeposits.column(named: "id"))
        XCTAssertEqual(a.grid.rows, 1700)
        XCTAssertEqual(a.grid.cols, 1700)
        XCTAssertEqual(a.knownDeposits.count, 11)
        // About one sample per 4 km^2.
        XCTAssertEqual(170.0 * 170.0 / Double(a.samples.count), 3.94, accuracy: 0.01)
    }

    func testDifficultyInRangeForBothPresets() throws {
        for preset in [SurveyPreset.small, .paper] {
            let difficulty = try SyntheticSurvey.generate(preset: preset, seed: 42).difficulty()
            XCTAssertTrue((0.65...0.85).contains(difficulty.goldAUC), "\(difficulty)")
            XCTAssertTrue((0.65...0.85).contains(difficulty.faultAUC), "\(difficulty)")
        }
    }
}
