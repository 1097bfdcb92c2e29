import Foundation
import LodeEval
import LodeGeo
import LodeNN
import LodeScript
import LodeTensor

/// Forwards trainer events to the session's progress display and turns a user interruption
/// into a request the trainer honours between batches.
final class TrainingProgress: TrainingObserver {
    let arguments: Arguments
    let trainer: Trainer
    let epochs: Int
    let name: String

    init(arguments: Arguments, trainer: Trainer, epochs: Int, name: String) {
        self.arguments = arguments
        self.trainer = trainer
        self.epochs = epochs
        self.name = name
    }

    func training(_ event: TrainingEvent) {
        switch event {
        case .step(let epoch, let step, let stepsPerEpoch, let loss, _, let eta):
            let fraction = (Double(epoch) + Double(step + 1) / Double(max(stepsPerEpoch, 1))) / Double(max(epochs, 1))
            arguments.context.progress(ProgressEvent(fraction: min(fraction, 1),
                                                     message: String(format: "train %@ epoch %d/%d loss %.4f", name, epoch + 1, epochs, loss),
                                                     eta: eta))
        case .epochFinished(let record):
            let auc = record.validationAUC.map { String(format: ", val AUC %.4f", $0) } ?? ""
            arguments.context.output.stream(.stdout, text: String(format: "epoch %d/%d  loss %.4f  acc %.3f%@\n", record.epoch, epochs,
                                                                  record.trainLoss, record.trainAccuracy, auc))
        case .checkpointWritten:
            break
        }
        if arguments.context.isInterruptRequested { trainer.requestInterrupt() }
    }
}

/// Training, prediction and evaluation.
enum TrainCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "training and evaluation")
        TrainingCommands.register(r)
        r.add("predict", [Parameter("model", .object("model"), doc: "a trained model"), Parameter("data", .object("dataset"), doc: "windows")],
              returns: "list", doc: "The probability of a deposit for every window.", example: "p = predict(model, data.val)") { a in
            let model = try a.typed("model", ModelObject.self, "a model").module
            return .list(try probabilities(model, try a.typed("data", DatasetObject.self, "a dataset").data).map { .number(Double($0)) })
        }
        r.add("auc", [Parameter("model", .object("model"), doc: "a trained model"), Parameter("data", .object("dataset"), doc: "labelled windows")],
              returns: "number", doc: "Area under the ROC curve of the model's deposit probabilities on the windows.", example: "auc(model, data.val)") { a in
            let (labels, scores) = try scored(a)
            return .number(try rocAUC(labels: labels, scores: scores))
        }
        r.add("evaluate", [Parameter("models", .any, doc: "a model, a list of models or a record {name: model}"),
                           Parameter("data", .object("dataset"), doc: "labelled windows"),
                           Parameter("split", .string, default: "", doc: "a name for the split shown in the table"),
                           Parameter("threshold", .number, default: 0.5, doc: "probability above which a window counts as a deposit")],
              returns: "table", doc: "AUC, accuracy, precision, recall and F1 of each model on the windows, as the paper's comparison table.",
              example: "evaluate({SSGSNet: m1, ResNet: m2}, data.val, split: \"random\")") { a in
            let data = try a.typed("data", DatasetObject.self, "a dataset").data
            var comparison = ModelComparison()
            for (name, model) in try namedModels(a, "models") {
                let scores = try probabilities(model, data).map(Double.init)
                comparison.rows.append(try ComparisonRow(model: name, split: try a.string("split"), labels: data.labels, scores: scores,
                                                         threshold: try a.number("threshold")))
            }
            return .object(TableObject(title: "Model comparison", columns: ModelComparison.columns, rows: comparison.cells))
        }
        r.add("success_rate", [Parameter("probability", .object("raster"), doc: "a prospectivity map"),
                               Parameter("deposits", .object("points"), doc: "deposits to capture (e.g. the hidden ones)")],
              returns: "record", doc: "The success-rate curve: the share of deposits captured as the most prospective share of the area grows; `area` is the area under it.",
              example: "sr = success_rate(prob, survey.hidden)") { a in
            let raster = try a.typed("probability", RasterObject.self, "a raster").raster
            let curve = try successRateCurve(probabilities: raster.values,
                                             depositCells: raster.grid.cellIndices(of: try a.typed("deposits", PointsObject.self, "points").layer))
            return .record(LodeRecord([("area", .number(curve.area)),
                                       ("area_share", .list(curve.areaShares.map(LodeValue.number))),
                                       ("deposit_share", .list(curve.depositShares.map(LodeValue.number))),
                                       ("at_10_percent", .number(curve.depositShare(atArea: 0.1)))]))
        }
        r.add("predict_map", [Parameter("model", .object("model"), doc: "a trained model"), Parameter("stack", .object("stack"), doc: "the layers the model was trained on"),
                              Parameter("stride", .integer, default: 4, doc: "cells between windows (blended between them; 1 is exact)"),
                              Parameter("batch", .integer, default: 256, doc: "windows per batch")],
              returns: "raster", doc: "The prospectivity map: the model's deposit probability for the window centred on every cell, by sliding window. The window size and layers are the model's own (what it was trained on).",
              example: "prob = predict_map(model, stack, stride: 4)") { a in
            let model = try a.typed("model", ModelObject.self, "a model").module
            let stack = try a.typed("stack", StackObject.self, "a stack").stack
            let contract = try model.requireContract(for: "predict_map")
            if let names = contract.layerNames, names != stack.names {
                throw a.failure("the stack's layers (\(stack.names.joined(separator: ", "))) are not the ones the model was trained on (\(names.joined(separator: ", ")))",
                                hint: "build the stack from the same layers, in the same order")
            }
            let map = try predictMap(stack: stack, windowSize: contract.window, stride: try a.integer("stride"),
                                      expectedChannels: contract.channels, batchSize: try a.integer("batch"),
                                      model: try batchModel(model),
                                      progress: { p in
                                          a.context.progress(ProgressEvent(fraction: p.fraction, message: "predict_map", eta: p.estimatedRemainingSeconds))
                                      },
                                      isCancelled: { a.context.isInterruptRequested })
            a.context.progress(ProgressEvent(fraction: 1, message: "predict_map", finished: true))
            return .object(RasterObject(map))
        }
        r.add("grade_auto", [Parameter("probability", .object("raster"), doc: "a prospectivity map"),
                             Parameter("background", .number, default: 0.5, doc: "probabilities below this are background")],
              returns: "record", doc: "A/B/C thresholds found from the histogram of the map (for maps whose probabilities do not reach the paper's 0.95/0.90/0.85).",
              example: "t = grade_auto(prob)") { a in
            let grading = try automaticGrading(probabilities: try a.typed("probability", RasterObject.self, "a raster").raster.values,
                                               background: try a.number("background"))
            return .record(LodeRecord([("a", .number(grading.thresholds.a)), ("b", .number(grading.thresholds.b)), ("c", .number(grading.thresholds.c))]))
        }
        for (name, doc) in [("grade", "Grades the prospectivity map into A, B and C classes by thresholds and splits each class into connected target zones, counting the deposits inside each."),
                            ("zones", "Target zones: connected areas of each grade (A, B, C) of the map, with their area, probabilities and the known and hidden deposits they contain.")] {
            r.add(name, [Parameter("probability", .object("raster"), doc: "a prospectivity map"),
                         Parameter("a", .number, default: 0.95, doc: "A threshold"), Parameter("b", .number, default: 0.90, doc: "B threshold"),
                         Parameter("c", .number, default: 0.85, doc: "C threshold"),
                         Parameter("deposits", .optional(.object("points")), default: .nil, doc: "known deposits"),
                         Parameter("hidden", .optional(.object("points")), default: .nil, doc: "hidden deposits")],
                  returns: "zones", doc: doc, example: "\(name)(prob, a: 0.95, b: 0.90, c: 0.85, hidden: survey.hidden)") { a in
                let raster = try a.typed("probability", RasterObject.self, "a raster").raster
                let thresholds = try GradeThresholds(a: try a.number("a"), b: try a.number("b"), c: try a.number("c"))
                let known = a.isNil("deposits") ? [] : Deposit.from(try a.typed("deposits", PointsObject.self, "points").layer)
                let hidden = a.isNil("hidden") ? [] : Deposit.from(try a.typed("hidden", PointsObject.self, "points").layer)
                return .object(ZonesObject(targetZones(probability: raster, thresholds: thresholds,
                                                       knownDeposits: known, hiddenDeposits: hidden)))
            }
        }
        r.add("shap", [Parameter("model", .object("model"), doc: "a trained model"), Parameter("data", .object("dataset"), doc: "windows to explain"),
                       Parameter("method", .string, default: "permutation", doc: "\"exact\", \"permutation\", \"kernel\" or \"expected_gradients\""),
                       Parameter("background", .integer, default: 16, range: .nonNegative, doc: "background points: a k-means summary (weighted centres) of the layer means of all the background windows, or every window's means when there are fewer"),
                       Parameter("background_data", .optional(.object("dataset")), default: .nil, doc: "windows the background is drawn from (all of `data` when nil, also when count is given; e.g. data.train)"),
                       Parameter("max_evals", .integer, default: 500, range: .atLeastOne, doc: "model evaluations per window (permutation) or samples (kernel, expected gradients)"),
                       Parameter("count", .optional(.integer), default: .nil, doc: "explain only the first count windows"),
                       Parameter("seed", .integer, default: 0, range: .nonNegative, doc: "random seed")],
              returns: "explanation", doc: "SHAP values of the 15 layers for each window: how much each layer pushed the deposit probability up or down from the background's. Exact SHAP evaluates every coalition of layers; the others estimate it.",
              example: "ex = shap(model, data.val, method: \"permutation\")") { a in
            let model = try a.typed("model", ModelObject.self, "a model").module
            var data = try a.typed("data", DatasetObject.self, "a dataset").data
            // The background stands for the data as a whole, so it is drawn before `count` keeps
            // only the first windows to explain.
            let source = a.isNil("background_data") ? data : try a.typed("background_data", DatasetObject.self, "a dataset").data
            guard source.channels == data.channels, source.size == data.size else {
                throw a.failure("background_data has windows of \(source.channels)x\(source.size)x\(source.size) but data has \(data.channels)x\(data.size)x\(data.size)")
            }
            let points = try a.integer("background")
            guard points > 0 else { throw a.failure("background is \(points); it must be positive") }
            if let count = try a.optionalInteger("count") {
                guard count > 0 else { throw a.failure("count is \(count); it must be positive") }
                data = data.subset(Array(0..<min(count, data.count)))
            }
            let background = points >= source.count
                ? try LayerBackground.sample(windows: source.windows, count: source.count, layers: source.channels, height: source.size, width: source.size)
                : try LayerBackground.kMeansSummary(windows: source.windows, count: source.count, layers: source.channels, height: source.size,
                                                    width: source.size, clusters: points, seed: try a.seed())
            var explainer = try LayerExplainer(model: try batchModel(model, for: data), layers: data.channels, height: data.size, width: data.size,
                                               background: background, featureNames: data.layerNames.count == data.channels ? data.layerNames : nil)
            explainer.progress = { done, total in
                a.context.progress(ProgressEvent(fraction: Double(done) / Double(max(total, 1)), message: "shap"))
            }
            explainer.isCancelled = { a.context.isInterruptRequested }
            let evals = try a.integer("max_evals"), seed = try a.seed()
            let explanation: Explanation
            switch try a.string("method") {
            case "exact": explanation = try explainer.exact(windows: data.windows, count: data.count)
            case "permutation": explanation = try explainer.permutation(windows: data.windows, count: data.count, maxEvaluations: evals, seed: seed)
            case "kernel": explanation = try explainer.kernel(windows: data.windows, count: data.count, samples: evals, seed: seed)
            case "expected_gradients":
                explanation = try explainer.expectedGradients(windows: data.windows, count: data.count, gradient: try batchGradient(model),
                                                              samples: evals, seed: seed)
            case let other: throw a.failure("unknown method '\(other)'", hint: "choose \"exact\", \"permutation\", \"kernel\" or \"expected_gradients\"")
            }
            a.context.progress(ProgressEvent(fraction: 1, message: "shap", finished: true))
            return .object(ExplanationObject(explanation))
        }
    }

    /// Deposit probabilities of the dataset's windows (checked against the model's contract).
    static func probabilities(_ model: Module, _ data: Dataset) throws -> [Float] {
        guard data.count > 0 else { return [] }
        return try batchModel(model, for: data)(data.windows, data.count)
    }

    static func scored(_ a: Arguments) throws -> (labels: [Int], scores: [Float]) {
        let model = try a.typed("model", ModelObject.self, "a model").module
        let data = try a.typed("data", DatasetObject.self, "a dataset").data
        return (data.labels, try probabilities(model, data))
    }

    /// A model, a list of models (named by their kind) or a record {name: model}.
    static func namedModels(_ a: Arguments, _ name: String) throws -> [(String, Module)] {
        func classifier(_ value: LodeValue) throws -> Module {
            guard case .object(let object as ModelObject) = value else { throw a.failure("'\(name)' must hold models, found \(value.described)") }
            return object.module
        }
        func label(_ m: Module) -> String { m.displayName }
        switch a[name] {
        case .object: let m = try classifier(a[name]); return [(label(m), m)]
        case .list(let items): return try items.map { let m = try classifier($0); return (label(m), m) }
        case .record(let record): return try record.fields.map { ($0.key, try classifier($0.value)) }
        default: throw LodeError(.type, "argument '\(name)' of \(a.command)() must be a model, a list of models or a record of models", at: a.context.location)
        }
    }
}
