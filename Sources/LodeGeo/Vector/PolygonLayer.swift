import Foundation
import LodeTensor

/// Areas such as a study-area outline or a tenement: each polygon is an outer ring followed by
/// its holes; rings are vertex lists, closed or not. Inside is decided by the even-odd rule
/// over a polygon's rings, so holes are outside.
public struct PolygonLayer: Sendable, CustomStringConvertible {
    public var polygons: [[[SIMD2<Double>]]]
    public var names: [String]
    public var crs: CRS?
    public var source: String

    public init(polygons: [[[SIMD2<Double>]]], names: [String]? = nil, crs: CRS? = nil, source: String = "polygons") throws {
        for (i, polygon) in polygons.enumerated() {
            guard !polygon.isEmpty else { throw GeoError("polygon \(i + 1) has no ring", file: source, row: i + 1) }
            for ring in polygon where Set(ring.map { [$0.x, $0.y] }).count < 3 {
                throw GeoError("polygon \(i + 1) has a ring of \(ring.count) vertices; a ring needs at least three distinct ones", file: source, row: i + 1)
            }
        }
        if let names, names.count != polygons.count {
            throw GeoError("\(names.count) names for \(polygons.count) polygons", file: source)
        }
        self.polygons = polygons
        self.names = names ?? (0..<polygons.count).map { "polygon \($0 + 1)" }
        self.crs = crs
        self.source = source
    }

    /// An extent as one rectangle (what `clip(points, extent)` cuts with).
    public init(extent: Extent, crs: CRS?) throws {
        try self.init(polygons: [[[SIMD2(extent.west, extent.south), SIMD2(extent.east, extent.south),
                                    SIMD2(extent.east, extent.north), SIMD2(extent.west, extent.north)]]],
                      names: ["extent"], crs: crs, source: "extent")
    }

    public var count: Int { polygons.count }
    public var vertices: [SIMD2<Double>] { polygons.flatMap { $0.flatMap { $0 } } }
    public var extent: Extent? {
        let all = vertices
        return Extent(x: all.map(\.x), y: all.map(\.y))
    }

    /// True when the point is inside any polygon (points exactly on an edge count as either).
    public func contains(x: Double, y: Double) -> Bool {
        polygons.contains { polygon in
            var inside = false
            for ring in polygon where ring.count >= 3 {
                var j = ring.count - 1
                for i in 0..<ring.count {
                    let a = ring[i], b = ring[j]
                    if (a.y > y) != (b.y > y), x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                    j = i
                }
            }
            return inside
        }
    }

    /// Area in map units squared (outer rings minus holes, by the shoelace formula).
    public var area: Double {
        polygons.reduce(0) { total, polygon in
            total + polygon.enumerated().reduce(0) { sum, item in
                let ring = item.element
                var twice = 0.0
                for i in 0..<ring.count {
                    let a = ring[i], b = ring[(i + 1) % ring.count]
                    twice += a.x * b.y - b.x * a.y
                }
                return sum + (item.offset == 0 ? 1 : -1) * abs(twice) / 2
            }
        }
    }

    /// For every cell of the grid (row-major), whether its centre lies inside.
    public func cellMask(_ grid: GridSpec) throws -> [Bool] {
        let aligned = try self.aligned(to: grid)
        var mask = [Bool](repeating: false, count: grid.cellCount)
        for r in 0..<grid.rows {
            let y = grid.centreY(row: r)
            for c in 0..<grid.cols where aligned.contains(x: grid.centreX(col: c), y: y) { mask[r * grid.cols + c] = true }
        }
        return mask
    }

    public func reprojected(to target: CRS) throws -> PolygonLayer {
        guard let crs else {
            throw GeoError("the polygons have no coordinate reference system, so they cannot be reprojected to \(target)", file: source,
                           hint: "give the CRS when reading, e.g. crs: \"EPSG:4326\"")
        }
        let all = vertices
        let (newX, newY) = try Reprojection.transformed(x: all.map(\.x), y: all.map(\.y), from: crs, to: target)
        var offset = 0
        let moved = polygons.map { polygon in
            polygon.map { ring in
                defer { offset += ring.count }
                return (0..<ring.count).map { SIMD2(newX[offset + $0], newY[offset + $0]) }
            }
        }
        return try PolygonLayer(polygons: moved, names: names, crs: target, source: source)
    }

    public func aligned(to grid: GridSpec, reproject: Bool = true) throws -> PolygonLayer {
        try aligned(to: grid.crs, reproject: reproject)
    }

    /// In the given CRS (reprojected with a warning), or as they are when either has none.
    public func aligned(to target: CRS?, reproject: Bool = true, what: String = "the grid's") throws -> PolygonLayer {
        CRSMismatch.warnIfOneSided(crs, target, what: "polygons of \(source)")
        guard let target, let crs, !(crs == target) else { return self }
        guard reproject else {
            throw GeoError("the polygons are in \(crs) but \(what) CRS is \(target)", file: source)
        }
        WorkMonitor.warn("the \(count) polygons of \(source) were reprojected from \(crs) to \(what) \(target)")
        return try reprojected(to: target)
    }

    public var description: String {
        "\(count) polygons from \(source)" + (crs.map { " in \($0)" } ?? "")
    }
}

extension Raster {
    /// The raster with every cell outside `inside` set to no-data (NaN).
    public func masked(_ inside: [Bool]) throws -> Raster {
        guard inside.count == values.count else {
            throw GeoError("a mask of \(inside.count) cells cannot mask the raster '\(name)' of \(values.count) cells")
        }
        var copy = self
        for i in copy.values.indices where !inside[i] { copy.values[i] = .nan }
        return copy
    }
}
