import CGDAL
import Foundation

extension PointLayer {
    /// Writes the points with their attributes (numeric columns as reals, others as text) to
    /// GeoJSON, GeoPackage, shapefile or CSV (X and Y columns), format from the extension.
    public func write(to path: String, layerName: String = "points") throws {
        let format = try VectorFormat(path: path)
        let dataset = try VectorDataset.create(path, format: format)
        defer { GDALClose(dataset) }
        let reference = try crs?.makeHandle()
        defer { if let reference { OSRDestroySpatialReference(reference) } }
        let options = GDALOptions(format == .csv ? ["GEOMETRY=AS_XY"] : [])
        guard let layer = GDALDatasetCreateLayer(dataset, layerName, reference, wkbPoint, options.list) else {
            throw GeoError("GDAL cannot create a point layer", file: path, hint: GDALEnvironment.lastError())
        }
        let numeric = columns.map { column in
            column.allSatisfy { $0.isEmpty || Double($0) != nil }
        }
        for (index, name) in columnNames.enumerated() {
            try createField(layer, name: name, real: numeric[index], path: path)
        }
        _ = GDALDatasetStartTransaction(dataset, 0)
        let definition = OGR_L_GetLayerDefn(layer)
        for i in 0..<count {
            guard let feature = OGR_F_Create(definition) else { throw GeoError("GDAL cannot create a feature", file: path) }
            defer { OGR_F_Destroy(feature) }
            for c in columns.indices where !columns[c][i].isEmpty {
                if numeric[c], let value = Double(columns[c][i]) {
                    OGR_F_SetFieldDouble(feature, Int32(c), value)
                } else {
                    OGR_F_SetFieldString(feature, Int32(c), columns[c][i])
                }
            }
            let point = OGR_G_CreateGeometry(wkbPoint)
            OGR_G_SetPoint_2D(point, 0, x[i], y[i])
            OGR_F_SetGeometryDirectly(feature, point)
            guard OGR_L_CreateFeature(layer, feature) == 0 else {
                throw GeoError("GDAL cannot write point \(i + 1)", file: path, row: i + 1, hint: GDALEnvironment.lastError())
            }
        }
        _ = GDALDatasetCommitTransaction(dataset)
    }
}

extension LineLayer {
    /// Writes the lines (with a "name" attribute) to GeoJSON, GeoPackage, shapefile or CSV (WKT).
    public func write(to path: String, layerName: String = "lines") throws {
        let format = try VectorFormat(path: path)
        let dataset = try VectorDataset.create(path, format: format)
        defer { GDALClose(dataset) }
        let reference = try crs?.makeHandle()
        defer { if let reference { OSRDestroySpatialReference(reference) } }
        let options = GDALOptions(format == .csv ? ["GEOMETRY=AS_WKT"] : [])
        guard let layer = GDALDatasetCreateLayer(dataset, layerName, reference, wkbLineString, options.list) else {
            throw GeoError("GDAL cannot create a line layer", file: path, hint: GDALEnvironment.lastError())
        }
        try createField(layer, name: "name", real: false, path: path)
        _ = GDALDatasetStartTransaction(dataset, 0)
        let definition = OGR_L_GetLayerDefn(layer)
        for (index, line) in lines.enumerated() {
            guard let feature = OGR_F_Create(definition) else { throw GeoError("GDAL cannot create a feature", file: path) }
            defer { OGR_F_Destroy(feature) }
            OGR_F_SetFieldString(feature, 0, names[index])
            let geometry = OGR_G_CreateGeometry(wkbLineString)
            for vertex in line { OGR_G_AddPoint_2D(geometry, vertex.x, vertex.y) }
            OGR_F_SetGeometryDirectly(feature, geometry)
            guard OGR_L_CreateFeature(layer, feature) == 0 else {
                throw GeoError("GDAL cannot write line \(index + 1)", file: path, row: index + 1, hint: GDALEnvironment.lastError())
            }
        }
        _ = GDALDatasetCommitTransaction(dataset)
    }
}

private func createField(_ layer: OGRLayerH, name: String, real: Bool, path: String) throws {
    let field = OGR_Fld_Create(name, real ? OFTReal : OFTString)
    defer { OGR_Fld_Destroy(field) }
    guard OGR_L_CreateField(layer, field, 1) == 0 else {
        throw GeoError("GDAL cannot create the attribute", file: path, column: name, hint: GDALEnvironment.lastError())
    }
}
