import ArgumentParser
import Foundation
import LodeLibrary

/// `lode demo`: the paper's workflow on the built-in survey, written to `out/` (see
/// `DemoWorkflow`): maps, zones, figures, checkpoints and `report.md`.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the paper's workflow on the built-in survey and write out/report.md, maps, zones, figures and checkpoints."
    )

    @Option(help: "Sizes: small (narrow models, a few minutes) or paper (the paper's survey and models; hours).")
    var preset: String = "small"

    @Flag(help: "A very short run (tiny augmentation, one epoch, coarse map) to check the whole chain.")
    var quick = false

    @Option(help: "Output folder.")
    var output: String = "out"

    @Option(help: "Training epochs (overrides the preset).")
    var epochs: Int?

    @Option(help: "Seed of every random choice after the survey.")
    var seed: UInt64 = 1

    func run() throws {
        var c: DemoConfiguration
        switch preset {
        case "small": c = quick ? .quick : .standard
        case "paper": c = .paper
        default: throw ValidationError("unknown preset '\(preset)'; choose small or paper")
        }
        if let epochs {
            guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
            c.epochs = epochs
        }
        c.seed = seed
        try DemoWorkflow(configuration: c, outputFolder: output).run()
    }
}
