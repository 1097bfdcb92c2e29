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

    /// A probability map written as a GeoTIFF opens in gdalinfo with the grid's CRS and
    /// geotransform, and reads back cell for cell (NaN stays missing).
    func testProbabilityGeoTIFFOpensInGdalinfo() throws {
        var values = testValues(48, seed: 3).map { ($0 + 2) / 4 }
        values[9] = .nan
        let map = try Raster(grid: try grid(), name: "probability", values: values)
        let path = try temporaryFolder() + "/prospectivity.tif"
        try GeoTIFF.write(map, to: path)
        let info = try JSONSerialization.jsonObject(with: Data(try runTool("gdalinfo", ["-json", path]).utf8)) as? [String: Any]
        XCTAssertEqual(info?["geoTransform"] as? [Double], [400_000, 100, 0, 4_020_000, 0, -100])
        XCTAssertEqual(info?["size"] as? [Int], [8, 6])
        let wkt = (info?["coordinateSystem"] as? [String: Any])?["wkt"] as? String ?? ""
        XCTAssertTrue(wkt.contains("ID[\"EPSG\",32646]"), wkt)
        let back = try GeoTIFF.read(path: path).layers[0]
        XCTAssertEqual(back.grid.crs?.epsg, 32646)
        XCTAssertEqual(back.grid.geoTransform, map.grid.geoTransform)
        XCTAssertTrue(back.values[9].isNaN)
        XCTAssertEqual(back.values.enumerated().filter { $0.offset != 9 }.map(\.element),
                       values.enumerated().filter { $0.offset != 9 }.map(\.element))
    }

    /// A 2 x 2 block of A cells and one B cell give two zones; both files open in ogrinfo with
    /// the CRS, and the GeoPackage carries the deposit counts.
    func testZonesWriteGeoJSONAndGeoPackage() throws {
        var values = [Float](repeating: 0.1, count: 48)
        for cell in [9, 10, 17, 18] { values[cell] = 0.97 }
        values[44] = 0.92
        let map = try Raster(grid: try grid(), name: "probability", values: values)
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
        XCTAssertThrowsError(try zones.write(to: folder + "/zones.kml")) { XCTAssertTrue("\($0)".contains(".geojson, .gpkg or .shp"), "\($0)") }
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
