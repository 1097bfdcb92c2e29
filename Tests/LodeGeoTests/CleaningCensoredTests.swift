import Foundation
import XCTest
@testable import LodeGeo

/// Censored values in the three ways laboratories write them, the rules that replace them, and
/// per-element counts; element columns with units.
final class CleaningCensoredTests: XCTestCase {
    /// Hand-made file. Au_ppm: "<0.5", the code -0.5, a measured 1.5, NA. As: measured 2, the
    /// not-analysed code -9999, empty, "<1". Th with a qualifier column Th_T: "<" beside 0 (limit
    /// lost), measured 3, "<" beside 0.4, measured 5.
    func points() throws -> PointLayer {
        let folder = try temporaryFolder(name)
        let path = folder + "/lab.csv"
        try write("""
            x,y,Au_ppm,As,Th,Th_T
            0,0,<0.5,2,0,<
            10,0,-0.5,-9999,3,
            20,0,1.5,,0.4,<
            30,0,NA,<1,5,

            """, to: path)
        return try PointLayer.read(path: path)
    }

    func testCountsPerElement() throws {
        let table = try points().cleaned(elements: ["Au", "As", "Th"], rules: CleaningRules(averageDuplicates: false))
        XCTAssertEqual(table.counts[0], ElementCounts(rows: 4, measured: 1, censored: 2, missing: 1, notAnalysed: 0))
        XCTAssertEqual(table.counts[1], ElementCounts(rows: 4, measured: 1, censored: 1, missing: 1, notAnalysed: 1))
        XCTAssertEqual(table.counts[2], ElementCounts(rows: 4, measured: 2, censored: 2, missing: 0, notAnalysed: 0, unknownLimit: 1))
        let summary = table.summary()
        XCTAssertEqual(summary.map(\.censored), [2, 1, 2])
        XCTAssertEqual(summary.map(\.missing), [1, 1, 0])
        XCTAssertEqual(summary.map(\.notAnalysed), [0, 1, 0])
        XCTAssertEqual(summary.map(\.count), [3, 2, 4])
    }

    func testRulesForCensoredValues() throws {
        let layer = try points()
        func au(_ rule: CensoredRule) throws -> [Double] {
            try layer.cleaned(elements: ["Au"], rules: CleaningRules(censored: rule, averageDuplicates: false)).values[0]
        }
        func same(_ a: [Double], _ b: [Double], file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertEqual(a.map { $0.isNaN ? -1 : $0 }, b.map { $0.isNaN ? -1 : $0 }, file: file, line: line)
        }
        same(try au(.half), [0.25, 0.25, 1.5, .nan])
        same(try au(.limit), [0.5, 0.5, 1.5, .nan])
        same(try au(.zero), [0, 0, 1.5, .nan])
        same(try au(.missing), [.nan, .nan, 1.5, .nan])
        // Censored values left out still count as censored, not as missing.
        let dropped = try layer.cleaned(elements: ["Au"], rules: CleaningRules(censored: .missing, averageDuplicates: false))
        XCTAssertEqual(dropped.summary()[0].censored, 2)
        XCTAssertEqual(dropped.summary()[0].missing, 1)
        // Negative numbers as "no result" codes instead.
        let codes = try layer.cleaned(elements: ["Au"], rules: CleaningRules(negativeValues: .missing, averageDuplicates: false))
        same(codes.values[0], [0.25, .nan, 1.5, .nan])
        XCTAssertEqual(codes.counts[0].missing, 2)
        XCTAssertEqual(try CensoredRule(named: "LIMIT"), .limit)
        assertGeoError(["unknown rule", "\"half\""]) { _ = try CensoredRule(named: "third") }
    }

    func testQualifierColumn() throws {
        let warnings = WarningLog()
        let table = try warnings.collecting {
            try points().cleaned(elements: ["Th"], rules: CleaningRules(averageDuplicates: false))
        }
        // Row 2: limit lost, the smallest measured Th (3) stands in: 1.5. Row 4: "<" beside 0.4: 0.2.
        XCTAssertEqual(table.values[0], [1.5, 3, 0.2, 5])
        XCTAssertEqual(table.censored[0], [true, false, true, false])
        XCTAssertTrue(warnings.items.contains { $0.contains("Th: 1") && $0.contains("limit taken as 3") }, "\(warnings.items)")
        // Without the qualifier column the zeros would have been real values.
        let bare = try points()
        let index = bare.columnIndex("Th_T")!
        var withoutQualifier = bare
        withoutQualifier.columnNames[index] = "note"
        XCTAssertEqual(try withoutQualifier.cleaned(elements: ["Th"], rules: CleaningRules(averageDuplicates: false)).values[0], [0, 3, 0.4, 5])
    }

    func testDuplicateLocationsAreReported() throws {
        let layer = try PointLayer(x: [0, 0, 0, 5, 5, 9], y: [1, 1, 1, 2, 2, 3], columnNames: ["Au"],
                                   columns: [["1", "2", "3", "4", "6", "7"]], source: "dups.csv")
        let warnings = WarningLog()
        let table = try warnings.collecting { try layer.cleaned(elements: ["Au"]) }
        XCTAssertEqual(table.count, 3)
        XCTAssertEqual(table.values[0], [2, 5, 7])
        XCTAssertEqual(table.duplicateLocations, 2)
        XCTAssertEqual(warnings.items, ["5 sample rows share 2 locations; each location was averaged into one sample (6 rows → 3 samples)"])
    }

    func testElementColumnsAndUnits() throws {
        XCTAssertEqual(ElementColumn("Au_ppm")?.element, "Au")
        XCTAssertEqual(ElementColumn("Au_ppb")?.unit, .ppb)
        XCTAssertEqual(ElementColumn("Fe2O3_pct")?.element, "Fe2O3")
        XCTAssertEqual(ElementColumn("Cu (ppm)")?.element, "Cu")
        XCTAssertNil(ElementColumn("OBJECTID_y"))
        XCTAssertNil(ElementColumn("SAMPLEID"))
        XCTAssertNil(ElementColumn("sample_ppm"))
        let layer = try points()
        XCTAssertEqual(layer.elementColumns.map(\.name), ["Au_ppm"])
        XCTAssertEqual(try layer.elementColumnIndex("au"), layer.columnIndex("Au_ppm"))
        let ppb = try layer.convertingUnits(to: .ppb)
        XCTAssertEqual(ppb.column(named: "Au_ppb"), ["<500", "-500", "1500", "NA"])
        XCTAssertNil(ppb.column(named: "Au_ppm"))
        // Converted values clean to 1000 × the ppm values, censored ones included.
        let a = try layer.cleaned(elements: ["Au"], rules: CleaningRules(averageDuplicates: false)).values[0]
        let b = try ppb.cleaned(elements: ["Au"], rules: CleaningRules(averageDuplicates: false)).values[0]
        for (p, q) in zip(a, b) where !p.isNaN { XCTAssertEqual(q, p * 1000, accuracy: 1e-9) }
        let pct = try PointLayer(x: [0], y: [0], columnNames: ["Fe2O3_pct", "Ag_ppb"], columns: [["2.5"], ["-9999"]])
        let ppm = try pct.convertingUnits(to: .ppm)
        XCTAssertEqual(ppm.columnNames, ["Fe2O3_ppm", "Ag_ppm"])
        XCTAssertEqual(ppm.columns, [["25000"], ["-9999"]])
        let both = try PointLayer(x: [0], y: [0], columnNames: ["Au_ppm", "Au_ppb"], columns: [["1"], ["1000"]], source: "both.csv")
        assertGeoError(["several columns", "Au_ppm, Au_ppb"]) { _ = try both.cleaned(elements: ["Au"]) }
    }
}
