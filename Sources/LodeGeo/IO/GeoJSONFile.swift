import CGDAL
import Foundation

/// GeoJSON text built elsewhere (LodeEval's target zones) as a file a GIS opens: written as is
/// (`.geojson`/`.json`) or converted by GDAL into a GeoPackage (`.gpkg`) or a shapefile
/// (`.shp`), so attributes and CRS match the GeoJSON exactly.
public enum GeoJSONFile {
    public static func write(_ text: String, to path: String, layerName: String) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "geojson", "json":
            try writeText(text, to: path)
        case "gpkg", "shp":
            // Shapefile field names are cut to 10 characters by GDAL (known_names → known_name).
            let temporary = NSTemporaryDirectory() + "lode-\(UUID().uuidString).geojson"
            try writeText(text, to: temporary)
            defer { try? FileManager.default.removeItem(atPath: temporary) }
            try convertVector(from: temporary, to: path, format: ext == "gpkg" ? "GPKG" : "ESRI Shapefile", layerName: layerName)
        default:
            throw GeoError("cannot write \(layerName) as '.\(ext)'; use .geojson, .gpkg or .shp", file: path)
        }
    }

    private static func writeText(_ text: String, to path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw GeoError("cannot write the file: \(error.localizedDescription)", file: path)
        }
    }
}

/// Copies every layer of `source` into a new file of GDAL driver `format` (what ogr2ogr does).
private func convertVector(from source: String, to path: String, format: String, layerName: String) throws {
    GDALAllRegister()
    try? FileManager.default.removeItem(atPath: path)
    CPLErrorReset()
    guard let input = GDALOpenEx(source, UInt32(GDAL_OF_VECTOR), nil, nil, nil) else {
        throw GeoError("GDAL cannot read the GeoJSON it was given", file: source, hint: lastGDALMessage())
    }
    defer { GDALClose(input) }
    guard let driver = GDALGetDriverByName(format),
          let output = GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, nil) else {
        throw GeoError("GDAL cannot create a \(format) file", file: path, hint: lastGDALMessage())
    }
    defer { GDALClose(output) }
    for index in 0..<GDALDatasetGetLayerCount(input) {
        guard let layer = GDALDatasetGetLayer(input, index),
              GDALDatasetCopyLayer(output, layer, index == 0 ? layerName : "\(layerName)_\(index)", nil) != nil else {
            throw GeoError("GDAL cannot copy layer \(index + 1) into the \(format) file", file: path, hint: lastGDALMessage())
        }
    }
}

private func lastGDALMessage() -> String? {
    guard let message = CPLGetLastErrorMsg() else { return nil }
    let text = String(cString: message)
    return text.isEmpty ? nil : text
}
