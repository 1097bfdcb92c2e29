import XCTest
@testable import LodeGeo

/// Every bad input gets a GeoError naming what is wrong and where (file, row, column).
final class BadInputTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = try temporaryFolder(name)
    }

    func file(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try write(text, to: path)
        return path
    }

    func testMissingCoordinateColumn() throws {
        let path = try file("a.csv", "id,east_km,Au\n1,2,3\n")
        assertGeoError([path, "row 1", "no x/y coordinate columns", "east_km"]) { _ = try PointLayer.read(path: path) }
        assertGeoError([path, "column 'utm_x'"]) { _ = try PointLayer.read(path: path, xColumn: "utm_x", yColumn: "Au") }
    }

    func testNonNumericCoordinate() throws {
        let path = try file("b.csv", "x,y,Au\n1,2,3\n4,five,6\n")
        assertGeoError([path, "row 3", "column 'y'", "'five'"]) { _ = try PointLayer.read(path: path) }
    }

    func testNonNumericElementValue() throws {
        let path = try file("c.csv", "x,y,Au\n1,2,3\n4,5,n.d.\n")
        let points = try PointLayer.read(path: path)
        assertGeoError([path, "row 3", "column 'Au'", "'n.d.'"]) { _ = try points.cleaned(elements: ["Au"]) }
        // Nothing already loaded is lost: the points are intact after the failed cleaning.
        XCTAssertEqual(points.count, 2)
        XCTAssertEqual(points.column(named: "Au"), ["3", "n.d."])
    }

    func testBadBelowDetectionMark() throws {
        let path = try file("d.csv", "x,y,As\n1,2,<abc\n")
        let points = try PointLayer.read(path: path)
        assertGeoError([path, "row 2", "column 'As'", "below-detection"]) { _ = try points.cleaned(elements: ["As"]) }
    }

    func testEmptyFileAndHeaderOnly() throws {
        let empty = try file("empty.csv", "")
        assertGeoError([empty, "empty"]) { _ = try PointLayer.read(path: empty) }
        let header = try file("header.csv", "x,y,Au\n")
        assertGeoError([header, "no points"]) { _ = try PointLayer.read(path: header) }
    }

    func testRowWithWrongFieldCount() throws {
        let path = try file("e.csv", "x,y,Au\n1,2,3\n4,5\n")
        assertGeoError([path, "row 3", "2 values", "3 columns"]) { _ = try PointLayer.read(path: path) }
    }

    func testFileNotFoundAndUnknownFormat() throws {
        assertGeoError([folder + "/missing.gpkg", "not found"]) { _ = try PointLayer.read(path: folder + "/missing.gpkg") }
        assertGeoError([folder + "/points.xlsx", "unknown vector format"]) { _ = try PointLayer.read(path: folder + "/points.xlsx") }
    }

    func testUnknownCRS() {
        assertGeoError(["unknown coordinate reference system", "EPSG:999999"]) { _ = try CRS("EPSG:999999") }
        assertGeoError(["unknown coordinate reference system"]) { _ = try CRS("not a projection") }
        assertGeoError(["unknown coordinate reference system"]) { _ = try CRS("Somewhere (EPSG:12x)") }
    }

    /// A CRS as Lode prints it reads back as the same CRS (what `reproject(sites, samples.crs)` passes).
    func testPrintedCRSReadsBack() throws {
        let utm = try CRS("EPSG:32750")
        XCTAssertEqual(utm.description.hasSuffix("(EPSG:32750)"), true, utm.description)
        let again = try CRS(utm.description)
        XCTAssertEqual(again.epsg, 32750)
        XCTAssertEqual(again, utm)
    }

    func testCRSMismatchWithoutReprojection() throws {
        let path = try file("f.csv", "lon,lat,Au\n93,36,1\n")
        let points = try PointLayer.read(path: path)
        let grid = try GridSpec(west: 400_000, north: 4_100_000, cellSize: 100, rows: 10, cols: 10, crs: try CRS(epsg: 32646))
        assertGeoError([path, "EPSG:4326", "EPSG:32646"]) { _ = try points.aligned(to: grid, reproject: false) }
        let table = try points.cleaned(elements: ["Au"])
        assertGeoError([path, "grid is in"]) { _ = try IDW.interpolate(table, onto: grid, reproject: false) }
        // A CRS given for a file that declares another one.
        let geojson = folder + "/pts.geojson"
        try points.write(to: geojson)
        assertGeoError([geojson, "says its CRS"]) { _ = try PointLayer.read(path: geojson, crs: try CRS(epsg: 32646)) }
        // Points without a CRS cannot be reprojected.
        let bare = try PointLayer(x: [1], y: [2], source: "bare.csv")
        assertGeoError(["bare.csv", "no coordinate reference system"]) { _ = try bare.reprojected(to: try CRS(epsg: 4326)) }
    }

    func testWindowOutsideGrid() throws {
        let grid = try GridSpec(west: 0, north: 1000, cellSize: 10, rows: 100, cols: 100)
        let stack = try RasterStack([Raster(grid: grid, name: "a", filledWith: 1)])
        let points = try PointLayer(x: [500, 5000], y: [500, 500], columnNames: ["id"], columns: [["in", "far"]],
                                    source: "deposits.csv", rowNumbers: [2, 3], idColumn: "id")
        assertGeoError(["deposits.csv", "row 3", "'far'", "outside the grid"]) { _ = try WindowSampler().windows(stack, at: points, label: 1) }
        assertGeoError(["64 x 64 window", "does not fit"]) {
            let small = try RasterStack([Raster(grid: try GridSpec(west: 0, north: 10, cellSize: 1, rows: 10, cols: 10), name: "a", filledWith: 0)])
            _ = try WindowSampler(size: 64).windows(small, at: points, label: 1)
        }
    }

    func testNoDeposits() throws {
        let grid = try GridSpec(west: 0, north: 1000, cellSize: 10, rows: 100, cols: 100)
        let labels = Raster(grid: grid, name: "cluster", filledWith: 0)
        let none = try PointLayer(x: [], y: [], source: "deposits.gpkg")
        assertGeoError(["deposits.gpkg", "no deposits"]) { _ = try NegativeSelection().select(clusterLabels: labels, faultDistance: nil, deposits: none) }
        let stack = try RasterStack([labels])
        assertGeoError(["deposits.gpkg", "no deposits"]) { _ = try WindowSampler().labelled(stack, positives: none, negatives: none) }
    }

    func testTooManyNegatives() throws {
        let grid = try GridSpec(west: 0, north: 1000, cellSize: 10, rows: 100, cols: 100)
        let labels = Raster(grid: grid, name: "cluster", filledWith: 0)
        let deposits = try PointLayer(x: [500], y: [500])
        let selection = NegativeSelection(count: 5000, minimumFaultDistance: 0, minimumDepositDistance: 100, minimumSpacing: 0, edgeMargin: 16)
        assertGeoError(["5000 negatives were requested", "cells"]) { _ = try selection.select(clusterLabels: labels, faultDistance: nil, deposits: deposits) }
        let spaced = NegativeSelection(count: 50, minimumFaultDistance: 0, minimumDepositDistance: 100, minimumSpacing: 300, edgeMargin: 16)
        assertGeoError(["of 50 negatives fit", "300"]) { _ = try spaced.select(clusterLabels: labels, faultDistance: nil, deposits: deposits) }
    }

    func testAllMissingElement() throws {
        let path = try file("g.csv", "x,y,Au,Hg\n1,2,3,-9999\n4,5,6,\n")
        let points = try PointLayer.read(path: path)
        assertGeoError([path, "column 'Hg'", "no valid value"]) { _ = try points.cleaned(elements: ["Au", "Hg"]) }
        assertGeoError([path, "column 'Sb'", "no column for element"]) { _ = try points.cleaned(elements: ["Sb"]) }
    }

    func testShapefileWithoutDBF() throws {
        let points = try PointLayer(x: [1, 2], y: [3, 4], columnNames: ["id"], columns: [["a", "b"]], crs: try CRS(epsg: 32646))
        let path = folder + "/samples.shp"
        try points.write(to: path)
        try FileManager.default.removeItem(atPath: folder + "/samples.dbf")
        assertGeoError([path, ".dbf"]) { _ = try PointLayer.read(path: path) }
    }

    func testLinesWhereOnlyPointsMakeSense() throws {
        let lines = try LineLayer(lines: [[SIMD2(0, 0), SIMD2(1, 1)]], crs: try CRS(epsg: 32646))
        let path = folder + "/faults.geojson"
        try lines.write(to: path)
        assertGeoError([path, "row 1", "not a point"]) { _ = try PointLayer.read(path: path) }
        let points = try PointLayer(x: [1], y: [2], crs: try CRS(epsg: 32646))
        try points.write(to: folder + "/p.gpkg")
        assertGeoError([folder + "/p.gpkg", "row 1", "not a line"]) { _ = try LineLayer.read(path: folder + "/p.gpkg") }
        assertGeoError([folder + "/p.gpkg", "no layer 'faults'"]) { _ = try LineLayer.read(path: folder + "/p.gpkg", layer: "faults") }
    }

    func testMismatchedStackAndBadOptions() throws {
        let a = Raster(grid: try GridSpec(west: 0, north: 10, cellSize: 1, rows: 10, cols: 10), name: "a", filledWith: 0)
        let b = Raster(grid: try GridSpec(west: 0, north: 10, cellSize: 2, rows: 5, cols: 5), name: "b", filledWith: 0)
        assertGeoError(["layer 'b'", "not on the stack's grid"]) { _ = try RasterStack([a, b]) }
        assertGeoError(["already has a layer named 'a'"]) { _ = try RasterStack([a, a]) }
        let table = sampleTable([0, 1], [0, 1], [[1, 2]])
        assertGeoError(["power must be positive"]) { _ = try IDW.interpolate(table, onto: a.grid, options: IDWOptions(power: -1)) }
        assertGeoError(["cell size must be a positive"]) { _ = try GridSpec(west: 0, north: 0, cellSize: 0, rows: 1, cols: 1) }
        assertGeoError(["validation fraction"]) {
            let data = try Dataset(windows: [0], count: 1, channels: 1, size: 1, labels: [1], sourceIDs: ["a"], centreX: [0], centreY: [0], layerNames: ["a"])
            _ = try Splits.randomStratified(data, validationFraction: 1.5)
        }
        assertGeoError(["raster 'c' has 3 values"]) { _ = try Raster(grid: a.grid, name: "c", values: [1, 2, 3]) }
    }
}
