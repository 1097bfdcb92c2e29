import LodeGeo

/// GDAL's affine geotransform: map x = originX + column * cellWidth + row * rowRotation,
/// map y = originY + column * columnRotation + row * cellHeight (cellHeight < 0 for north-up).
public struct GeoTransform: Equatable, Sendable {
    public var originX: Double
    public var cellWidth: Double
    public var rowRotation: Double
    public var originY: Double
    public var columnRotation: Double
    public var cellHeight: Double

    public init(originX: Double, cellWidth: Double, rowRotation: Double = 0,
                originY: Double, columnRotation: Double = 0, cellHeight: Double) {
        self.originX = originX
        self.cellWidth = cellWidth
        self.rowRotation = rowRotation
        self.originY = originY
        self.columnRotation = columnRotation
        self.cellHeight = cellHeight
    }

    /// The six numbers in GDAL's order.
    public init(gdal values: [Double]) throws {
        guard values.count == 6 else {
            throw EvalError("geotransform", "expected 6 numbers in GDAL order, got \(values.count)")
        }
        self.init(originX: values[0], cellWidth: values[1], rowRotation: values[2],
                  originY: values[3], columnRotation: values[4], cellHeight: values[5])
    }

    /// Pixel space itself: x = column, y = row.
    public static let pixels = GeoTransform(originX: 0, cellWidth: 1, originY: 0, cellHeight: 1)

    public var gdalValues: [Double] { [originX, cellWidth, rowRotation, originY, columnRotation, cellHeight] }

    /// Map coordinates of a fractional pixel position (row 0.5, column 0.5 is the first cell's centre).
    public func mapPoint(row: Double, column: Double) -> (x: Double, y: Double) {
        (originX + column * cellWidth + row * rowRotation, originY + column * columnRotation + row * cellHeight)
    }

    /// Fractional (row, column) of a map point; nil when the transform is degenerate.
    public func pixel(x: Double, y: Double) -> (row: Double, column: Double)? {
        let determinant = cellWidth * cellHeight - rowRotation * columnRotation
        guard determinant != 0 else { return nil }
        let dx = x - originX, dy = y - originY
        return ((cellWidth * dy - columnRotation * dx) / determinant,
                (cellHeight * dx - rowRotation * dy) / determinant)
    }

    /// Ground area of one cell.
    public var cellArea: Double { abs(cellWidth * cellHeight - rowRotation * columnRotation) }
}

/// A single-band raster as LodeEval sees it: row-major values plus where they sit on the map.
/// NaN marks cells outside the surveyed area.
public struct RasterGrid: Equatable, Sendable {
    public var values: [Float]
    public var rows: Int
    public var columns: Int
    public var geoTransform: GeoTransform
    /// Passed through to exports, e.g. "EPSG:32645".
    public var crs: String?

    public init(values: [Float], rows: Int, columns: Int, geoTransform: GeoTransform = .pixels,
                crs: String? = nil) throws {
        guard rows > 0, columns > 0 else {
            throw EvalError("raster", "rows (\(rows)) and columns (\(columns)) must be positive")
        }
        guard values.count == rows * columns else {
            throw EvalError("raster", "\(values.count) values do not fill \(rows) rows x \(columns) columns (\(rows * columns) cells)")
        }
        self.values = values
        self.rows = rows
        self.columns = columns
        self.geoTransform = geoTransform
        self.crs = crs
    }

    /// Row-major index of the cell holding a map point, nil outside the grid: LodeGeo's one
    /// point-to-cell rule (outer south and east edges inclusive) on the geotransform's pixel.
    public func cellIndex(x: Double, y: Double) -> Int? {
        guard let pixel = geoTransform.pixel(x: x, y: y),
              let cell = GridSpec.cell(fractionalRow: pixel.row, fractionalColumn: pixel.column, rows: rows, cols: columns)
        else { return nil }
        return cell.row * columns + cell.col
    }
}
