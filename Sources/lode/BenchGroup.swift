import ArgumentParser

/// `lode bench NAME`: every benchmark ends with one `RESULT {json}` line. The tensor-core ones
/// (`gemm`, `conv`) are reached through the default subcommand, which takes the name.
struct BenchGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Lode: train/infer (models), map/shap (prospectivity and SHAP), gemm/conv (kernels), idw (interpolation), interp (the language).",
        subcommands: [TrainBenchCommand.self, InferBenchCommand.self, BenchIDWCommand.self, BenchInterp.self, BenchMapCommand.self, BenchSHAPCommand.self,
                      BenchProspectivityCommand.self,
                      BenchCommand.self],
        defaultSubcommand: BenchCommand.self
    )
}
