import Foundation
import LodeEval
import LodeGeo
import LodeNN
import LodePlot
import LodeTensor

/// The paper's workflow on the built-in survey, end to end, writing everything to one folder:
/// survey -> 15-layer stack -> K-means negatives -> windows -> augmentation -> the two split
/// kinds -> the four models -> ROC/AUC -> prospectivity map -> A/B/C zones with hidden-deposit
/// capture -> success-rate curve -> permutation SHAP over the layers -> figures -> report.md.
public struct DemoWorkflow {
    public var configuration: DemoConfiguration
    public var outputFolder: String
    public var progress: DemoProgress

    public init(configuration: DemoConfiguration, outputFolder: String, progress: DemoProgress = DemoProgress()) {
        self.configuration = configuration
        self.outputFolder = outputFolder
        self.progress = progress
    }

    static let stageCount = 10

    /// One trained model on one split, with its validation scores.
    struct TrainedModel {
        var kind: ModelKind
        var split: String
        var model: WindowClassifier
        var history: TrainingHistory
        var labels: [Int]
        var scores: [Float]
        var auc: Double
        var seconds: Double
    }

    @discardableResult
    public func run() throws -> DemoReport {
        let c = configuration
        let started = Date()
        var timings: [(String, Double)] = []
        func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let t0 = Date()
            let value = try body()
            timings.append((name, Date().timeIntervalSince(t0)))
            return value
        }
        let folders = try DemoFolders(root: outputFolder)

        // 1. Survey.
        progress.stage(1, Self.stageCount, "survey: generating the built-in '\(c.preset)' survey (seed \(c.surveySeed))")
        let survey = try timed("survey") { try SyntheticSurvey.generate(preset: SurveyPreset.named(c.preset), seed: c.surveySeed) }
        progress.note("\(survey.samples.count) samples, \(survey.faults.count) faults, \(survey.knownDeposits.count) known and \(survey.hiddenDeposits.count) hidden deposits, grid \(survey.grid.rows) x \(survey.grid.cols)")

        // 2. Stack, negatives, windows, augmentation.
        progress.stage(2, Self.stageCount, "stack: IDW of 14 elements, log10, z-score, fault rings; K-means negatives; windows; augmentation")
        let prepared = try timed("data preparation") {
            try SurveyPipeline.prepare(survey, options: PreparationOptions(perClass: c.perClass, seed: c.seed)) { self.progress.note($0) }
        }
        let data = prepared.augmented
        progress.note("\(prepared.windows) -> augmented \(data)")

        // 3. Splits.
        progress.stage(3, Self.stageCount, "splits: random stratified (the paper's) and grouped by source point (leave-deposit-out)")
        let splits = [try Splits.randomStratified(data, validationFraction: c.validationFraction, seed: c.seed),
                      try Splits.grouped(data, validationFraction: c.validationFraction, seed: c.seed)]
        for s in splits { progress.note("\(s.name): \(s.train.count) training, \(s.validation.count) validation windows") }

        // 4. Training.
        progress.stage(4, Self.stageCount, "training \(c.modelKinds.count) models x \(splits.count) splits (\(c.epochs) epochs each)")
        setGEMMThreads(ProcessInfo.processInfo.activeProcessorCount)
        var trained: [TrainedModel] = []
        try timed("training") {
            for split in splits {
                let train = try WindowDataset(data, indices: split.train)
                let validation = try WindowDataset(data, indices: split.validation)
                for kind in c.modelKinds {
                    trained.append(try trainOne(kind, split: split, train: train, validation: validation, folders: folders))
                }
            }
        }

        // 5. ROC.
        progress.stage(5, Self.stageCount, "ROC curves and AUC on both splits")
        var comparison = ModelComparison()
        for t in trained {
            comparison.add(try ComparisonRow(model: t.kind.displayName, split: t.split, labels: t.labels, scores: t.scores.map(Double.init)))
        }
        for split in splits {
            let curves = try trained.filter { $0.split == split.name }.map {
                NamedCurve(name: $0.kind.displayName, roc: try rocCurve(labels: $0.labels, scores: $0.scores))
            }
            try Figure.rocCurves(curves, title: "ROC, \(split.name) split").writePNG(to: folders.figure("roc_\(slug(split.name)).png"))
        }
        guard let mapped = trained.first(where: { $0.kind == .ssgsnet }) ?? trained.first else {
            throw GeoError("the demo trained no model")
        }
        try Figure.trainingHistory(mapped.history, title: "\(mapped.kind.displayName) training (\(mapped.split) split)")
            .writePNG(to: folders.figure("training_history.png"))

        // 6. Prospectivity map.
        progress.stage(6, Self.stageCount, "prospectivity map: \(mapped.kind.displayName) (\(mapped.split) split), stride \(c.mapStride)")
        let layerStack = try LayerStack(prepared.stack)
        let probability = try timed("prospectivity map") {
            try predictMap(stack: layerStack, windowSize: c.model.window, stride: c.mapStride, expectedChannels: c.model.inputChannels,
                           batchSize: 256, workers: 1, model: batchModel(mapped.model, batchSize: 256),
                           progress: { self.progress.fraction("mapping", $0.windowsDone, $0.windowsTotal) })
        }
        let mapPath = folders.file("prospectivity.tif")
        try GeoTIFF.write(probability, name: "probability", to: mapPath)

        // 7. Grading, zones, success rate.
        progress.stage(7, Self.stageCount, "grading A/B/C (paper thresholds), target zones, success-rate curve")
        let known = Deposit.from(survey.knownDeposits), hidden = Deposit.from(survey.hiddenDeposits)
        let zones = targetZones(probability: probability, thresholds: .paper, knownDeposits: known, hiddenDeposits: hidden)
        try zones.write(to: folders.file("zones.geojson"))
        try zones.write(to: folders.file("zones.gpkg"))
        try writeText(zones.csv, to: folders.file("zones.csv"))
        let automatic = try? automaticGrading(probabilities: probability.values)
        let hiddenCells = hidden.compactMap { probability.cellIndex(x: $0.x, y: $0.y) }
        let knownCells = known.compactMap { probability.cellIndex(x: $0.x, y: $0.y) }
        let successHidden = try successRateCurve(probabilities: probability.values, depositCells: hiddenCells)
        let successKnown = try successRateCurve(probabilities: probability.values, depositCells: knownCells)
        let overlays = MapOverlays(faultLines: survey.faults, knownPoints: survey.knownDeposits, hiddenPoints: survey.hiddenDeposits, zoneSet: zones)
        try Figure.map(probability, title: "Prospectivity (\(mapped.kind.displayName)) with A/B/C zones", range: 0...1, overlays: overlays)
            .writePNG(to: folders.figure("prospectivity_map.png"))
        try Figure.histogram(probability.values, thresholds: [("C", 0.85), ("B", 0.90), ("A", 0.95)], range: 0...1)
            .writePNG(to: folders.figure("probability_histogram.png"))
        try Figure.successRate([NamedCurve(name: "Hidden deposits", successRate: successHidden),
                                NamedCurve(name: "Known deposits", successRate: successKnown)])
            .writePNG(to: folders.figure("success_rate.png"))
        let pa = try predictionArea(probabilities: probability.values, depositCells: hiddenCells)
        try Figure.predictionArea(thresholds: pa.thresholds, predictionRates: pa.predictionRates, areaShares: pa.areaShares,
                                  intersection: (pa.intersectionThreshold, pa.intersectionPredictionRate))
            .writePNG(to: folders.figure("prediction_area.png"))

        // 8. SHAP.
        progress.stage(8, Self.stageCount, "SHAP over the 15 layers: permutation, \(c.shapWindows) validation windows of \(mapped.kind.displayName)")
        let explanation = try timed("SHAP") { try explain(mapped, data: data, splits: splits) }
        try Figure.shapBeeswarm(explanation, title: "SHAP values per layer (\(mapped.kind.displayName))").writePNG(to: folders.figure("shap_beeswarm.png"))
        try Figure.shapBar(explanation, title: "Mean |SHAP| per layer (\(mapped.kind.displayName))").writePNG(to: folders.figure("shap_bar.png"))
        let strongest = explanation.outputs.indices.max { explanation.outputs[$0] < explanation.outputs[$1] } ?? 0
        try Figure.shapWaterfall(explanation, window: strongest).writePNG(to: folders.figure("shap_waterfall.png"))

        // 9. Stack figures.
        progress.stage(9, Self.stageCount, "figures: stack layers, correlation of the elements")
        let au = try RasterGrid(prepared.stack.layer(named: "Au"))
        try Figure.map(au, title: "Au (log10, z-score)", colorBarLabel: "z", overlays: MapOverlays(faultLines: survey.faults, knownPoints: survey.knownDeposits))
            .writePNG(to: folders.figure("layer_au.png"))
        let fault = try RasterGrid(prepared.stack.layer(named: "fault_influence"))
        try Figure.map(fault, title: "Fault influence (rings, z-score)", colorBarLabel: "z", overlays: MapOverlays(faultLines: survey.faults))
            .writePNG(to: folders.figure("layer_fault_influence.png"))
        try Figure.correlationHeatmap(prepared.samples.correlationMatrix(), names: prepared.samples.elements)
            .writePNG(to: folders.figure("correlation.png"))

        // 10. Report.
        progress.stage(10, Self.stageCount, "report: \(folders.file("report.md"))")
        timings.append(("total", Date().timeIntervalSince(started)))
        let report = DemoReport(configuration: c, survey: survey, prepared: prepared, splits: splits, trained: trained,
                                comparison: comparison, mapped: mapped, zones: zones, automatic: automatic,
                                successHidden: successHidden, successKnown: successKnown, explanation: explanation,
                                timings: timings, folders: folders)
        try writeText(report.markdown, to: folders.file("report.md"))
        progress.note(String(format: "done in %.0f s; report at %@", timings.last?.1 ?? 0, folders.file("report.md")))
        return report
    }

    private func trainOne(_ kind: ModelKind, split: Split, train: WindowDataset, validation: WindowDataset,
                          folders: DemoFolders) throws -> TrainedModel {
        let c = configuration
        let t0 = Date()
        let model = try makeModel(kind, config: c.model, seed: c.seed)
        var options = TrainingOptions()
        options.epochs = c.epochs
        options.batchSize = c.batchSize
        options.maximumLearningRate = c.maximumLearningRate
        options.minimumLearningRate = c.minimumLearningRate
        options.seed = c.seed
        let trainer = try Trainer(model: model, options: options)
        progress.label = "\(kind.displayName) [\(split.name)]"
        trainer.observer = progress
        let history = try trainer.fit(train: train, validation: validation)
        // The last epoch's weights are evaluated: choosing the best epoch on the validation
        // windows would bias their AUC upwards.
        try model.saveCheckpoint(path: folders.checkpoint("\(kind.rawValue)_\(slug(split.name)).safetensors"))
        let scores = try predictPositive(model, windows: validation.windows, batchSize: 256)
        let auc = try rocAUC(labels: validation.labels, scores: scores)
        return TrainedModel(kind: kind, split: split.name, model: model, history: history, labels: validation.labels,
                            scores: scores, auc: auc, seconds: Date().timeIntervalSince(t0))
    }

    /// Permutation SHAP of validation windows (both classes, evenly spaced) against a k-means
    /// summary of the training windows.
    private func explain(_ trained: TrainedModel, data: Dataset, splits: [Split]) throws -> Explanation {
        let c = configuration
        guard let split = splits.first(where: { $0.name == trained.split }) else { throw GeoError("no split named \(trained.split)") }
        let trainSet = data.subset(split.train)
        let background = try LayerBackground.kMeansSummary(windows: trainSet.windows, count: trainSet.count, layers: data.channels,
                                                           height: data.size, width: data.size, clusters: c.shapBackground, seed: c.seed)
        let n = min(c.shapWindows, split.validation.count)
        let step = Double(split.validation.count) / Double(max(n, 1))
        let picked = data.subset((0..<n).map { split.validation[Int(Double($0) * step)] })
        var explainer = try LayerExplainer(model: batchModel(trained.model, batchSize: 256), layers: data.channels, height: data.size,
                                           width: data.size, background: background, featureNames: data.layerNames, batchSize: 256)
        explainer.progress = { done, total in self.progress.fraction("explaining", done, total) }
        let explanation = try explainer.permutation(windows: picked.windows, count: picked.count, maxEvaluations: c.shapEvaluations, seed: c.seed)
        return explanation
    }
}

/// The output folder's layout: figures/ and checkpoints/ beside the maps, zones and report.
struct DemoFolders {
    let root: String

    init(root: String) throws {
        self.root = root
        for folder in [root, root + "/figures", root + "/checkpoints"] {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw GeoError("cannot create the output folder: \(error.localizedDescription)", file: folder)
            }
        }
    }

    func file(_ name: String) -> String { root + "/" + name }
    func figure(_ name: String) -> String { root + "/figures/" + name }
    func checkpoint(_ name: String) -> String { root + "/checkpoints/" + name }
}

/// "random stratified" -> "random_stratified".
func slug(_ text: String) -> String {
    String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
}
