import Foundation
import LodeEval
import LodeGeo

/// LodeGeo rasters and stacks as LodeEval grids and back. The CRS travels as text: "EPSG:n"
/// when the CRS has a code, its WKT otherwise, so `CRS(text)` rebuilds it on the way back.
extension CRS {
    public var shortText: String { epsg.map { "EPSG:\($0)" } ?? wkt }
}

extension GridSpec {
    public var evalGeoTransform: GeoTransform { GeoTransform(originX: west, cellWidth: cellSize, originY: north, cellHeight: -cellSize) }

    /// The north-up, square-celled grid of a LodeEval raster.
    public init(_ grid: RasterGrid) throws {
        let t = grid.geoTransform
        guard t.rowRotation == 0, t.columnRotation == 0, t.cellWidth > 0, t.cellHeight == -t.cellWidth else {
            throw GeoError("a LodeGeo raster needs a north-up grid of square cells; this geotransform is \(t.gdalValues)")
        }
        try self.init(west: t.originX, north: t.originY, cellSize: t.cellWidth, rows: grid.rows, cols: grid.columns,
                      crs: try grid.crs.map { try CRS($0) })
    }
}

extension LayerStack {
    /// Every layer of `stack`, layer-major then row-major, with its grid, CRS and names.
    public init(_ stack: RasterStack) throws {
        var values: [Float] = []
        values.reserveCapacity(stack.count * stack.grid.cellCount)
        for layer in stack.layers { values.append(contentsOf: layer.values) }
        try self.init(values: values, layers: stack.count, rows: stack.grid.rows, columns: stack.grid.cols,
                      geoTransform: stack.grid.evalGeoTransform, crs: stack.grid.crs?.shortText, layerNames: stack.names)
    }
}

extension RasterGrid {
    public init(_ raster: Raster) throws {
        try self.init(values: raster.values, rows: raster.grid.rows, columns: raster.grid.cols,
                      geoTransform: raster.grid.evalGeoTransform, crs: raster.grid.crs?.shortText)
    }
}

extension Raster {
    public init(_ grid: RasterGrid, name: String) throws {
        try self.init(grid: GridSpec(grid), name: name, values: grid.values)
    }
}

extension GeoTIFF {
    /// Writes a LodeEval grid (e.g. a prospectivity map) as a one-band GeoTIFF with its CRS.
    public static func write(_ grid: RasterGrid, name: String, to path: String) throws {
        try write(Raster(grid, name: name), to: path)
    }

    /// Reads band `band` (1-based) of a GeoTIFF as a LodeEval grid.
    public static func readGrid(path: String, band: Int = 1) throws -> RasterGrid {
        let stack = try read(path: path)
        guard band >= 1, band <= stack.count else {
            throw GeoError("band \(band) does not exist (the file has \(stack.count))", file: path)
        }
        return try RasterGrid(stack.layers[band - 1])
    }
}

extension Deposit {
    /// One deposit per point, named by the layer's id column (or its row number).
    public static func from(_ points: PointLayer) -> [Deposit] {
        let ids = points.ids
        return (0..<points.count).map { Deposit(x: points.x[$0], y: points.y[$0], name: ids[$0]) }
    }
}
