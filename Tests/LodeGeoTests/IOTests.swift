import Foundation
import XCTest
@testable import LodeGeo

final class IOTests: XCTestCase {
    func testSamePointsFromCSVShapefileGeoPackageGeoJSON() throws {
        let folder = try temporaryFolder()
        let crs = try CRS(epsg: 32646)
        let points = try PointLayer(x: [512345.25, 498000.5, 505123.125, 520000], y: [4012000.75, 3995000.25, 4001234.5, 3990001],
                                    columnNames: ["id", "Au"], columns: [["A", "B", "C", "D"], ["1.5", "<0.3", "12", ""]],
                                    crs: crs, source: "test")
        let geojson = folder + "/points.geojson"
        try points.write(to: geojson)
        // The other formats are written by GDAL's own ogr2ogr from that file.
        try runTool("ogr2ogr", ["-f", "ESRI Shapefile", folder + "/points.shp", geojson])
        try runTool("ogr2ogr", ["-f", "GPKG", folder + "/points.gpkg", geojson])
        try runTool("ogr2ogr", ["-f", "CSV", "-lco", "GEOMETRY=AS_XY", folder + "/points.csv", geojson])
        let readBack = try ["geojson", "shp", "gpkg", "csv"].map { try PointLayer.read(path: folder + "/points." + $0) }
        for layer in readBack {
            XCTAssertEqual(layer.x, points.x, layer.source)
            XCTAssertEqual(layer.y, points.y, layer.source)
            XCTAssertEqual(layer.column(named: "id"), ["A", "B", "C", "D"], layer.source)
        }
        for layer in readBack.prefix(3) { XCTAssertEqual(layer.crs?.epsg, 32646, layer.source) }
    }

    func testCSVSeparatorsAndRecognisedColumns() throws {
        let folder = try temporaryFolder()
        try write("id;Easting;Northing;Cu\n1;500000;4000000;12\n2;500100.5;4000200;<1\n", to: folder + "/a.csv")
        try write("LAT\tLON\tAu\n36.1\t93.0\t2\n", to: folder + "/b.txt")
        try write("name x y\np1 10 20\np2 30 40\n", to: folder + "/c.dat")
        let a = try PointLayer.read(path: folder + "/a.csv")
        XCTAssertEqual(a.x, [500000, 500100.5])
        XCTAssertEqual(a.column(named: "Cu"), ["12", "<1"])
        XCTAssertEqual(a.rowNumbers, [2, 3])
        let b = try PointLayer.read(path: folder + "/b.txt")
        XCTAssertEqual(b.x, [93.0])
        XCTAssertEqual(b.y, [36.1])
        XCTAssertEqual(b.crs?.epsg, 4326)
        let c = try PointLayer.read(path: folder + "/c.dat")
        XCTAssertEqual(c.y, [20, 40])
    }

    func testReprojectionLonLatToUTM() throws {
        // On zone 46's central meridian (93 E) at the equator, UTM is exactly (500000, 0).
        let points = try PointLayer(x: [93, 93], y: [0, 36], crs: try CRS(epsg: 4326), source: "test")
        let utm = try points.reprojected(to: try CRS(epsg: 32646))
        XCTAssertEqual(utm.x[0], 500_000, accuracy: 1e-6)
        XCTAssertEqual(utm.y[0], 0, accuracy: 1e-6)
        XCTAssertEqual(utm.x[1], 500_000, accuracy: 1e-6)
        // Check the other point with GDAL's own command-line tool.
        let output = try runToolWithInput("gdaltransform", ["-s_srs", "EPSG:4326", "-t_srs", "EPSG:32646"], input: "93 36\n")
        let northing = Double(output.split(separator: " ")[1])!
        XCTAssertEqual(utm.y[1], northing, accuracy: 1e-3)
    }

    func testLinesRoundTrip() throws {
        let folder = try temporaryFolder()
        let lines = try LineLayer(lines: [[SIMD2(0, 0), SIMD2(1000.5, 250), SIMD2(2000, 0)], [SIMD2(500, -300), SIMD2(700, 900)]],
                                  names: ["F1", "F2"], crs: try CRS(epsg: 32646), source: "test")
        for ext in ["geojson", "gpkg", "shp"] {
            let path = folder + "/faults." + ext
            try lines.write(to: path)
            let back = try LineLayer.read(path: path)
            XCTAssertEqual(back.lines, lines.lines, ext)
            XCTAssertEqual(back.names, ["F1", "F2"], ext)
            XCTAssertEqual(back.crs?.epsg, 32646, ext)
        }
        // A CSV with a WKT column, as GDAL writes it.
        try runTool("ogr2ogr", ["-f", "CSV", "-lco", "GEOMETRY=AS_WKT", folder + "/faults.csv", folder + "/faults.geojson"])
        XCTAssertEqual(try LineLayer.read(path: folder + "/faults.csv").lines, lines.lines)
    }

    func testGeoTIFFCheckedByGdalinfo() throws {
        let folder = try temporaryFolder()
        let grid = try GridSpec(west: 400_000, north: 4_150_000, cellSize: 100, rows: 3, cols: 4, crs: try CRS(epsg: 32646))
        let au = try Raster(grid: grid, name: "Au", values: (0..<12).map { Float($0) })
        var fault = Raster(grid: grid, name: "fault_influence", filledWith: 2)
        fault[1, 2] = .nan
        let path = folder + "/stack.tif"
        try GeoTIFF.write(try RasterStack([au, fault]), to: path)
        let json = try runTool("gdalinfo", ["-json", path])
        let info = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        XCTAssertEqual(info["geoTransform"] as? [Double], [400_000, 100, 0, 4_150_000, 0, -100])
        XCTAssertEqual(info["size"] as? [Int], [4, 3])
        let system = info["coordinateSystem"] as! [String: Any]
        XCTAssertTrue((system["wkt"] as! String).contains("ID[\"EPSG\",32646]"))
        let bands = info["bands"] as! [[String: Any]]
        XCTAssertEqual(bands.map { $0["description"] as? String }, ["Au", "fault_influence"])
        XCTAssertEqual(bands[1]["noDataValue"] as? Double, -9999)
        XCTAssertEqual(bands[0]["type"] as? String, "Float32")
        let back = try GeoTIFF.read(path: path)
        XCTAssertEqual(back.names, ["Au", "fault_influence"])
        XCTAssertEqual(back.layers[0].values, au.values)
        XCTAssertTrue(back.layers[1][1, 2].isNaN)
        XCTAssertEqual(back.grid.crs?.epsg, 32646)
        XCTAssertEqual(back.grid.geoTransform, grid.geoTransform)
    }
}

func runToolWithInput(_ tool: String, _ arguments: [String], input: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
    process.arguments = arguments
    let output = Pipe(), inputPipe = Pipe()
    process.standardOutput = output
    process.standardInput = inputPipe
    try process.run()
    inputPipe.fileHandleForWriting.write(Data(input.utf8))
    try inputPipe.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(data: data, encoding: .utf8) ?? ""
}
