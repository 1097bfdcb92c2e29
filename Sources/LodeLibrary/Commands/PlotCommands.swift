import Foundation
import LodeEval
import LodeGeo
import LodePlot
import LodeNN
import LodeScript

/// Figures: curves, maps, histograms and SHAP charts. Each returns a figure value; the last
/// value of a cell is shown, `show(fig)` shows one now, `save(fig, "x.png")` writes it.
enum PlotCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "figures")
        func figure(_ f: Figure) -> LodeValue { .object(FigureObject(f)) }
        for name in ["plot_roc", "roc"] {
            r.add(name, [Parameter("models", .any, doc: "a model, a list of models or a record {name: model}"),
                         Parameter("data", .object("dataset"), doc: "labelled windows (usually data.val)")],
                  returns: "figure", doc: "ROC curves of the models on the windows, with each AUC in the legend.",
                  example: "\(name)({SSGSNet: m1, ResNet: m2}, data.val)") { a in
                let data = try a.typed("data", DatasetObject.self, "a dataset").data
                let curves = try TrainCommands.namedModels(a, "models").map { name, model -> NamedCurve in
                    NamedCurve(name: name, roc: try rocCurve(labels: data.labels, scores: try TrainCommands.probabilities(model, data)))
                }
                return figure(try Figure.rocCurves(curves))
            }
        }
        r.add("plot_history", [Parameter("history", .any, doc: "a history, a trained model, or a record {name: history or model} to compare"),
                               Parameter("title", .optional(.string), default: .nil, doc: "the title")],
              returns: "figure", doc: "Loss, accuracy and validation AUC per epoch; given a record, every run in one figure with a colour each.",
              example: "plot_history(trained.histories)") { a in
            func history(_ value: LodeValue) throws -> TrainingHistory {
                switch value {
                case .object(let h as HistoryObject): return h.history
                case .object(let m as ModelObject):
                    guard let h = m.history else { throw a.failure("the model has not been trained yet") }
                    return h
                default: throw a.failure("expects a history or a trained model, got \(value.described)")
                }
            }
            let title = try a.optionalString("title")
            if case .record(let record) = a["history"] {
                guard !record.fields.isEmpty else { throw a.failure("the record holds no histories") }
                let runs = try record.fields.map { (name: $0.key, history: try history($0.value)) }
                return figure(try Figure.trainingHistories(runs, title: title ?? "Training histories"))
            }
            return figure(try Figure.trainingHistory(try history(a["history"]), title: title ?? "Training history"))
        }
        r.add("plot_map", [Parameter("raster", .object("raster"), doc: "a layer or a prospectivity map"),
                           Parameter("title", .optional(.string), default: .nil, doc: "the title (the layer name when nil)"),
                           Parameter("faults", .optional(.object("lines")), default: .nil, doc: "faults drawn on top"),
                           Parameter("deposits", .optional(.object("points")), default: .nil, doc: "known deposits drawn on top"),
                           Parameter("hidden", .optional(.object("points")), default: .nil, doc: "hidden deposits drawn on top"),
                           Parameter("zones", .optional(.object("zones")), default: .nil, doc: "zone outlines drawn on top"),
                           Parameter("points", .optional(.object("points")), default: .nil, doc: "other points drawn on top (sample sites, chosen negatives)"),
                           Parameter("points_label", .string, default: "Points", doc: "the legend entry of points"),
                           Parameter("labels", .bool, default: false, doc: "write each deposit's and point's id beside it")],
              returns: "figure", doc: "A map of the raster with a colour bar, optionally with faults, deposits, other points (labelled by id) and target zones.",
              example: "plot_map(prob, faults: survey.faults, hidden: survey.hidden, labels: true)") { a in
            let raster = try a.typed("raster", RasterObject.self, "a raster").raster
            func points(_ name: String) throws -> PointLayer? { a.isNil(name) ? nil : try a.typed(name, PointsObject.self, "points").layer }
            let overlays = MapOverlays(faultLines: a.isNil("faults") ? nil : try a.typed("faults", LinesObject.self, "lines").layer,
                                       knownPoints: try points("deposits"), hiddenPoints: try points("hidden"),
                                       zoneSet: a.isNil("zones") ? nil : try a.typed("zones", ZonesObject.self, "zones").zones,
                                       otherPoints: try points("points"), otherPointsLabel: try a.string("points_label"),
                                       labelled: try a.bool("labels"))
            let isProbability = raster.name == "probability"
            return figure(try Figure.map(values: raster.values, rows: raster.grid.rows, columns: raster.grid.cols, geoTransform: raster.grid.geoTransform,
                                         title: try a.optionalString("title") ?? raster.name,
                                         colorBarLabel: isProbability ? "Probability of mineralisation" : raster.name,
                                         range: isProbability ? 0...1 : nil, overlays: overlays))
        }
        r.add("histogram", [Parameter("values", .any, doc: "a raster or a list of numbers"), Parameter("bins", .integer, default: 40, range: .within(1, 100_000), doc: "number of bins"),
                            Parameter("thresholds", .optional(.record), default: .nil, doc: "vertical lines, e.g. {A: 0.95, B: 0.9}"),
                            Parameter("title", .string, default: "Histogram", doc: "the title")],
              returns: "figure", doc: "A histogram of the values (missing cells left out), with optional threshold lines.",
              example: "histogram(prob, thresholds: {A: 0.95, B: 0.90, C: 0.85})") { a in
            var values: [Float]
            var label = "value"
            switch a["values"] {
            case .object(let raster as RasterObject): values = raster.raster.validValues; label = raster.raster.name
            case .list(let items): values = try items.map { guard let n = $0.numberValue else { throw a.failure("values must be numbers") }; return Float(n) }
            default: throw a.failure("values must be a raster or a list of numbers")
            }
            values = values.filter { !$0.isNaN }
            let thresholds = try a.isNil("thresholds") ? [] : a.record("thresholds").fields.compactMap { f in f.value.numberValue.map { (label: f.key, value: $0) } }
            return figure(try Figure.histogram(values, bins: try a.integer("bins"), thresholds: thresholds, title: try a.string("title"), xLabel: label))
        }
        func explanation(_ a: Arguments) throws -> Explanation { try a.typed("explanation", ExplanationObject.self, "an explanation").explanation }
        r.add("beeswarm", [Parameter("explanation", .object("explanation"), doc: "from shap()")], returns: "figure",
              doc: "The SHAP beeswarm: one dot per window and layer, placed by its SHAP value and coloured by the layer's value; layers ordered by importance.",
              example: "shap(model, data.val) |> beeswarm") { a in
            let e = try explanation(a)
            return figure(try Figure.shapBeeswarm(e))
        }
        r.add("bar", [Parameter("explanation", .object("explanation"), doc: "from shap()")], returns: "figure",
              doc: "Mean |SHAP| per layer, largest first: the global importance of each layer.", example: "bar(ex)") { a in
            let e = try explanation(a)
            return figure(try Figure.shapBar(e))
        }
        r.add("waterfall", [Parameter("explanation", .object("explanation"), doc: "from shap()"), Parameter("index", .integer, default: 0, range: .nonNegative, doc: "which window")],
              returns: "figure", doc: "How each layer moves one window's prediction from the base value to the model's output.", example: "waterfall(ex, index: 0)") { a in
            let e = try explanation(a)
            return figure(try Figure.shapWaterfall(e, window: try a.integer("index")))
        }
        r.add("plot_success_rate", [Parameter("maps", .any, doc: "a prospectivity map, or a record {name: map}"),
                                    Parameter("deposits", .object("points"), doc: "deposits to capture (e.g. survey.hidden)")],
              returns: "figure", doc: "Success-rate curves: the share of deposits inside the most prospective share of the area, one curve per map, with the area under each.",
              example: "plot_success_rate({SSGSNet: prob}, survey.hidden)") { a in
            let deposits = try a.typed("deposits", PointsObject.self, "points").layer
            var maps: [(String, Raster)] = []
            switch a["maps"] {
            case .object(let r as RasterObject): maps = [(r.raster.name, r.raster)]
            case .record(let record):
                maps = try record.fields.map { field in
                    guard case .object(let r as RasterObject) = field.value else { throw a.failure("maps must hold rasters, found \(field.value.described)") }
                    return (field.key, r.raster)
                }
            default: throw a.failure("maps must be a raster or a record of rasters")
            }
            return figure(try Figure.successRate(try maps.map { name, raster in
                NamedCurve(name: name, successRate: try successRateCurve(probabilities: raster.values,
                                                                          depositCells: raster.grid.cellIndices(of: deposits)))
            }))
        }
        r.add("attributions", [Parameter("explanation", .object("explanation"), doc: "from shap(method: \"expected_gradients\")"),
                               Parameter("index", .integer, default: 0, range: .nonNegative, doc: "which window")],
              returns: "figure", doc: "Pixel attribution images of one window, one panel per layer on a shared colour scale (expected gradients only).",
              example: "attributions(shap(model, data.val, method: \"expected_gradients\", count: 2), index: 0)") { a in
            let e = try explanation(a)
            guard let pixels = e.pixelValues else {
                throw a.failure("the explanation has no pixel attributions", hint: "use shap(..., method: \"expected_gradients\")")
            }
            let i = try a.integer("index")
            guard pixels.indices.contains(i) else { throw a.failure("index \(i) is out of range for \(pixels.count) windows") }
            let layers = e.featureNames.count
            let plane = pixels[i].count / max(layers, 1)
            let side = Int(Double(plane).squareRoot())
            guard side * side == plane else { throw a.failure("attributions need square windows") }
            let images = (0..<layers).map { Array(pixels[i][($0 * plane)..<(($0 + 1) * plane)]) }
            return figure(try Figure.layerAttributions(images, rows: side, columns: side, names: e.featureNames))
        }
        r.add("heatmap", [Parameter("table", .object("table"), doc: "a square table such as correlation(samples)")], returns: "figure",
              doc: "A correlation heatmap of a square table whose first column names the rows.", example: "heatmap(correlation(survey.samples))") { a in
            let table = try a.typed("table", TableObject.self, "a table")
            let names = Array(table.columns.dropFirst())
            let matrix = try table.rows.map { row in try row.dropFirst().map { guard let v = Double($0) else { throw a.failure("the table must hold numbers") }; return v } }
            guard matrix.count == names.count else { throw a.failure("the table is not square (\(matrix.count) rows, \(names.count) value columns)") }
            return figure(try Figure.correlationHeatmap(matrix, names: names, title: table.title))
        }
        let sideRange = ValueRange.within(Figure.sideLimits.lowerBound, Figure.sideLimits.upperBound)
        func sized(_ a: Arguments, _ value: LodeValue) throws -> LodeValue {
            let width = try a.optionalNumber("width"), height = try a.optionalNumber("height")
            guard width != nil || height != nil else { return value }
            guard case .object(let object as FigureObject) = value else {
                throw a.failure("width and height size a figure, got \(value.described)")
            }
            do { return figure(try object.figure.resized(width: width, height: height)) } catch let error as PlotError {
                throw a.failure(error.message)
            }
        }
        let sizeParameters = [Parameter("width", .optional(.number), default: .nil, range: sideRange, doc: "the width in points (1/72 inch; the figure's own when nil)"),
                              Parameter("height", .optional(.number), default: .nil, range: sideRange, doc: "the height in points (the figure's own when nil)")]
        r.add("resize", [Parameter("figure", .object("figure"), doc: "a figure")] + sizeParameters, returns: "figure",
              doc: "The figure drawn at another size: panels reflow, text keeps its size. Notebooks scale figures down to the output width.",
              example: "resize(plot_history(model), width: 900)") { a in
            try sized(a, a["figure"])
        }
        r.add("show", [Parameter("value", doc: "a figure or any value")] + sizeParameters, returns: "nil",
              doc: "Displays a value now (a figure as an image in a notebook; the REPL saves figures to files), optionally at another size.",
              example: "show(plot_roc(model, data.val), width: 400)") { a in
            let value = try sized(a, a["value"])
            if case .object(let object) = value, let rich = object as? RichDisplayable {
                var bundle = rich.displayBundle()
                if bundle.data["text/plain"] == nil { bundle.data["text/plain"] = value.summary }
                a.context.output.display(bundle, displayID: nil, update: false)
            } else {
                a.context.output.display(DisplayBundle(plainText: value.summary), displayID: nil, update: false)
            }
            return .nil
        }
    }
}
