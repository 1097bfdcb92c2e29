import Foundation
import LodeEval
import LodeGeo
import LodeLibrary
import LodePlot
import XCTest

final class BridgesRasterTests: XCTestCase {
    func grid() throws -> GridSpec {
        try GridSpec(west: 400_000, north: 4_020_000, cellSize: 100, rows: 6, cols: 8, crs: try CRS(epsg: 32646))
    }

    func testStackBecomesLayerMajorLayerStack() throws {
        let g = try grid()
        let a = try Raster(grid: g, name: "Au", values: testValues(48, seed: 1))
        let b = try Raster(grid: g, name: "fault_influence", values: testValues(48, seed: 2))
        let stack = try LayerStack(RasterStack([a, b]))
        XCTAssertEqual(stack.values, a.values + b.values)
        XCTAssertEqual(stack.layerNames, ["Au", "fault_influence"])
        XCTAssertEqual([stack.layers, stack.rows, stack.columns], [2, 6, 8])
        XCTAssertEqual(stack.geoTransform.gdalValues, g.geoTransform)
        XCTAssertEqual(stack.crs, "EPSG:32646")
    }

    /// A probability map written through the bridge opens in gdalinfo with the grid's CRS and
    /// geotransform, and reads back cell for cell (NaN stays missing).
    func testProbabilityGeoTIFFOpensInGdalinfo() throws {
        var values = testValues(48, seed: 3).map { ($0 + 2) / 4 }
        values[9] = .nan
        let map = try RasterGrid(values: values, rows: 6, columns: 8,
                                 geoTransform: GeoTransform(originX: 400_000, cellWidth: 100, originY: 4_020_000, cellHeight: -100),
                                 crs: "EPSG:32646")
        let path = try temporaryFolder() + "/prospectivity.tif"
        try GeoTIFF.write(map, name: "probability", to: path)
        let info = try JSONSerialization.jsonObject(with: Data(try runTool("gdalinfo", ["-json", path]).utf8)) as? [String: Any]
        XCTAssertEqual(info?["geoTransform"] as? [Double], [400_000, 100, 0, 4_020_000, 0, -100])
        XCTAssertEqual(info?["size"] as? [Int], [8, 6])
        let wkt = (info?["coordinateSystem"] as? [String: Any])?["wkt"] as? String ?? ""
        XCTAssertTrue(wkt.contains("ID[\"EPSG\",32646]"), wkt)
        let back = try GeoTIFF.readGrid(path: path)
        XCTAssertEqual(back.crs, "EPSG:32646")
        XCTAssertEqual(back.geoTransform, map.geoTransform)
        XCTAssertTrue(back.values[9].isNaN)
        XCTAssertEqual(back.values.enumerated().filter { $0.offset != 9 }.map(\.element),
                       values.enumerated().filter { $0.offset != 9 }.map(\.element))
    }

    func testRotatedGridIsRefusedForRasters() throws {
        let rotated = try RasterGrid(values: [0, 1, 2, 3], rows: 2, columns: 2,
                                     geoTransform: GeoTransform(originX: 0, cellWidth: 1, rowRotation: 0.5, originY: 0, cellHeight: -1))
        XCTAssertThrowsError(try Raster(rotated, name: "p")) { XCTAssertTrue("\($0)".contains("north-up"), "\($0)") }
    }

    /// A 2 x 2 block of A cells and one B cell give two zones; both files open in ogrinfo with
    /// the CRS, and the GeoPackage carries the deposit counts.
    func testZonesWriteGeoJSONAndGeoPackage() throws {
        var values = [Float](repeating: 0.1, count: 48)
        for cell in [9, 10, 17, 18] { values[cell] = 0.97 }
        values[44] = 0.92
        let transform = GeoTransform(originX: 400_000, cellWidth: 100, originY: 4_020_000, cellHeight: -100)
        let map = try RasterGrid(values: values, rows: 6, columns: 8, geoTransform: transform, crs: "EPSG:32646")
        let hidden = Deposit(x: 400_150, y: 4_019_850, name: "H1")
        let zones = targetZones(probability: map, hiddenDeposits: [hidden])
        XCTAssertEqual(zones.zones.map(\.grade.rawValue), ["A", "B"])
        let folder = try temporaryFolder()
        for name in ["zones.geojson", "zones.gpkg"] {
            try zones.write(to: folder + "/" + name)
            let summary = try runTool("ogrinfo", ["-al", "-so", folder + "/" + name])
            XCTAssertTrue(summary.contains("Feature Count: 2"), summary)
            XCTAssertTrue(summary.contains("32646"), summary)
        }
        let rows = try runTool("ogrinfo", ["-al", "-q", folder + "/zones.gpkg"])
        XCTAssertTrue(rows.contains("hidden_names (String) = H1"), rows)
        XCTAssertThrowsError(try zones.write(to: folder + "/zones.kml")) { XCTAssertTrue("\($0)".contains(".geojson or .gpkg")) }
    }

    func testFiguresFromExplanationAndCurves() throws {
        let explanation = Explanation(values: [[0.3, -0.1], [0.2, 0.05]], baseValues: [0.5, 0.5], outputs: [0.7, 0.75],
                                      data: [[1, -1], [0.5, 0]], featureNames: ["Au", "fault_influence"], method: "exact")
        for figure in [try Figure.shapBeeswarm(explanation), try Figure.shapBar(explanation), try Figure.shapWaterfall(explanation, window: 1)] {
            XCTAssertGreaterThan(try figure.pngData().count, 1000)
            XCTAssertTrue(try figure.svg().contains("fault_influence"))
        }
        XCTAssertThrowsError(try Figure.shapWaterfall(explanation, window: 2))
        let roc = try rocCurve(labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8] as [Double])
        let curve = NamedCurve(name: "SSGSNet", roc: roc)
        XCTAssertEqual(curve.value ?? 0, 0.75, accuracy: 1e-12)
        XCTAssertTrue(try Figure.rocCurves([curve]).svg().contains("SSGSNet (AUC = 0.750)"))
    }
}
