import Foundation
import LodeGeo
import LodeScript

/// Surveys, files, grids, interpolation, transforms and structural layers.
enum GeoCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "survey and grids")
        r.add("synthetic_survey", [Parameter("preset", .string, default: "paper", doc: "\"paper\" (170 km square, 7326 samples) or \"small\" (40 km, 400 samples)"),
                                   Parameter("seed", .integer, default: 42, range: .nonNegative, doc: "the random seed; the same seed gives the same survey")],
              returns: "survey",
              doc: "Generates the built-in East-Kunlun-like study area: stream-sediment samples with 14 elements, faults, known deposits (the training positives) and hidden deposits (kept back to test the prospectivity map).",
              example: "survey = synthetic_survey(preset: \"small\", seed: 42)") { a in
            .object(SurveyObject(try SyntheticSurvey.generate(preset: try SurveyPreset.named(try a.string("preset")), seed: try a.seed())))
        }
        r.add("read_points", [Parameter("path", .string, doc: "CSV, shapefile, GeoPackage or GeoJSON"),
                              Parameter("x", .optional(.string), default: .nil, doc: "x column of a CSV (found automatically when nil)"),
                              Parameter("y", .optional(.string), default: .nil, doc: "y column of a CSV"),
                              Parameter("crs", .optional(.string), default: .nil, doc: "the CRS, e.g. \"EPSG:32646\", when the file has none"),
                              Parameter("id", .optional(.string), default: .nil, doc: "the column naming each point (e.g. \"SHORT_NAME\"): ids in windows, datasets and zone tables"),
                              Parameter("separator", .optional(.string), default: .nil, doc: "CSV separator \",\", \";\", \"\\t\" or \" \" (detected from the header when nil)"),
                              Parameter("decimal", .optional(.string), default: .nil, doc: "CSV decimal mark \".\" or \",\" (detected when nil: 12,5 with ';' or tab separators)")],
              returns: "points",
              doc: "Reads point samples or deposits from a file, keeping every attribute column. CSV files may have LF, CRLF or CR line endings, a byte-order mark, UTF-8 or Latin-1 text, comma, semicolon, tab or space separators, quoted fields and decimal commas.",
              example: "samples = read_points(\"samples.csv\", x: \"X\", y: \"Y\", crs: \"EPSG:4326\")") { a in
            let crs = try a.optionalString("crs").map { try CRS($0) }
            func character(_ name: String, _ allowed: [String]) throws -> Character? {
                guard let text = try a.optionalString(name) else { return nil }
                guard allowed.contains(text) else {
                    throw a.failure("\(name) must be one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(text)\"")
                }
                return Character(text)
            }
            return .object(PointsObject(try PointLayer.read(path: try a.string("path"), xColumn: try a.optionalString("x"),
                                                            yColumn: try a.optionalString("y"), crs: crs, idColumn: try a.optionalString("id"),
                                                            separator: try character("separator", [",", ";", "\t", "|", " "]),
                                                            decimal: try character("decimal", [".", ","]))))
        }
        r.add("read_lines", [Parameter("path", .string, doc: "shapefile, GeoPackage or GeoJSON of lines"),
                             Parameter("crs", .optional(.string), default: .nil, doc: "the CRS when the file has none")],
              returns: "lines", doc: "Reads line features such as faults from a vector file.",
              example: "faults = read_lines(\"faults.gpkg\")") { a in
            let crs = try a.optionalString("crs").map { try CRS($0) }
            return .object(LinesObject(try LineLayer.read(path: try a.string("path"), crs: crs)))
        }
        r.add("grid", [Parameter("extent", .any, doc: "a record {west, south, east, north, crs}, a survey, points or a grid"),
                       Parameter("cell", .number, default: 100, range: .positive, doc: "cell size in map units (metres)")],
              returns: "grid", doc: "A regular grid covering an extent, with square cells of the given size; every raster of a stack is on one grid.",
              example: "g = grid(survey.extent, cell: 100)") { a in
            .object(GridObject(try makeGrid(a)))
        }
        r.add("idw", [Parameter("samples", .object("points"), doc: "samples with element columns"),
                      Parameter("elements", .list, doc: "element columns to grid, e.g. [\"Au\", \"As\"]"),
                      Parameter("grid", .object("grid"), doc: "the target grid"),
                      Parameter("power", .number, default: 2, doc: "distance exponent"),
                      Parameter("neighbours", .optional(.integer), default: .nil, doc: "nearest samples used per cell (all when nil)"),
                      Parameter("radius", .optional(.number), default: .nil, doc: "search radius in metres (unlimited when nil)")] + SurveyFileCommands.cleaningParameters,
              returns: "stack",
              doc: "Inverse-distance-weighted interpolation of each element onto the grid, after cleaning the samples (below-detection values halved, missing codes dropped, duplicates averaged). Returns one layer per element.",
              example: "geo = idw(survey.samples, [\"Au\", \"As\", \"Sb\"], g, power: 2)") { a in
            let points = try a.typed("samples", PointsObject.self, "points")
            let elements = try a.strings("elements")
            let table = try points.layer.cleaned(elements: elements, rules: try SurveyFileCommands.cleaningRules(a))
            let gridObject = try a.typed("grid", GridObject.self, "a grid")
            let grid = gridObject.grid
            try a.progress(0, "idw: \(elements.count) elements onto \(grid.rows)×\(grid.cols)")
            let options = IDWOptions(power: try a.number("power"), neighbours: try a.optionalInteger("neighbours"),
                                     searchRadius: try a.optionalNumber("radius"))
            let stack = try IDW.interpolate(table, onto: grid, elements: elements, options: options).mapped(gridObject.masking)
            try a.progress(1, "idw", finished: true)
            return .object(StackObject(stack))
        }
        r.add("kriging", [Parameter("samples", .object("points"), doc: "samples with the element column"),
                          Parameter("element", .string, doc: "the element to grid"),
                          Parameter("grid", .object("grid"), doc: "the target grid"),
                          Parameter("model", .string, default: "spherical", doc: "variogram model: spherical, exponential or gaussian"),
                          Parameter("neighbours", .integer, default: 16, range: .atLeastOne, doc: "nearest samples per cell")] + SurveyFileCommands.cleaningParameters,
              returns: "raster", doc: "Ordinary kriging of one element with a variogram fitted to the samples.",
              example: "au = kriging(survey.samples, \"Au\", g)") { a in
            let points = try a.typed("samples", PointsObject.self, "points")
            let element = try a.string("element")
            let table = try points.layer.cleaned(elements: [element], rules: try SurveyFileCommands.cleaningRules(a))
            guard let model = VariogramModel(rawValue: try a.string("model")) else {
                throw a.failure("unknown variogram model '\(try a.string("model"))'", hint: "choose one of " + VariogramModel.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let gridObject = try a.typed("grid", GridObject.self, "a grid")
            let result = try OrdinaryKriging.interpolate(table, element: element, onto: gridObject.grid,
                                                         model: model, neighbours: try a.integer("neighbours"))
            return .object(RasterObject(try gridObject.masking(result.raster)))
        }
        registerTransforms(r)
        r.add("distance_to", [Parameter("lines", .object("lines"), doc: "e.g. faults"), Parameter("grid", .object("grid"), doc: "the target grid")],
              returns: "raster", doc: "Distance in metres from every cell centre to the nearest line.",
              example: "d = distance_to(survey.faults, g)") { a in
            let gridObject = try a.typed("grid", GridObject.self, "a grid")
            return .object(RasterObject(try gridObject.masking(try FaultDistance.raster(try a.typed("lines", LinesObject.self, "lines").layer,
                                                                                         grid: gridObject.grid))))
        }
        r.add("ring_buffer", [Parameter("lines", .object("lines"), doc: "e.g. faults"), Parameter("grid", .object("grid"), doc: "the target grid"),
                              Parameter("rings", .list, default: [500, 1000, 1500, 2000, 2500, 3000], doc: "ring edges in metres"),
                              Parameter("scores", .optional(.list), default: .nil, doc: "score of each ring (descending from 1 when nil)")],
              returns: "raster", doc: "Fault influence: cells are scored by the distance ring they fall in (closest ring highest), zero beyond the last ring.",
              example: "faults = ring_buffer(survey.faults, g, rings: [500, 1000, 1500, 2000, 2500, 3000])") { a in
            let scores = a.isNil("scores") ? nil : try a.numbers("scores").map { Float($0) }
            let buffer = try RingBuffer(edges: try a.numbers("rings"), scores: scores)
            let gridObject = try a.typed("grid", GridObject.self, "a grid")
            return .object(RasterObject(try gridObject.masking(try buffer.influence(of: try a.typed("lines", LinesObject.self, "lines").layer,
                                                                                     grid: gridObject.grid))))
        }
        r.add("stack", [.variadic("layers", .any, doc: "rasters and stacks, in channel order")],
              returns: "stack", doc: "Puts rasters and stacks on one grid together, in order; their order is the channel order of the windows.",
              example: "s = stack(geo, faults)") { a in
            var layers: [Raster] = []
            for value in a.rest {
                switch value {
                case .object(let raster as RasterObject): layers.append(raster.raster)
                case .object(let stack as StackObject): layers += stack.stack.layers
                case .list(let items):
                    for item in items {
                        guard case .object(let raster as RasterObject) = item else { throw a.failure("a list given to stack() must hold rasters, found \(item.described)") }
                        layers.append(raster.raster)
                    }
                default: throw a.failure("expects rasters or stacks, got \(value.described)")
                }
            }
            return .object(StackObject(try RasterStack(layers)))
        }
        r.add("rename", [Parameter("raster", .object("raster"), doc: "a raster"), Parameter("name", .string, doc: "its new layer name")],
              returns: "raster", doc: "The raster under another layer name (the name it has in a stack and in windows).",
              example: "faults = rename(ring_buffer(survey.faults, g), \"faults\")") { a in
            .object(RasterObject(try a.typed("raster", RasterObject.self, "a raster").raster.renamed(try a.string("name"))))
        }
    }

    /// log10 / zscore / minmax / winsorize work on a raster, on every layer of a stack, and
    /// (log10 only) on a plain number as the math builtin does.
    static func registerTransforms(_ r: Registrar) {
        let transforms: [(String, String, String, (Raster) throws -> Raster)] = [
            ("log10", "The base-10 logarithm of a number, or of every cell of a raster or stack (concentrations are analysed on this scale; non-positive cells become missing).",
             "geo = log10(geo)", { try $0.log10Transformed() }),
            ("zscore", "Standardises a raster (or each layer of a stack) to mean 0 and standard deviation 1 over its valid cells.",
             "geo = geo |> log10 |> zscore", { try $0.standardized() }),
            ("minmax", "Rescales a raster (or each layer of a stack) to 0…1.", "m = minmax(stack)", { try $0.minMaxScaled() }),
        ]
        for (name, doc, example, transform) in transforms {
            r.add(name, [Parameter("x", .any, doc: "a raster, a stack" + (name == "log10" ? " or a number" : ""))],
                  returns: "raster or stack", doc: doc, example: example) { a in
                try applied(a, name: name, transform)
            }
        }
        r.add("winsorize", [Parameter("x", .any, doc: "a raster or a stack"),
                            Parameter("lower", .number, default: 0.01, doc: "lower quantile"),
                            Parameter("upper", .number, default: 0.99, doc: "upper quantile")],
              returns: "raster or stack", doc: "Clips a raster (or each layer of a stack) to its lower and upper quantiles, taming outliers before scaling.",
              example: "geo = winsorize(geo, lower: 0.01, upper: 0.99)") { a in
            let (lower, upper) = (try a.number("lower"), try a.number("upper"))
            return try applied(a, name: "winsorize") { try $0.winsorized(lower: lower, upper: upper) }
        }
    }

    static func applied(_ a: Arguments, name: String, _ transform: (Raster) throws -> Raster) throws -> LodeValue {
        switch a["x"] {
        case .number(let x) where name == "log10": return .number(Foundation.log10(x))
        case .object(let raster as RasterObject): return .object(RasterObject(try transform(raster.raster)))
        case .object(let stack as StackObject): return .object(StackObject(try stack.stack.mapped(transform)))
        default:
            throw LodeError(.type, "argument 'x' of \(name)() must be a raster or a stack\(name == "log10" ? " or a number" : ""), got \(a["x"].described)",
                            at: a.context.location)
        }
    }

    static func makeGrid(_ a: Arguments) throws -> GridSpec {
        let grid = try gridOfExtent(a)
        GridUnitCheck.warnIfDegenerate(grid)
        return grid
    }

    static func gridOfExtent(_ a: Arguments) throws -> GridSpec {
        let cell = try a.number("cell")
        switch a["extent"] {
        case .object(let survey as SurveyObject): return try GridSpec(extent: survey.survey.grid.extent, cellSize: cell, crs: survey.survey.grid.crs)
        case .object(let grid as GridObject): return try GridSpec(extent: grid.grid.extent, cellSize: cell, crs: grid.grid.crs)
        case .object(let points as PointsObject):
            guard let extent = points.layer.extent else { throw a.failure("the points are empty") }
            try GridUnitCheck.check(extent: extent, cellSize: cell, crs: points.layer.crs)
            return try GridSpec(extent: extent, cellSize: cell, crs: points.layer.crs)
        case .record(let record):
            func field(_ name: String) throws -> Double {
                guard let value = record[name]?.numberValue else { throw a.failure("the extent record needs a number '\(name)'") }
                return value
            }
            let crs = try record["crs"]?.stringValue.map { try CRS($0) }
            let extent = Extent(west: try field("west"), south: try field("south"), east: try field("east"), north: try field("north"))
            try GridUnitCheck.check(extent: extent, cellSize: cell, crs: crs)
            return try GridSpec(extent: extent, cellSize: cell, crs: crs)
        default:
            throw LodeError(.type, "argument 'extent' of grid() must be a record {west, south, east, north}, a survey, points or a grid, got \(a["extent"].described)",
                            at: a.context.location)
        }
    }
}
