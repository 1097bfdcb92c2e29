import ArgumentParser

/// `lode bench NAME`: benchmarks that end with one `RESULT {json}` line.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run a benchmark.",
        subcommands: [BenchInterp.self])
}
