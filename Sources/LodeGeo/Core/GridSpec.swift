import Foundation
import LodeTensor

/// A north-up raster grid: the top-left corner, a square cell size, rows and columns, and a CRS.
/// Cell (row, col) covers x in [west + col*cell, west + (col+1)*cell) and y in
/// (north - (row+1)*cell, north - row*cell], plus the grid's outer east and south edges for the
/// last column and row (see `cell(fractionalRow:fractionalColumn:rows:cols:)`); its centre is
/// used for every computation.
public struct GridSpec: Equatable, Sendable, CustomStringConvertible {
    public var west: Double
    public var north: Double
    public var cellSize: Double
    public var rows: Int
    public var cols: Int
    public var crs: CRS?

    public init(west: Double, north: Double, cellSize: Double, rows: Int, cols: Int, crs: CRS? = nil) throws {
        guard cellSize > 0, cellSize.isFinite else {
            throw GeoError("cell size must be a positive number of metres, got \(cellSize)")
        }
        guard rows > 0, cols > 0 else {
            throw GeoError("a grid needs at least one row and one column, got \(rows) x \(cols)")
        }
        self.west = west
        self.north = north
        self.cellSize = cellSize
        self.rows = rows
        self.cols = cols
        self.crs = crs
    }

    /// A grid covering an extent; the extent is rounded outwards to whole cells.
    public init(extent: Extent, cellSize: Double, crs: CRS? = nil) throws {
        guard cellSize > 0, cellSize.isFinite else {
            throw GeoError("cell size must be a positive number of metres, got \(cellSize)")
        }
        guard extent.east > extent.west, extent.north > extent.south else {
            throw GeoError("the extent is empty: \(extent)")
        }
        let colCount = ((extent.east - extent.west) / cellSize).rounded(.up)
        let rowCount = ((extent.north - extent.south) / cellSize).rounded(.up)
        // Checked before Int(): a tiny cell must be an error, not a trap or an allocation failure.
        try MemoryBudget.require(elements: colCount * rowCount,
                                 what: "a grid of \(String(format: "%.6g", rowCount))×\(String(format: "%.6g", colCount)) cells at \(cellSize) m",
                                 change: "use a larger cell size")
        let cols = Int(colCount)
        let rows = Int(rowCount)
        try self.init(west: extent.west, north: extent.north, cellSize: cellSize,
                      rows: max(rows, 1), cols: max(cols, 1), crs: crs)
    }

    public var east: Double { west + Double(cols) * cellSize }
    public var south: Double { north - Double(rows) * cellSize }
    public var extent: Extent { Extent(west: west, south: south, east: east, north: north) }
    public var cellCount: Int { rows * cols }

    /// GDAL's affine geotransform: x = g0 + col*g1 + row*g2, y = g3 + col*g4 + row*g5.
    public var geoTransform: [Double] { [west, cellSize, 0, north, 0, -cellSize] }

    public func centreX(col: Int) -> Double { west + (Double(col) + 0.5) * cellSize }
    public func centreY(row: Int) -> Double { north - (Double(row) + 0.5) * cellSize }

    /// Map coordinates of a fractional grid position: (0, 0) is the north-west corner, (0.5, 0.5)
    /// the first cell's centre, (rows, cols) the south-east corner.
    public func mapPoint(row: Double, column: Double) -> (x: Double, y: Double) {
        (west + column * cellSize, north - row * cellSize)
    }

    /// Ground area of one cell, in squared map units.
    public var cellArea: Double { cellSize * cellSize }

    /// Row-major indices of the cells holding the points (points outside the grid are skipped).
    public func cellIndices(of points: PointLayer) -> [Int] {
        points.x.indices.compactMap { i in cell(x: points.x[i], y: points.y[i]).map { $0.row * cols + $0.col } }
    }

    /// The cell holding a point, or nil outside the grid, by the one point-to-cell rule (below).
    public func cell(x: Double, y: Double) -> (row: Int, col: Int)? {
        GridSpec.cell(fractionalRow: (north - y) / cellSize, fractionalColumn: (x - west) / cellSize, rows: rows, cols: cols)
    }

    /// The one point-to-cell rule of Lode, on a point's fractional position in cells (row 0.0 is
    /// the north edge, column 0.0 the west edge; LodeEval's rasters use it through their
    /// geotransform). A cell holds its north and west edges: fractional position (r, c) falls in
    /// cell (floor r, floor c). The grid's outer south and east edges are inclusive: a point
    /// exactly on them belongs to the last row or column, so a grid built from an extent holds
    /// every point of that extent. Anything else outside the grid, or NaN, gives nil.
    public static func cell(fractionalRow r: Double, fractionalColumn c: Double, rows: Int, cols: Int) -> (row: Int, col: Int)? {
        guard c >= 0, r >= 0, c <= Double(cols), r <= Double(rows) else { return nil }
        return (min(Int(r), rows - 1), min(Int(c), cols - 1))
    }

    public var description: String {
        let crsText = crs.map { " \($0.name)" } ?? ""
        return "grid \(rows) x \(cols) cells of \(cellSize) m from (\(west), \(north))\(crsText)"
    }
}

/// A bounding box in map units.
public struct Extent: Equatable, Sendable, CustomStringConvertible {
    public var west: Double
    public var south: Double
    public var east: Double
    public var north: Double

    public init(west: Double, south: Double, east: Double, north: Double) {
        self.west = west
        self.south = south
        self.east = east
        self.north = north
    }

    public init?(x: [Double], y: [Double]) {
        guard let minX = x.min(), let maxX = x.max(), let minY = y.min(), let maxY = y.max() else { return nil }
        self.init(west: minX, south: minY, east: maxX, north: maxY)
    }

    public var width: Double { east - west }
    public var height: Double { north - south }

    public func expanded(by margin: Double) -> Extent {
        Extent(west: west - margin, south: south - margin, east: east + margin, north: north + margin)
    }

    public var description: String { "[\(west), \(south)] - [\(east), \(north)]" }
}
