import CGDAL
import Foundation

/// Vector file formats LodeGeo reads and writes, chosen from the file extension.
public enum VectorFormat: String, CaseIterable, Sendable {
    case csv = "CSV"
    case shapefile = "ESRI Shapefile"
    case geoPackage = "GPKG"
    case geoJSON = "GeoJSON"

    public init(path: String) throws {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv", "txt", "tsv", "dat": self = .csv
        case "shp": self = .shapefile
        case "gpkg": self = .geoPackage
        case "geojson", "json": self = .geoJSON
        case let other:
            throw GeoError("unknown vector format '.\(other)'", file: path,
                           hint: "use .csv, .shp, .gpkg or .geojson")
        }
    }
}

/// Owns a list of "KEY=VALUE" strings in GDAL's char** form.
final class GDALOptions {
    private(set) var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    init(_ options: [String]) {
        for option in options { list = CSLAddString(list, option) }
    }

    deinit { CSLDestroy(list) }
}

enum VectorDataset {
    /// Opens a vector file for reading, with a message naming the file on failure.
    static func open(_ path: String) throws -> GDALDatasetH {
        GDALEnvironment.ensureReady()
        guard FileManager.default.fileExists(atPath: path) else {
            throw GeoError("file not found", file: path)
        }
        if (path as NSString).pathExtension.lowercased() == "shp" {
            try requireShapefileSidecars(path)
        }
        GDALEnvironment.resetError()
        guard let dataset = GDALOpenEx(path, UInt32(GDAL_OF_VECTOR), nil, nil, nil) else {
            throw GeoError("GDAL cannot open this file as vector data", file: path, hint: GDALEnvironment.lastError())
        }
        guard GDALDatasetGetLayerCount(dataset) > 0 else {
            GDALClose(dataset)
            throw GeoError("the file holds no vector layer", file: path)
        }
        return dataset
    }

    /// A shapefile is three files at least: without its .dbf (attributes) or .shx (index) GDAL may
    /// read a partial layer, so refuse early and say which part is missing.
    static func requireShapefileSidecars(_ path: String) throws {
        let base = (path as NSString).deletingPathExtension
        for part in ["dbf", "shx"] {
            let exists = [part, part.uppercased()].contains { FileManager.default.fileExists(atPath: base + "." + $0) }
            guard exists else {
                throw GeoError("the shapefile has no .\(part) file beside it", file: path,
                               hint: "copy \((base as NSString).lastPathComponent).\(part) next to the .shp")
            }
        }
    }

    static func layer(_ dataset: GDALDatasetH, named name: String?, path: String) throws -> OGRLayerH {
        if let name {
            guard let layer = GDALDatasetGetLayerByName(dataset, name) else {
                let names = (0..<GDALDatasetGetLayerCount(dataset)).compactMap { index -> String? in
                    guard let layer = GDALDatasetGetLayer(dataset, index) else { return nil }
                    return String(cString: OGR_L_GetName(layer))
                }
                throw GeoError("no layer '\(name)'", file: path, hint: "layers are \(names.joined(separator: ", "))")
            }
            return layer
        }
        guard let layer = GDALDatasetGetLayer(dataset, 0) else {
            throw GeoError("the file holds no vector layer", file: path)
        }
        return layer
    }

    /// Calls `body(feature, geometry, featureNumber)` for every feature (numbers from 1); a
    /// feature without geometry is an error naming its number.
    static func forEachFeature(_ layer: OGRLayerH, path: String,
                               _ body: (OGRFeatureH, OGRGeometryH, Int) throws -> Void) throws {
        OGR_L_ResetReading(layer)
        var featureNumber = 0
        while let feature = OGR_L_GetNextFeature(layer) {
            defer { OGR_F_Destroy(feature) }
            featureNumber += 1
            guard let geometry = OGR_F_GetGeometryRef(feature) else {
                throw GeoError("feature has no geometry", file: path, row: featureNumber)
            }
            try body(feature, geometry, featureNumber)
        }
    }

    static func crs(of layer: OGRLayerH) throws -> CRS? {
        guard let reference = OGR_L_GetSpatialRef(layer) else { return nil }
        return try CRS(handle: reference)
    }

    static func fieldNames(_ layer: OGRLayerH) -> [String] {
        let definition = OGR_L_GetLayerDefn(layer)
        return (0..<OGR_FD_GetFieldCount(definition)).map { index in
            String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(definition, index)))
        }
    }

    /// Creates (replacing) a file for writing; returns the dataset.
    static func create(_ path: String, format: VectorFormat) throws -> GDALDatasetH {
        GDALEnvironment.ensureReady()
        guard let driver = GDALGetDriverByName(format.rawValue) else {
            throw GeoError("this GDAL has no \(format.rawValue) driver", file: path)
        }
        remove(path, format: format)
        GDALEnvironment.resetError()
        guard let dataset = GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, nil) else {
            throw GeoError("GDAL cannot create the file", file: path, hint: GDALEnvironment.lastError())
        }
        return dataset
    }

    static func remove(_ path: String, format: VectorFormat) {
        let manager = FileManager.default
        if format == .shapefile {
            let base = (path as NSString).deletingPathExtension
            for part in ["shp", "shx", "dbf", "prj", "cpg"] { try? manager.removeItem(atPath: base + "." + part) }
        } else {
            try? manager.removeItem(atPath: path)
        }
    }
}
