import Foundation
import LodeGeo
import LodeScript
import LodeTensor

/// A geologist's own survey files: censored-value rules, units, attributes, reprojection,
/// polygons. Kept beside GeoCommands so the built-in survey's commands stay short.
enum SurveyFileCommands {
    /// The arguments every cleaning command takes (summary, idw, kriging, correlation, pca).
    static let cleaningParameters: [Parameter] = [
        Parameter("censored", .string, default: "half",
                  doc: "what a below-detection value (\"<0.5\", -0.5, or \"<\" in a qualifier column such as Au_T) becomes: \"half\" the limit, the \"limit\", \"zero\" or \"missing\""),
        Parameter("negative", .string, default: "censored",
                  doc: "negative numbers other than the missing codes: \"censored\" (-0.5 means <0.5) or \"missing\""),
        Parameter("missing", .list, default: [-9999, -99999, -999], doc: "numbers that mean \"not analysed\""),
    ]

    static func cleaningRules(_ a: Arguments, averageDuplicates: Bool = true) throws -> CleaningRules {
        let rule = try CensoredRule(named: try a.string("censored"))
        guard let negative = NegativeValueRule(rawValue: try a.string("negative")) else {
            throw a.failure("unknown rule for negative values '\(try a.string("negative"))'", hint: "choose \"censored\" or \"missing\"")
        }
        return CleaningRules(censored: rule, missingCodes: try a.numbers("missing"), negativeValues: negative,
                             averageDuplicates: averageDuplicates)
    }

    /// The elements a command works on: the list given, else the built-in survey's elements
    /// present in the points, else every element-plus-unit column (Au_ppm, ...).
    static func elementNames(_ a: Arguments, _ layer: PointLayer, name: String = "elements") throws -> [String] {
        if !a.isNil(name) { return try a.strings(name) }
        let survey = SyntheticSurvey.elements.filter { layer.column(named: $0) != nil }
        if !survey.isEmpty { return survey }
        let named = layer.elementColumns.map(\.name)
        guard !named.isEmpty else {
            throw a.failure("no element columns given or found", hint: "pass elements: [\"Au\", ...] (columns are \(layer.columnNames.prefix(20).joined(separator: ", ")))")
        }
        return named
    }

    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "survey files")
        r.add("element_columns", [Parameter("points", .object("points"), doc: "points read from a file")],
              returns: "table", doc: "The columns named element plus unit (Au_ppm, Au_ppb, Fe2O3_pct, Cu (ppm)) with their element and unit: what summary and idw use when no elements are given.",
              example: "element_columns(samples)") { a in
            let layer = try a.typed("points", PointsObject.self, "points").layer
            return .object(TableObject(title: "Element columns of \(layer.source)", columns: ["column", "element", "unit"],
                                       rows: layer.elementColumns.map { [$0.name, $0.element, $0.unit.rawValue] }))
        }
        r.add("convert_units", [Parameter("points", .object("points"), doc: "points with element-plus-unit columns"),
                                Parameter("unit", .string, doc: "\"ppb\", \"ppm\" or \"pct\""),
                                Parameter("columns", .optional(.list), default: .nil, doc: "the columns or elements to convert (every element-plus-unit column when nil)"),
                                Parameter("missing", .list, default: [-9999, -99999, -999], doc: "codes kept as they are")],
              returns: "points", doc: "The points with element columns converted to another unit and renamed (Au_ppm 0.0021 → Au_ppb 2.1). Below-detection marks and negative codes are converted too; missing codes stay.",
              example: "samples = convert_units(samples, \"ppb\", columns: [\"Au\"])") { a in
            let layer = try a.typed("points", PointsObject.self, "points").layer
            var rules = CleaningRules()
            rules.missingCodes = try a.numbers("missing")
            let names = a.isNil("columns") ? nil : try a.strings("columns")
            return .object(PointsObject(try layer.convertingUnits(to: try ConcentrationUnit(named: try a.string("unit")), columns: names, rules: rules)))
        }
        registerCRS(r)
    }

    static func registerCRS(_ r: Registrar) {
        r.add("utm_zone", [Parameter("data", .any, doc: "points, lines or polygons with a CRS (e.g. read with crs: \"EPSG:4326\")")],
              returns: "string", doc: "The WGS 84 / UTM coordinate system that fits the data, from the centre of their extent, as \"EPSG:326zz\" (north) or \"EPSG:327zz\" (south): the metric CRS to reproject lon/lat data to before gridding. A warning says when the data span two zones.",
              example: "crs = utm_zone(samples)   # \"EPSG:32750\" for Western Australia at 119°E") { a in
            let (x, y, crs, source) = try coordinates(a, "data")
            return .string("EPSG:\(try UTMChoice.code(x: x, y: y, crs: crs, source: source))")
        }
        r.add("reproject", [Parameter("data", .any, doc: "points, lines or polygons with a CRS"),
                            Parameter("crs", .any, doc: "the target CRS: \"EPSG:32750\", WKT, a PROJ string, \"utm\" for the data's UTM zone, the text of another value's .crs, or that value itself (points, lines, polygons, a grid, raster or stack)")],
              returns: "points, lines or polygons",
              doc: "The same features in another coordinate system (GDAL/PROJ), attributes and ids kept. Use it to bring lon/lat surveys into metres before grid(), idw() and every distance in metres; a warning says what was done.",
              example: "samples = reproject(read_points(\"samples.csv\", crs: \"EPSG:4326\"), \"utm\")") { a in
            let target: CRS
            if case .string(let text) = a["crs"], text.lowercased() == "utm" {
                let (x, y, crs, source) = try coordinates(a, "data")
                target = try CRS(epsg: try UTMChoice.code(x: x, y: y, crs: crs, source: source))
            } else {
                target = try crsArgument(a, "crs")
            }
            let (_, _, from, source) = try coordinates(a, "data")
            let result: LodeValue
            switch a["data"] {
            case .object(let points as PointsObject): result = .object(PointsObject(try points.layer.reprojected(to: target)))
            case .object(let lines as LinesObject): result = .object(LinesObject(try lines.layer.reprojected(to: target)))
            case .object(let polygons as PolygonsObject): result = .object(PolygonsObject(try polygons.layer.reprojected(to: target)))
            default: throw LodeError(.type, "argument 'data' of reproject() must be points, lines or polygons, got \(a["data"].described)", at: a.context.location)
            }
            if let from, !(from == target) { WorkMonitor.warn("\(source) reprojected from \(from) to \(target)") }
            return result
        }
    }

    /// A CRS given as text ("EPSG:32750", WKT, PROJ, or a `.crs` text such as "WGS 84 / UTM zone
    /// 50S (EPSG:32750)") or as the value whose CRS it is.
    static func crsArgument(_ a: Arguments, _ name: String) throws -> CRS {
        let found: CRS?
        switch a[name] {
        case .string(let text):
            if let open = text.range(of: "(EPSG:", options: .backwards), text.hasSuffix(")"),
               let code = Int(text[open.upperBound..<text.index(before: text.endIndex)]) {
                return try CRS(epsg: code)
            }
            return try CRS(text)
        case .object(let points as PointsObject): found = points.layer.crs
        case .object(let lines as LinesObject): found = lines.layer.crs
        case .object(let polygons as PolygonsObject): found = polygons.layer.crs
        case .object(let grid as GridObject): found = grid.grid.crs
        case .object(let raster as RasterObject): found = raster.raster.grid.crs
        case .object(let stack as StackObject): found = stack.stack.grid.crs
        default:
            throw LodeError(.type, "argument '\(name)' of \(a.command)() must be a CRS text or a value with a CRS, got \(a[name].described)", at: a.context.location)
        }
        guard let found else { throw a.failure("the \(a[name].typeName) given as '\(name)' has no CRS") }
        return found
    }

    /// Every vertex of points, lines or polygons, with their CRS and source, for the CRS commands.
    static func coordinates(_ a: Arguments, _ name: String) throws -> (x: [Double], y: [Double], crs: CRS?, source: String) {
        switch a[name] {
        case .object(let points as PointsObject): return (points.layer.x, points.layer.y, points.layer.crs, points.layer.source)
        case .object(let lines as LinesObject):
            let vertices = lines.layer.lines.flatMap { $0 }
            return (vertices.map(\.x), vertices.map(\.y), lines.layer.crs, lines.layer.source)
        case .object(let polygons as PolygonsObject):
            let vertices = polygons.layer.vertices
            return (vertices.map(\.x), vertices.map(\.y), polygons.layer.crs, polygons.layer.source)
        default:
            throw LodeError(.type, "argument '\(name)' of \(a.command)() must be points, lines or polygons, got \(a[name].described)", at: a.context.location)
        }
    }
}
