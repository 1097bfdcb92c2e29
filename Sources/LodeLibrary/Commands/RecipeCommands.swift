import LodeEval
import LodeGeo
import LodeNN
import LodeScript
import LodeTensor

/// The pieces of a training recipe that stdlib/recipes.lode puts together: background
/// negatives, positives from the cells around each deposit, temperature calibration and the
/// ensemble map. See docs/recipes.md for what each one changes, measured.
enum RecipeCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "training recipes")
        let margin = Parameter("margin", .integer, default: 17, range: .nonNegative,
                               doc: "cells kept from the grid edge (half a window + 1 keeps every window inside the grid)")
        r.add("background_negatives", [Parameter("stack", .object("stack"), doc: "the layers; cells where any layer is missing are not used"),
                                       Parameter("deposits", .object("points"), doc: "the known (training) deposits"),
                                       Parameter("count", .integer, default: 500, range: .atLeastOne, doc: "how many negatives"),
                                       Parameter("buffer", .number, default: 1000, range: .nonNegative, doc: "no negative closer than this to a deposit, metres"),
                                       margin,
                                       Parameter("strata", .optional(.number), default: .nil, range: .positive,
                                                 doc: "side of square strata in metres: each gets draws in proportion to its area, so they cover the map evenly (nil: one random draw)"),
                                       Parameter("seed", .integer, default: 0, range: .nonNegative, doc: "random seed")],
              returns: "points",
              doc: "Negatives drawn across the whole valid area of the map outside a buffer around the known deposits: hundreds of background cells, so the model learns what sets deposits apart from the area at large. (The paper's K-means negatives, kept far from faults, put the fault into the labels: `kmeans_negatives`.) Ids are B1, B2, …; the same seed gives the same cells.",
              example: "neg = background_negatives(stack, survey.deposits, count: 500, buffer: 1000, seed: 1)") { a in
            let stack = try a.typed("stack", StackObject.self, "a stack").stack
            let selection = BackgroundNegatives(count: try a.integer("count"), buffer: try a.number("buffer"), edgeMargin: try a.integer("margin"),
                                                strataSize: try a.optionalNumber("strata"), seed: try a.seed())
            return .object(PointsObject(try selection.select(from: stack, deposits: try a.typed("deposits", PointsObject.self, "points").layer)))
        }
        r.add("positive_cells", [Parameter("stack", .object("stack"), doc: "the layers; cells where any layer is missing are not used"),
                                 Parameter("deposits", .object("points"), doc: "the known (training) deposits"),
                                 Parameter("radius", .number, default: 300, range: .nonNegative, doc: "cells whose centre is within this distance of the deposit's cell, metres (0: the deposit's cell only)"),
                                 Parameter("per_deposit", .integer, default: 25, range: .atLeastOne, doc: "at most this many cells per deposit: its own cell, then a seeded random choice of the others"),
                                 margin,
                                 Parameter("seed", .integer, default: 0, range: .nonNegative, doc: "random seed")],
              returns: "points",
              doc: "Positive sites at every cell within a radius of each deposit, so the windows cut from them are centred on different cells (jittered windows, each a real cut of the stack, not copies of one). Every point keeps its deposit's id, so grouped splits and spatial folds hold a deposit's cells out together; a cell near two deposits belongs to the nearer one.",
              example: "pos = positive_cells(stack, survey.deposits, radius: 300, per_deposit: 25, seed: 1)") { a in
            let stack = try a.typed("stack", StackObject.self, "a stack").stack
            let sampling = PositiveSampling(radius: try a.number("radius"), perDeposit: try a.integer("per_deposit"),
                                            edgeMargin: try a.integer("margin"), seed: try a.seed())
            return .object(PointsObject(try sampling.select(from: stack, deposits: try a.typed("deposits", PointsObject.self, "points").layer)))
        }
        r.add("fit_temperature", [Parameter("model", .object("model"), doc: "a trained model"),
                                  Parameter("data", .object("dataset"), doc: "held-out labelled windows (a split dataset uses its validation part)")],
              returns: "record",
              doc: "Fits the temperature T that divides the model's logits so its probabilities on held-out windows are most likely (least negative log-likelihood): {temperature, loss_before, loss_after, count, at_bound}. T > 1 softens a saturated model; the order of the windows (and of a map's cells) does not change.",
              example: "fit = fit_temperature(model, data.val)") { a in
            .record(record(try fitted(a)))
        }
        r.add("calibrate", [Parameter("model", .object("model"), doc: "a trained model"),
                            Parameter("data", .optional(.object("dataset")), default: .nil, doc: "held-out labelled windows to fit the temperature on (a split dataset uses its validation part)"),
                            Parameter("temperature", .optional(.number), default: .nil, range: .positive, doc: "a temperature to use instead of fitting one")],
              returns: "model",
              doc: "The model with its logits divided by a temperature (fitted on held-out windows, or given), so predict, predict_map and shap give calibrated probabilities rather than 0 or 1 and grades and thresholds mean something. The temperature is saved with the weights (key \"temperature\").",
              example: "calibrated = calibrate(model, data.val)\nprob = predict_map(calibrated, stack)") { a in
            let model = try a.typed("model", ModelObject.self, "a model").module
            let temperature: Double
            switch (a.isNil("data"), try a.optionalNumber("temperature")) {
            case (false, nil): temperature = try fitted(a).temperature
            case (true, let given?): temperature = given
            case (false, _?): throw a.failure("give either data (to fit a temperature) or temperature, not both")
            case (true, nil): throw a.failure("no held-out windows and no temperature", hint: "calibrate(model, data.val) or calibrate(model, temperature: 2)")
            }
            return .object(ModelObject(try TemperatureScaledModel(model, temperature: temperature)))
        }
        r.add("mean_map", [Parameter("maps", .list, doc: "probability rasters on one grid (e.g. one per fold model)")],
              returns: "raster",
              doc: "The cell-by-cell mean of several maps: the ensemble map of models trained on different folds. A cell missing in any map is missing in the mean.",
              example: "prob = mean_map([p1, p2, p3])") { a in
            let maps = try DataCommands.rasters(a, "maps")
            guard let first = maps.first else { throw a.failure("no maps to average") }
            var total = [Double](repeating: 0, count: first.values.count)
            for (k, m) in maps.enumerated() {
                guard m.grid == first.grid else { throw a.failure("map \(k + 1) (\(m.grid)) is not on the grid of map 1 (\(first.grid))") }
                for i in total.indices { total[i] += Double(m.values[i]) }
            }
            let n = Double(maps.count)
            return .object(RasterObject(try Raster(grid: first.grid, name: first.name, values: total.map { Float($0 / n) })))
        }
    }

    /// The temperature fit of the `model` and `data` arguments.
    static func fitted(_ a: Arguments) throws -> TemperatureFit {
        let model = try a.typed("model", ModelObject.self, "a model").module
        let object = try a.typed("data", DatasetObject.self, "a dataset")
        let data = object.split.map { object.data.subset($0.validation) } ?? object.data
        guard data.count > 0 else { throw a.failure("the held-out dataset has no windows") }
        guard !data.labels.contains(-1) else { throw a.failure("the windows are unlabelled; a temperature is fitted on labelled held-out windows") }
        try checkContract(model, data)
        let logits = try predictLogits(model, windows: try Tensor(shape: data.shape, scalars: data.windows))
        let fit = try TemperatureScaling.fit(logits: logits.scalars, classes: logits.shape[1], labels: data.labels)
        if fit.atBound {
            WorkMonitor.warn("the best temperature lies at the search bound (\(fit)): the held-out windows are separated perfectly or not at all, so the fit is a limit, not an estimate; hold out more or harder windows")
        }
        return fit
    }

    static func record(_ fit: TemperatureFit) -> LodeRecord {
        LodeRecord([("temperature", .number(fit.temperature)), ("loss_before", .number(fit.lossBefore)),
                    ("loss_after", .number(fit.lossAfter)), ("count", .number(Double(fit.count))), ("at_bound", .bool(fit.atBound))])
    }
}
