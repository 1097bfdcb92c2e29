import Foundation
import LodeGeo
import LodeScript
import LodeTensor

/// Study areas: polygons read from files, grids and stacks masked to them, points and lines
/// clipped to them (or to an extent).
enum AreaCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "survey files")
        r.add("read_polygons", [Parameter("path", .string, doc: "shapefile, GeoPackage or GeoJSON of polygons"),
                                Parameter("crs", .optional(.string), default: .nil, doc: "the CRS when the file has none"),
                                Parameter("name", .optional(.string), default: .nil, doc: "the column naming each polygon (\"name\" when present)")],
              returns: "polygons", doc: "Reads areas such as a study-area outline (Polygon and MultiPolygon features; holes are kept as holes).",
              example: "area = read_polygons(\"study_area.geojson\")") { a in
            let crs = try a.optionalString("crs").map { try CRS($0) }
            return .object(PolygonsObject(try PolygonLayer.read(path: try a.string("path"), crs: crs, nameColumn: try a.optionalString("name"))))
        }
        r.add("mask", [Parameter("x", .any, doc: "a grid, a stack or a raster"),
                       Parameter("area", .object("polygons"), doc: "the study area")],
              returns: "grid, stack or raster",
              doc: "Keeps only the cells whose centre lies inside the study area: the others become no-data, so maps, zones, success rates and areas count only the study area. A masked grid masks every raster idw, kriging, distance_to and ring_buffer make on it.",
              example: "g = mask(grid(samples, cell: 200), area)") { a in
            let area = try a.typed("area", PolygonsObject.self, "polygons").layer
            let result: LodeValue
            let inside: [Bool]
            switch a["x"] {
            case .object(let grid as GridObject):
                inside = zip(try area.cellMask(grid.grid), grid.studyArea ?? Array(repeating: true, count: grid.grid.cellCount)).map { $0 && $1 }
                result = .object(GridObject(grid.grid, studyArea: inside))
            case .object(let raster as RasterObject):
                inside = try area.cellMask(raster.raster.grid)
                result = .object(RasterObject(try raster.raster.masked(inside)))
            case .object(let stack as StackObject):
                inside = try area.cellMask(stack.stack.grid)
                result = .object(StackObject(try stack.stack.mapped { try $0.masked(inside) }))
            default:
                throw LodeError(.type, "argument 'x' of mask() must be a grid, a stack or a raster, got \(a["x"].described)", at: a.context.location)
            }
            let kept = inside.filter { $0 }.count
            if kept == 0 {
                throw a.failure("no cell centre lies inside the study area", hint: "check that the polygons and the grid overlap (and share a CRS)")
            }
            WorkMonitor.warn("\(inside.count - kept) of \(inside.count) cells lie outside the study area and are no-data")
            return result
        }
        r.add("clip", [Parameter("x", .any, doc: "points or lines"),
                       Parameter("area", .any, doc: "polygons, or an extent record {west, south, east, north}")],
              returns: "points or lines",
              doc: "Keeps the points inside the area, or the parts of lines inside it (lines are cut where they cross its edge). Points keep their attributes and ids.",
              example: "inside = clip(samples, area)") { a in
            let area = try areaArgument(a, "area", crs: crsOf(a["x"]))
            switch a["x"] {
            case .object(let points as PointsObject):
                let clipped = try points.layer.clipped(to: area)
                if clipped.count < points.layer.count {
                    WorkMonitor.warn("\(points.layer.count - clipped.count) of \(points.layer.count) points lie outside the area and were left out")
                }
                return .object(PointsObject(clipped))
            case .object(let lines as LinesObject):
                return .object(LinesObject(try lines.layer.clipped(to: area)))
            default:
                throw LodeError(.type, "argument 'x' of clip() must be points or lines, got \(a["x"].described)", at: a.context.location)
            }
        }
    }

    static func crsOf(_ value: LodeValue) -> CRS? {
        switch value {
        case .object(let points as PointsObject): return points.layer.crs
        case .object(let lines as LinesObject): return lines.layer.crs
        default: return nil
        }
    }

    /// Polygons, or an extent record (in the CRS it names, else the data's).
    static func areaArgument(_ a: Arguments, _ name: String, crs: CRS?) throws -> PolygonLayer {
        switch a[name] {
        case .object(let polygons as PolygonsObject): return polygons.layer
        case .object(let grid as GridObject): return try PolygonLayer(extent: grid.grid.extent, crs: grid.grid.crs)
        case .record(let record):
            func field(_ key: String) throws -> Double {
                guard let value = record[key]?.numberValue else { throw a.failure("the extent record needs a number '\(key)'") }
                return value
            }
            let extentCRS = try record["crs"]?.stringValue.map { try CRS($0) } ?? crs
            return try PolygonLayer(extent: Extent(west: try field("west"), south: try field("south"), east: try field("east"), north: try field("north")),
                                    crs: extentCRS)
        default:
            throw LodeError(.type, "argument '\(name)' of \(a.command)() must be polygons, a grid or an extent record, got \(a[name].described)", at: a.context.location)
        }
    }
}
