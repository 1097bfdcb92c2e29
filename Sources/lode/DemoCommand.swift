import ArgumentParser
import Foundation
import LodeScript

/// `lode demo`: runs `run_demo()` of `stdlib/pipeline.lode` — the paper's workflow written in
/// Lode — on the built-in survey, writing out/report.md, maps, zones, figures and checkpoints.
/// The command only passes its options on; every step is the Lode code a user can read.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the paper's workflow (stdlib/pipeline.lode) on the built-in survey and write out/report.md, maps, zones, figures and checkpoints."
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
        guard ["small", "paper"].contains(preset) else { throw ValidationError("unknown preset '\(preset)'; choose small or paper") }
        if let epochs, epochs <= 0 { throw ValidationError("--epochs must be positive") }
        let session = LodeSessionFactory.makeSession()
        session.setVariable("demo_folder", .string(output))
        let epochsText = epochs.map(String.init) ?? "nil"
        let source = """
            use "pipeline"
            run_demo(folder: demo_folder, preset: "\(preset)", quick: \(quick), seed: \(seed), epochs: \(epochsText));
            """
        if case .error(_, _, let traceback) = session.execute(source, cellName: "<lode demo>", output: StandardOutput()) {
            FileHandle.standardError.write(Data((traceback.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
