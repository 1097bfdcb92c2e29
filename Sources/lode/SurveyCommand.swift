import ArgumentParser
import Foundation
import LodeGeo

/// `lode survey ...`: the built-in synthetic study area.
struct SurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey",
        abstract: "Generate, export, measure and prepare the built-in East-Kunlun-like survey.",
        subcommands: [Generate.self, Difficulty.self, Prepare.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the survey (CSV, GeoJSON, GeoPackage, GeoTIFF) to a folder.")
        @Option(help: "paper or small") var preset: String = "small"
        @Option(help: "Random seed.") var seed: UInt64 = 42
        @Option(name: [.customLong("output"), .customLong("out")], help: "Output folder (--out is the older spelling).") var output: String = "out/survey"
        @Flag(help: "Also grid the 15-layer stack and write stack.tif.") var stack = false

        func run() throws {
            let survey = try SyntheticSurvey.generate(preset: SurveyPreset.named(preset), seed: seed)
            let stackLayers = stack ? try PipelinePreparation.run(preset: preset, surveySeed: seed, perClass: 1).stack : nil
            for path in try survey.export(to: output, stack: stackLayers) { print(path) }
            print("\(survey.samples.count) samples, \(survey.faults.count) faults, \(survey.knownDeposits.count) known and \(survey.hiddenDeposits.count) hidden deposits, \(survey.grid)")
        }
    }

    struct Difficulty: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "AUC of the Au layer alone and of the fault layer alone at separating hidden deposits from random cells.")
        @Option(help: "paper, small or all (both)") var preset: String = "small"
        @Option(help: "Random seed of the survey.") var seed: UInt64 = 42
        @Option(help: "Random cells to compare against.") var cells: Int = 2000

        func run() throws {
            var figures: [String: Any] = [:]
            for name in preset == "all" ? ["small", "paper"] : [preset] {
                let survey = try SyntheticSurvey.generate(preset: SurveyPreset.named(name), seed: seed)
                let difficulty = try survey.difficulty(randomCells: cells)
                print(difficulty)
                let inRange = (0.65...0.85).contains(difficulty.goldAUC) && (0.65...0.85).contains(difficulty.faultAUC)
                figures["\(name)_au_auc"] = difficulty.goldAUC
                figures["\(name)_fault_auc"] = difficulty.faultAUC
                figures["\(name)_in_range"] = inRange
            }
            printResult(figures)
        }
    }

    struct Prepare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the whole preparation of stdlib/pipeline.lode: survey -> stack -> augmented windows (paper: 5 632).")
        @Option(help: "paper or small") var preset: String = "small"
        @Option(help: "Random seed.") var seed: UInt64 = 42
        @Option(help: "Windows per class after augmentation.") var perClass: Int = 2816

        func run() throws {
            let start = Date()
            let prepared = try PipelinePreparation.run(preset: preset, surveySeed: seed, perClass: perClass)
            let total = Date().timeIntervalSince(start)
            for (step, seconds) in prepared.timings { print(String(format: "%-22@ %7.2f s", step, seconds)) }
            print("stack: \(prepared.stack)")
            print("windows: \(prepared.augmented)")
            for warning in prepared.augmented.warnings { print("warning: \(warning)") }
            var figures: [String: Any] = ["preset": preset, "total_seconds": total, "windows": prepared.augmented.count,
                                          "shape": prepared.augmented.shape, "target_seconds": 120, "within_target": total < 120]
            for (step, seconds) in prepared.timings { figures[step.replacingOccurrences(of: " ", with: "_") + "_seconds"] = seconds }
            printResult(figures)
        }
    }
}

/// The closing `RESULT {json}` line of a measuring command.
func printResult(_ figures: [String: Any]) {
    if let data = try? JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys]),
       let text = String(data: data, encoding: .utf8) {
        print("RESULT \(text)")
    }
}
