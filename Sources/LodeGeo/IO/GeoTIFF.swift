import CGDAL
import Foundation

/// GeoTIFF reading and writing: one Float32 band per layer, the layer name as band description,
/// the grid's geotransform and CRS, and missing cells (NaN) written as the nodata value.
public enum GeoTIFF {
    public static let defaultNodata: Float = -9999

    /// The band type written: Float32 (the cells' own precision) or Float64 for tools that
    /// expect double precision.
    public enum SampleType: String, CaseIterable, Sendable {
        case float32, float64
        var gdal: GDALDataType { self == .float32 ? GDT_Float32 : GDT_Float64 }
    }

    public static func write(_ stack: RasterStack, to path: String, nodata: Float = defaultNodata, type: SampleType = .float32) throws {
        GDALEnvironment.ensureReady()
        guard let driver = GDALGetDriverByName("GTiff") else { throw GeoError("this GDAL has no GeoTIFF driver", file: path) }
        try? FileManager.default.removeItem(atPath: path)
        let grid = stack.grid
        let options = GDALOptions(["COMPRESS=DEFLATE", "TILED=YES", "BIGTIFF=IF_SAFER"])
        GDALEnvironment.resetError()
        guard let dataset = GDALCreate(driver, path, Int32(grid.cols), Int32(grid.rows), Int32(stack.count),
                                       type.gdal, options.list) else {
            throw GeoError("GDAL cannot create the GeoTIFF", file: path, hint: GDALEnvironment.lastError())
        }
        defer { GDALClose(dataset) }
        var transform = grid.geoTransform
        _ = GDALSetGeoTransform(dataset, &transform)
        if let crs = grid.crs {
            _ = GDALSetProjection(dataset, crs.wkt)
        }
        for (index, layer) in stack.layers.enumerated() {
            guard let band = GDALGetRasterBand(dataset, Int32(index + 1)) else {
                throw GeoError("GDAL cannot open band \(index + 1)", file: path)
            }
            GDALSetDescription(band, layer.name)
            _ = GDALSetRasterNoDataValue(band, Double(nodata))
            var buffer = layer.values.map { $0.isNaN ? nodata : $0 }
            var wide = type == .float64 ? buffer.map(Double.init) : []
            let status = type == .float64
                ? wide.withUnsafeMutableBytes { bytes in
                    GDALRasterIO(band, GF_Write, 0, 0, Int32(grid.cols), Int32(grid.rows), bytes.baseAddress,
                                 Int32(grid.cols), Int32(grid.rows), GDT_Float64, 0, 0)
                }
                : buffer.withUnsafeMutableBytes { bytes in
                    GDALRasterIO(band, GF_Write, 0, 0, Int32(grid.cols), Int32(grid.rows), bytes.baseAddress,
                                 Int32(grid.cols), Int32(grid.rows), GDT_Float32, 0, 0)
                }
            guard status == CE_None else {
                throw GeoError("GDAL cannot write band \(index + 1) '\(layer.name)'", file: path, hint: GDALEnvironment.lastError())
            }
        }
    }

    public static func write(_ raster: Raster, to path: String, nodata: Float = defaultNodata, type: SampleType = .float32) throws {
        try write(RasterStack([raster]), to: path, nodata: nodata, type: type)
    }

    /// Reads every band; a band without a description is named "band N".
    public static func read(path: String) throws -> RasterStack {
        GDALEnvironment.ensureReady()
        guard FileManager.default.fileExists(atPath: path) else { throw GeoError("file not found", file: path) }
        GDALEnvironment.resetError()
        guard let dataset = GDALOpen(path, GA_ReadOnly) else {
            throw GeoError("GDAL cannot open this file as a raster", file: path, hint: GDALEnvironment.lastError())
        }
        defer { GDALClose(dataset) }
        let cols = Int(GDALGetRasterXSize(dataset))
        let rows = Int(GDALGetRasterYSize(dataset))
        let bandCount = Int(GDALGetRasterCount(dataset))
        guard bandCount > 0 else { throw GeoError("the raster has no band", file: path) }
        var transform = [Double](repeating: 0, count: 6)
        guard GDALGetGeoTransform(dataset, &transform) == CE_None else {
            throw GeoError("the raster has no geotransform, so its cells have no map position", file: path)
        }
        guard transform[2] == 0, transform[4] == 0, transform[5] < 0, abs(transform[1] + transform[5]) < 1e-9 * transform[1] else {
            throw GeoError("only north-up rasters with square cells are supported (geotransform \(transform))", file: path)
        }
        var crs: CRS?
        if let projection = GDALGetProjectionRef(dataset), strlen(projection) > 0 {
            crs = try CRS(String(cString: projection))
        }
        let grid = try GridSpec(west: transform[0], north: transform[3], cellSize: transform[1], rows: rows, cols: cols, crs: crs)
        var layers: [Raster] = []
        for index in 1...bandCount {
            guard let band = GDALGetRasterBand(dataset, Int32(index)) else { throw GeoError("cannot open band \(index)", file: path) }
            var buffer = [Float](repeating: 0, count: rows * cols)
            let status = buffer.withUnsafeMutableBytes { bytes in
                GDALRasterIO(band, GF_Read, 0, 0, Int32(cols), Int32(rows), bytes.baseAddress,
                             Int32(cols), Int32(rows), GDT_Float32, 0, 0)
            }
            guard status == CE_None else { throw GeoError("cannot read band \(index)", file: path, hint: GDALEnvironment.lastError()) }
            var hasNodata: Int32 = 0
            let nodata = GDALGetRasterNoDataValue(band, &hasNodata)
            if hasNodata != 0 {
                let marker = Float(nodata)
                for i in buffer.indices where buffer[i] == marker { buffer[i] = .nan }
            }
            let description = GDALGetDescription(band).map { String(cString: $0) } ?? ""
            layers.append(try Raster(grid: grid, name: description.isEmpty ? "band \(index)" : description, values: buffer))
        }
        return try RasterStack(grid: grid, layers: layers)
    }
}
