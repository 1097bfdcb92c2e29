import ArgumentParser
import Foundation
import LodeEval
import LodeLibrary
import LodeScript
import LodeTensor

/// `lode bench prospectivity`: the map-level comparison of stdlib/validation.lode on the built-in
/// survey — the four models (paper-style recipe) and the five baselines, each scored on spatial
/// folds of the known deposits and, trained on all of them, on the hidden deposits. It runs the
/// same Lode functions a user calls, so the figures are the ones a notebook would show.
struct BenchProspectivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prospectivity",
        abstract: "Hidden-deposit and spatial-fold success-rate areas of the four models against the baselines (stdlib/validation.lode)."
    )

    @Option(help: "Survey preset: small (40 km, narrow models; within 20 minutes on 2 cores) or paper (the paper's 170 km survey with the same narrowed models and windows; about an hour). --full-models gives the paper's own sizes (days).")
    var preset: String = "small"

    @Flag(help: "With --preset paper: the paper's 100 m cells, 32-cell windows, paper-size models, 2 816 windows per class and 50 epochs (days on 2 cores).")
    var fullModels = false

    @Option(help: "Window size in cells (overrides the preset).")
    var window: Int?

    @Option(help: "Model widths: tiny, small or paper (overrides the preset).")
    var modelSize: String?

    @Option(help: "Training epochs of each model fit (overrides the preset).")
    var epochs: Int?

    @Option(help: "Number of grouped spatial folds of the known deposits.")
    var folds: Int = 4

    @Option(help: "Augmented windows per class of each model fit (overrides the preset).")
    var perClass: Int?

    @Option(help: "Grid cell in metres (overrides the preset).")
    var cell: Int?

    @Option(help: "Models to run, comma-separated (ssgsnet,resnet,vit,dualbranch); 'none' for baselines only.")
    var models: String = "ssgsnet,resnet,vit,dualbranch"

    @Option(help: "Trees of the random-forest baseline.")
    var trees: Int = 100

    @Option(help: "Recipe of the models: paper (K-means negatives, one window per deposit) or lode (cells around deposits, background negatives, fold ensemble, calibrated); SSGSNet also runs with the other one.")
    var recipe: String = "paper"

    @Option(help: "Seed of the survey and of every random choice.")
    var seed: Int = 42

    @Option(help: "Threads of the matrix kernels.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        struct Sizes { var cell: Int; var window: Int; var perClass: Int; var epochs: Int; var modelPreset: String; var stride: Int; var lrMax: String; var lrMin: String }
        var s: Sizes
        switch preset {
        case "small": s = Sizes(cell: 200, window: 16, perClass: 256, epochs: 4, modelPreset: "tiny", stride: 4, lrMax: "1e-3", lrMin: "1e-4")
        case "paper" where fullModels:
            s = Sizes(cell: 100, window: 32, perClass: 2816, epochs: 50, modelPreset: "paper", stride: 8, lrMax: "1e-5", lrMin: "1e-6")
        case "paper":
            // The paper's survey (170 km, 7 326 samples, 29 hidden deposits), narrowed as the small
            // preset is: 200 m cells, 16-cell (3.2 km) windows, tiny models, so that 25 model fits and
            // their maps run in about an hour on two cores.
            s = Sizes(cell: 200, window: 16, perClass: 512, epochs: 4, modelPreset: "tiny", stride: 4, lrMax: "1e-3", lrMin: "1e-4")
        default: throw ValidationError("unknown preset '\(preset)'; choose small or paper")
        }
        if let epochs { guard epochs > 0 else { throw ValidationError("--epochs must be positive") }; s.epochs = epochs }
        if let perClass { guard perClass > 0 else { throw ValidationError("--per-class must be positive") }; s.perClass = perClass }
        if let cell { guard cell > 0 else { throw ValidationError("--cell must be positive") }; s.cell = cell }
        if let window { guard window >= 4 else { throw ValidationError("--window must be at least 4 cells") }; s.window = window }
        if let modelSize {
            guard ["tiny", "small", "paper"].contains(modelSize) else { throw ValidationError("unknown --model-size '\(modelSize)'; choose tiny, small or paper") }
            s.modelPreset = modelSize
        }
        if fullModels && preset != "paper" { throw ValidationError("--full-models goes with --preset paper") }
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
        guard trees >= 1 else { throw ValidationError("--trees must be at least 1") }
        guard ["paper", "lode"].contains(recipe) else { throw ValidationError("unknown recipe '\(recipe)'; choose paper or lode") }
        let kinds = models == "none" ? [] : models.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let known = ["ssgsnet", "resnet", "vit", "dualbranch"]
        if let bad = kinds.first(where: { !known.contains($0) }) {
            throw ValidationError("unknown model '\(bad)'; choose from \(known.joined(separator: ", "))")
        }
        setGEMMThreads(threads)
        printError("prospectivity bench: preset \(preset), cell \(s.cell) m, window \(s.window), \(s.modelPreset) models, "
                   + "\(s.perClass) windows per class, \(s.epochs) epochs, \(folds) grouped folds, forest of \(trees) trees")
        if s.modelPreset != "paper" || s.epochs < 50 {
            printError("(narrowed from the paper's 100 m cells, 32-cell windows, paper-size models and 50 epochs, so it fits "
                       + (preset == "small" ? "20 minutes" : "about an hour") + " on 2 cores)")
        }

        let session = LodeSessionFactory.makeSession()
        let source = """
            use "validation"
            sizes = comparison_sizes(window: \(s.window), per_class: \(s.perClass), epochs: \(s.epochs), preset: "\(s.modelPreset)", stride: \(s.stride), lr_max: \(s.lrMax), lr_min: \(s.lrMin))
            comparison = prospectivity_comparison(preset: "\(preset)", cell: \(s.cell), k: \(folds), sizes: sizes, models: [\(kinds.map { "\"\($0)\"" }.joined(separator: ", "))], recipe: "\(recipe)", trees: \(trees), seed: \(seed))
            print(comparison.table)
            """
        let started = Date()
        let outcome = session.execute(source, cellName: "<bench prospectivity>", output: StandardOutput())
        if case .error(_, _, let traceback) = outcome {
            throw ValidationError("the comparison failed:\n" + traceback.joined(separator: "\n"))
        }
        let seconds = Date().timeIntervalSince(started)
        guard case .record(let comparison)? = session.value(of: "comparison"), case .record(let results)? = comparison["results"] else {
            throw ValidationError("the comparison returned no results")
        }
        func figures(_ name: String) -> [String: Any]? {
            guard case .record(let r)? = results[name], case .record(let cv)? = r["cv"], case .record(let hidden)? = r["hidden"] else { return nil }
            func number(_ record: LodeRecord, _ key: String) -> Any { record[key]?.numberValue.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
            return ["hidden_success_auc": number(hidden, "success_auc"), "hidden_top10": number(hidden, "top10"),
                    "hidden_top20": number(hidden, "top20"), "cv_success_auc": number(cv, "success_auc"),
                    "cv_success_auc_spread": number(cv, "success_auc_spread"), "cv_top10": number(cv, "top10")]
        }
        var modelFigures: [String: Any] = [:]
        for kind in kinds { modelFigures[kind] = figures(kind) ?? NSNull() }
        let other = recipe == "paper" ? "lode" : "paper"
        let otherRecipe: Any = kinds.isEmpty ? NSNull() : ["ssgsnet": (figures("ssgsnet_" + other) as Any?) ?? NSNull(), "recipe": other] as [String: Any]
        var baselineFigures: [String: Any] = [:]
        for name in ["fault_distance", "best_single_layer", "weights_of_evidence", "logistic", "random_forest"] {
            baselineFigures[name] = figures(name) ?? NSNull()
        }
        func hidden(_ entry: Any?) -> Double { ((entry as? [String: Any])?["hidden_success_auc"] as? Double) ?? -.infinity }
        let bestBaseline = baselineFigures.max { hidden($0.value) < hidden($1.value) }
        var result: [String: Any] = [
            "bench": "prospectivity", "preset": preset, "recipe": recipe, "models": modelFigures, "other_recipe": otherRecipe, "baselines": baselineFigures, "seconds": seconds,
            "cell_m": s.cell, "window": s.window, "model_preset": s.modelPreset, "narrowed": s.modelPreset != "paper" || s.epochs < 50, "per_class": s.perClass, "epochs": s.epochs,
            "folds": folds, "trees": trees, "seed": seed, "threads": threads,
        ]
        if let bestBaseline {
            result["best_baseline"] = bestBaseline.key
            if let ssgsnet = modelFigures["ssgsnet"] as? [String: Any] {
                result["ssgsnet_minus_best_baseline"] = hidden(ssgsnet) - hidden(bestBaseline.value)
                // How sure that gap is: a paired bootstrap over the hidden deposits (score_difference).
                func percentiles(_ name: String) -> [Double]? {
                    guard case .record(let r)? = results[name], case .record(let h)? = r["hidden"],
                          case .list(let values)? = h["percentiles"] else { return nil }
                    return values.compactMap(\.numberValue)
                }
                if let a = percentiles("ssgsnet"), let b = percentiles(bestBaseline.key),
                   let d = try? scoreDifference(a, b, level: 0.9, rounds: 2000, seed: 0) {
                    result["ssgsnet_minus_best_baseline_interval90"] = [d.low, d.high]
                }
            }
        }
        printResult(result)
    }
}
