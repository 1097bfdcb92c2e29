import Foundation
import LodeGeo
import XCTest
@testable import LodeEval

final class GradingTests: XCTestCase {
    // 6 x 8 cells of 100 m, UTM 45N. A = .95+, B = .90-.95, C = .85-.90, background .10/.50.
    //      c0   c1   c2   c3   c4   c5   c6   c7
    // r0  .97  .96  .10  .10  .10  .10  .88  .88
    // r1  .96  .96  .10  .10  .10  .10  .10  .88
    // r2  .10  .10  .97  .10  .91  .91  .91  .10
    // r3  .10  .10  .10  .10  .91  .50  .91  .10
    // r4  .86  .10  .10  .10  .91  .91  .91  .10
    // r5  .86  .86  .10  .10  .10  .10  .10  .99
    let values: [Float] = [
        0.97, 0.96, 0.10, 0.10, 0.10, 0.10, 0.88, 0.88,
        0.96, 0.96, 0.10, 0.10, 0.10, 0.10, 0.10, 0.88,
        0.10, 0.10, 0.97, 0.10, 0.91, 0.91, 0.91, 0.10,
        0.10, 0.10, 0.10, 0.10, 0.91, 0.50, 0.91, 0.10,
        0.86, 0.10, 0.10, 0.10, 0.91, 0.91, 0.91, 0.10,
        0.86, 0.86, 0.10, 0.10, 0.10, 0.10, 0.10, 0.99,
    ]

    /// Map point at the centre of a cell.
    func centre(_ row: Int, _ column: Int) -> (Double, Double) {
        (500_000 + 100 * Double(column) + 50, 4_000_000 - 100 * Double(row) - 50)
    }

    func zoneSet(_ connectivity: Connectivity) throws -> ZoneSet {
        let grid = try GridSpec(west: 500_000, north: 4_000_000, cellSize: 100, rows: 6, cols: 8, crs: try CRS(epsg: 32645))
        let map = try Raster(grid: grid, name: "probability", values: values)
        let known = [centre(0, 0), centre(3, 5)].enumerated().map { Deposit(x: $1.0, y: $1.1, name: ["Qukulekedong", "Hole"][$0]) }
        let hidden = [centre(2, 5), centre(5, 0)].map { Deposit(x: $0.0, y: $0.1) }
        return targetZones(probability: map, thresholds: .paper, connectivity: connectivity,
                           knownDeposits: known, hiddenDeposits: hidden)
    }

    func testZonesWithEightConnectivity() throws {
        let set = try zoneSet(.eight)
        // A: the lone .99 first, then the 2x2 block joined to (2,2) through the corner.
        XCTAssertEqual(set.zones.map(\.grade), [.a, .a, .b, .c, .c])
        XCTAssertEqual(set.zones.map(\.cells.count), [1, 5, 8, 3, 3])
        XCTAssertEqual(set.zones.map(\.area), [10_000, 50_000, 80_000, 30_000, 30_000])
        XCTAssertEqual(set.zones[0].maxProbability, Double(Float(0.99)), accuracy: 1e-9)
        XCTAssertEqual(set.zones[1].meanProbability, Double(Float(0.97) * 2 + Float(0.96) * 3) / 5, accuracy: 1e-6)
        XCTAssertEqual(set.zones[0].centroidX, 500_750)
        XCTAssertEqual(set.zones[0].centroidY, 3_999_450)
        XCTAssertEqual(set.zones[2].centroidX, 500_550)   // ring around (3,5): centre of the hole
        XCTAssertEqual(set.zones[2].centroidY, 3_999_650)
        XCTAssertEqual(set.zones.map(\.knownDeposits.count), [0, 1, 0, 0, 0])
        XCTAssertEqual(set.zones.map(\.hiddenDeposits.count), [0, 0, 1, 0, 1])
        XCTAssertEqual(set.zones[1].knownDeposits, ["Qukulekedong"])
        XCTAssertEqual(set.unzonedKnownDeposits, ["Hole"])
        // Outlines: the A block and (2,2) touch at a corner -> two polygons; the B ring has a hole.
        XCTAssertEqual(set.zones[1].polygons.count, 2)
        XCTAssertEqual(set.zones[2].polygons.count, 1)
        XCTAssertEqual(set.zones[2].polygons[0].count, 2)
        let outer = set.zones[2].polygons[0][0], hole = set.zones[2].polygons[0][1]
        XCTAssertEqual(outer.count, 5)                       // four corners, closed
        XCTAssertEqual(outer.first, outer.last)
        XCTAssertEqual(signedArea(Array(outer.dropLast())), 90_000, accuracy: 1e-6)   // counter-clockwise
        XCTAssertEqual(signedArea(Array(hole.dropLast())), -10_000, accuracy: 1e-6)   // clockwise
        XCTAssertEqual(Set(outer.map { "\($0.x),\($0.y)" }),
                       ["500400.0,3999800.0", "500700.0,3999800.0", "500700.0,3999500.0", "500400.0,3999500.0"])
        // Class grid marks each graded cell.
        XCTAssertEqual(set.classGrid[0], 3)
        XCTAssertEqual(set.classGrid[20], 2)
        XCTAssertEqual(set.classGrid[40], 1)
        XCTAssertEqual(set.classGrid[29], 0)
        XCTAssertTrue(set.summary.contains("A: 2 zones, area 0.06 km², known deposits 1, hidden deposits 0"), set.summary)
        XCTAssertTrue(set.summary.contains("C: 2 zones, area 0.06 km², known deposits 0, hidden deposits 1"), set.summary)
    }

    /// A deposit on the map's outer south-east corner lies in the last cell (GridSpec's rule),
    /// the lone .99 cell (5, 7) = 47.
    func testDepositOnTheSouthEastCornerCountsInTheLastCell() throws {
        let grid = try GridSpec(west: 500_000, north: 4_000_000, cellSize: 100, rows: 6, cols: 8)
        let zones = targetZones(probability: try Raster(grid: grid, name: "p", values: values),
                                hiddenDeposits: [Deposit(x: 500_800, y: 3_999_400, name: "corner")])
        XCTAssertEqual(zones.zones[0].cells, [47])
        XCTAssertEqual(zones.zones[0].hiddenDeposits, ["corner"])
        XCTAssertEqual(zones.unzonedHiddenDeposits, [])
    }

    func testZonesWithFourConnectivitySplitTheCorner() throws {
        let set = try zoneSet(.four)
        XCTAssertEqual(set.zones.map(\.grade), [.a, .a, .a, .b, .c, .c])
        XCTAssertEqual(set.zones.map(\.cells.count), [1, 4, 1, 8, 3, 3])
        XCTAssertEqual(set.zones[2].cells, [18])
    }

    func testTableAndGeoJSONOpenWithGDAL() throws {
        let set = try zoneSet(.eight)
        XCTAssertTrue(set.csv.hasPrefix("id,grade,cells,area,area_km2,max_probability"))
        XCTAssertTrue(set.csv.contains("2,A,5,50000,0.0500,0.9700,"), set.csv)
        XCTAssertTrue(set.markdown.contains("| Qukulekedong |"), set.markdown)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lode-zones-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("zones.geojson")
        try set.geoJSON().write(to: file, atomically: true, encoding: .utf8)

        let output = try runTool("/usr/bin/ogrinfo", ["-ro", "-al", file.path])
        XCTAssertTrue(output.contains("Feature Count: 5"), output)
        XCTAssertTrue(output.contains("ID[\"EPSG\",32645]") || output.contains("AUTHORITY[\"EPSG\",\"32645\"]"), output)
        XCTAssertTrue(output.contains("Geometry: Multi Polygon"), output)
        XCTAssertTrue(output.contains("known_names (String) = Qukulekedong"), output)
        XCTAssertTrue(output.contains("area (Integer) = 80000"), output)
        XCTAssertTrue(output.contains("area_km2 (Real) = 0.08"), output)
        // GDAL reads back the B ring with its hole.
        XCTAssertTrue(output.contains("MULTIPOLYGON (((500400 3999500,500700 3999500,500700 3999800,500400 3999800,"
                                      + "500400 3999500),(500600 3999700,500600 3999600,500500 3999600,500500 3999700,"
                                      + "500600 3999700)))"), output)
    }

    func testAutomaticGradingCutsFromPeakToExtreme() throws {
        // Above background .5 with 10 bins of .05: the .77s fill bin [.75, .80), peak .775;
        // extreme 1.0; three intervals of .075.
        let values: [Float] = Array(repeating: 0.1, count: 20) + [0.6, 0.6] + Array(repeating: 0.77, count: 10)
            + [0.9, 0.9, 0.9, 1.0]
        let grading = try automaticGrading(probabilities: values, background: 0.5, bins: 10)
        XCTAssertEqual(grading.peak, 0.775, accuracy: 1e-9)
        XCTAssertEqual(grading.extreme, 1.0, accuracy: 1e-9)
        XCTAssertEqual(grading.thresholds.c, 0.775, accuracy: 1e-9)
        XCTAssertEqual(grading.thresholds.b, 0.85, accuracy: 1e-9)
        XCTAssertEqual(grading.thresholds.a, 0.925, accuracy: 1e-9)
        XCTAssertEqual(grading.binCounts.reduce(0, +), 16)
        XCTAssertEqual(grading.thresholds.classify(0.93), .a)
        XCTAssertEqual(grading.thresholds.classify(0.80), .c)
        XCTAssertNil(grading.thresholds.classify(0.7))
    }

    func testGradingRejectsBadInput() {
        XCTAssertThrowsError(try automaticGrading(probabilities: [0.1, 0.2], background: 0.5)) { error in
            XCTAssertTrue("\(error)".contains("no cell has probability >= the background"), "\(error)")
        }
        XCTAssertThrowsError(try GradeThresholds(a: 0.9, b: 0.95, c: 0.85)) { error in
            XCTAssertTrue("\(error)".contains("C < B < A"), "\(error)")
        }
    }
}

/// Runs a command-line tool and returns what it printed; throws with its output on failure.
func runTool(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw NSError(domain: "process", code: Int(process.terminationStatus),
                      userInfo: [NSLocalizedDescriptionKey: "\(executable) failed: \(text)"])
    }
    return text
}
