import Foundation
import LodeTensor

/// Points with attribute columns kept as the text that was read, so that cleaning can still see
/// below-detection marks such as "<0.5" and report the row and column of a bad value.
public struct PointLayer: Sendable, CustomStringConvertible {
    public var x: [Double]
    public var y: [Double]
    public var columnNames: [String]
    /// columns[c][i] is the text of column c for point i (empty when the file had no value).
    public var columns: [[String]]
    public var crs: CRS?
    /// Where the points came from, for messages (a file path or "synthetic survey").
    public var source: String
    /// For each point, the row of the source that it came from (a text line counting the header
    /// as line 1, or a 1-based feature number).
    public var rowNumbers: [Int]
    /// The name of the column holding point identifiers, if any.
    public var idColumn: String?

    public init(x: [Double], y: [Double], columnNames: [String] = [], columns: [[String]] = [],
                crs: CRS? = nil, source: String = "points", rowNumbers: [Int]? = nil, idColumn: String? = nil) throws {
        guard x.count == y.count else {
            throw GeoError("\(x.count) x coordinates but \(y.count) y coordinates", file: source)
        }
        guard columnNames.count == columns.count, columns.allSatisfy({ $0.count == x.count }) else {
            throw GeoError("every attribute column needs one value per point (\(x.count))", file: source)
        }
        self.x = x
        self.y = y
        self.columnNames = columnNames
        self.columns = columns
        self.crs = crs
        self.source = source
        self.rowNumbers = rowNumbers ?? Array(stride(from: 1, through: x.count, by: 1))
        self.idColumn = idColumn
    }

    public var count: Int { x.count }

    public func column(named name: String) -> [String]? {
        guard let index = columnIndex(name) else { return nil }
        return columns[index]
    }

    /// Case-insensitive column lookup.
    public func columnIndex(_ name: String) -> Int? {
        if let exact = columnNames.firstIndex(of: name) { return exact }
        let lower = name.lowercased()
        return columnNames.firstIndex { $0.lowercased() == lower }
    }

    /// Identifiers: the id column when there is one, else "source#row".
    public var ids: [String] {
        if let idColumn, let values = column(named: idColumn) { return values }
        return (0..<count).map { "\($0 + 1)" }
    }

    /// A column parsed as numbers: empty text is missing (NaN); anything else that is not a number
    /// is an error naming the row and column. Below-detection marks are left to `cleaned`.
    public func numericColumn(named name: String) throws -> [Double] {
        guard let index = columnIndex(name) else {
            throw GeoError("no column '\(name)'", file: source, column: name,
                           hint: "columns are \(columnNames.joined(separator: ", "))")
        }
        return try columns[index].enumerated().map { i, text in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return .nan }
            guard let value = Double(trimmed) else {
                throw GeoError("'\(text)' is not a number", file: source, row: rowNumbers[i], column: columnNames[index])
            }
            return value
        }
    }

    /// The same points in another coordinate system.
    public func reprojected(to target: CRS) throws -> PointLayer {
        guard let crs else {
            throw GeoError("the points have no coordinate reference system, so they cannot be reprojected to \(target)",
                           file: source, hint: "give the CRS when reading, e.g. crs: \"EPSG:4326\"")
        }
        var copy = self
        (copy.x, copy.y) = try Reprojection.transformed(x: x, y: y, from: crs, to: target)
        copy.crs = target
        return copy
    }

    /// Checks the points can be used on a grid: same CRS, reprojecting when allowed.
    public func aligned(to grid: GridSpec, reproject: Bool = true) throws -> PointLayer {
        CRSMismatch.warnIfOneSided(crs, grid.crs, what: "points of \(source)")
        guard let gridCRS = grid.crs, let crs else { return self }
        if crs == gridCRS { return self }
        guard reproject else {
            throw GeoError("the points are in \(crs) but the grid is in \(gridCRS)", file: source,
                           hint: "reproject the points (reproject: true) or build the grid in their CRS")
        }
        WorkMonitor.warn("the \(count) points of \(source) were reprojected from \(crs) to the grid's \(gridCRS)")
        return try reprojected(to: gridCRS)
    }

    public func subset(_ indices: [Int]) -> PointLayer {
        var copy = self
        copy.x = indices.map { x[$0] }
        copy.y = indices.map { y[$0] }
        copy.columns = columns.map { column in indices.map { column[$0] } }
        copy.rowNumbers = indices.map { rowNumbers[$0] }
        return copy
    }

    public var extent: Extent? { Extent(x: x, y: y) }

    public var description: String {
        "\(count) points from \(source) with columns [\(columnNames.joined(separator: ", "))]" + (crs.map { " in \($0)" } ?? "")
    }
}

/// Polylines (faults, shear zones) as vertex lists, with a name per line when known.
public struct LineLayer: Sendable, CustomStringConvertible {
    public var lines: [[SIMD2<Double>]]
    public var names: [String]
    public var crs: CRS?
    public var source: String

    public init(lines: [[SIMD2<Double>]], names: [String]? = nil, crs: CRS? = nil, source: String = "lines") throws {
        for (i, line) in lines.enumerated() where line.count < 2 {
            throw GeoError("line \(i + 1) has \(line.count) vertex; a line needs at least two", file: source, row: i + 1)
        }
        if let names, names.count != lines.count {
            throw GeoError("\(names.count) names for \(lines.count) lines", file: source)
        }
        self.lines = lines
        self.names = names ?? (0..<lines.count).map { "line \($0 + 1)" }
        self.crs = crs
        self.source = source
    }

    public var count: Int { lines.count }
    public var segmentCount: Int { lines.reduce(0) { $0 + $1.count - 1 } }

    /// Every segment as (start, end).
    public var segments: [(SIMD2<Double>, SIMD2<Double>)] {
        lines.flatMap { line in (0..<(line.count - 1)).map { (line[$0], line[$0 + 1]) } }
    }

    public func reprojected(to target: CRS) throws -> LineLayer {
        guard let crs else {
            throw GeoError("the lines have no coordinate reference system, so they cannot be reprojected to \(target)", file: source)
        }
        let xs = lines.flatMap { $0.map(\.x) }
        let ys = lines.flatMap { $0.map(\.y) }
        let (newX, newY) = try Reprojection.transformed(x: xs, y: ys, from: crs, to: target)
        var offset = 0
        var result: [[SIMD2<Double>]] = []
        for line in lines {
            result.append((0..<line.count).map { SIMD2(newX[offset + $0], newY[offset + $0]) })
            offset += line.count
        }
        return try LineLayer(lines: result, names: names, crs: target, source: source)
    }

    public func aligned(to grid: GridSpec, reproject: Bool = true) throws -> LineLayer {
        CRSMismatch.warnIfOneSided(crs, grid.crs, what: "lines of \(source)")
        guard let gridCRS = grid.crs, let crs else { return self }
        if crs == gridCRS { return self }
        guard reproject else {
            throw GeoError("the lines are in \(crs) but the grid is in \(gridCRS)", file: source,
                           hint: "reproject the lines (reproject: true) or build the grid in their CRS")
        }
        WorkMonitor.warn("the \(count) lines of \(source) were reprojected from \(crs) to the grid's \(gridCRS)")
        return try reprojected(to: gridCRS)
    }

    public var description: String {
        "\(count) lines (\(segmentCount) segments) from \(source)" + (crs.map { " in \($0)" } ?? "")
    }
}
