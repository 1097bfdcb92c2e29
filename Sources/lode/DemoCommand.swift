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

    @Flag(inversion: .prefixedNo, help: "Time a few training steps of each model first and say how long the run will take.")
    var estimate = true

    @Flag(help: "Only say how long the run would take (times a few steps of each model), then stop.")
    var estimateOnly = false

    func run() throws {
        guard ["small", "paper"].contains(preset) else { throw ValidationError("unknown preset '\(preset)'; choose small or paper") }
        if let epochs, epochs <= 0 { throw ValidationError("--epochs must be positive") }
        let session = LodeSessionFactory.makeSession()
        session.setVariable("demo_folder", .string(output))
        let epochsText = epochs.map(String.init) ?? "nil"
        session.setVariable("demo_estimate", .nil)
        if estimate || estimateOnly { try printEstimate(session, epochsText: epochsText) }
        if estimateOnly { return }
        let source = """
            use "pipeline"
            run_demo(folder: demo_folder, preset: "\(preset)", quick: \(quick), seed: \(seed), epochs: \(epochsText),
                     estimate: demo_estimate);
            """
        if case .error(_, _, let traceback) = session.execute(source, cellName: "<lode demo>", output: StandardOutput()) {
            FileHandle.standardError.write(Data((traceback.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// Reads the plan from demo_sizes() (the pipeline's one statement of the sizes), times the
    /// models on it and prints the estimate; run_demo() gets it for its ETA lines.
    private func printEstimate(_ session: Session, epochsText: String) throws {
        let plan = """
            use "pipeline"
            demo_plan = demo_sizes(preset: "\(preset)", quick: \(quick))
            if \(epochsText) != nil { demo_plan.epochs = \(epochsText) }
            """
        if case .error(_, _, let traceback) = session.execute(plan, cellName: "<lode demo>", output: StandardOutput()) {
            FileHandle.standardError.write(Data((traceback.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(1)
        }
        guard let sizes = session.value(of: "demo_plan")?.recordValue else { throw ValidationError("demo_sizes() gave no record") }
        print("timing a few training steps of each model to estimate the run...")
        fflush(stdout)
        let result = try DemoEstimate.measure(sizes: sizes)
        for line in result.summary { print(line) }
        // The run's own lines are written straight to the file descriptor: these go first.
        fflush(stdout)
        session.setVariable("demo_estimate", result.record)
    }
}
