import Foundation

/// One named layer on a grid: `rows * cols` values, row-major from the north-west corner.
/// Missing cells are NaN in memory (GeoTIFF nodata is translated on read and write).
public struct Raster: Sendable, CustomStringConvertible {
    public var grid: GridSpec
    public var name: String
    public var values: [Float]

    public init(grid: GridSpec, name: String, values: [Float]) throws {
        guard values.count == grid.cellCount else {
            throw GeoError("raster '\(name)' has \(values.count) values but its grid \(grid.rows) x \(grid.cols) needs \(grid.cellCount)")
        }
        self.grid = grid
        self.name = name
        self.values = values
    }

    public init(grid: GridSpec, name: String, filledWith value: Float) {
        self.grid = grid
        self.name = name
        self.values = [Float](repeating: value, count: grid.cellCount)
    }

    public subscript(row: Int, col: Int) -> Float {
        get { values[row * grid.cols + col] }
        set { values[row * grid.cols + col] = newValue }
    }

    /// The value at a map position (the cell containing it), nil outside the grid.
    public func value(x: Double, y: Double) -> Float? {
        guard let cell = grid.cell(x: x, y: y) else { return nil }
        return self[cell.row, cell.col]
    }

    public func renamed(_ newName: String) -> Raster {
        var copy = self
        copy.name = newName
        return copy
    }

    /// Statistics over the cells that are not missing.
    public var validValues: [Float] { values.filter { !$0.isNaN } }

    public var description: String {
        let valid = validValues
        let low = valid.min().map { String(format: "%.4g", $0) } ?? "-"
        let high = valid.max().map { String(format: "%.4g", $0) } ?? "-"
        return "raster '\(name)' \(grid.rows) x \(grid.cols), \(valid.count) valid cells, range \(low) .. \(high)"
    }
}

/// Several named layers on one grid, in order (the channel order of every window cut from it).
public struct RasterStack: Sendable, CustomStringConvertible {
    public private(set) var grid: GridSpec
    public private(set) var layers: [Raster]

    public init(grid: GridSpec, layers: [Raster] = []) throws {
        self.grid = grid
        self.layers = []
        for layer in layers { try append(layer) }
    }

    public init(_ layers: [Raster]) throws {
        guard let first = layers.first else { throw GeoError("a raster stack needs at least one layer") }
        try self.init(grid: first.grid, layers: layers)
    }

    public var names: [String] { layers.map(\.name) }
    public var count: Int { layers.count }

    public mutating func append(_ layer: Raster) throws {
        guard layer.grid.rows == grid.rows, layer.grid.cols == grid.cols,
              abs(layer.grid.west - grid.west) < 1e-6 * grid.cellSize,
              abs(layer.grid.north - grid.north) < 1e-6 * grid.cellSize,
              layer.grid.cellSize == grid.cellSize else {
            throw GeoError("layer '\(layer.name)' is on \(layer.grid), not on the stack's \(grid)")
        }
        guard !names.contains(layer.name) else {
            throw GeoError("the stack already has a layer named '\(layer.name)'")
        }
        layers.append(layer)
    }

    public func appending(_ layer: Raster) throws -> RasterStack {
        var copy = self
        try copy.append(layer)
        return copy
    }

    public subscript(name: String) -> Raster? { layers.first { $0.name == name } }

    public func layer(named name: String) throws -> Raster {
        guard let layer = self[name] else {
            throw GeoError("the stack has no layer '\(name)'", hint: "its layers are \(names.joined(separator: ", "))")
        }
        return layer
    }

    /// Applies a per-layer transform to every layer (e.g. `{ try $0.log10Transformed() }`).
    public func mapped(_ transform: (Raster) throws -> Raster) throws -> RasterStack {
        try RasterStack(grid: grid, layers: layers.map(transform))
    }

    public var description: String {
        "stack of \(count) layers [\(names.joined(separator: ", "))] on \(grid)"
    }
}
