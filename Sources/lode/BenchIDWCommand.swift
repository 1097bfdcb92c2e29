import ArgumentParser

/// `lode bench idw`: the paper preset's 14 element layers by global IDW, beside a NumPy brute force.
struct BenchIDWCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idw",
        abstract: "Paper-preset global IDW (14 layers) against a vectorised NumPy brute force in the same job."
    )

    @Option(help: "Survey preset.") var preset: String = "paper"
    @Option(help: "Grid rows the NumPy reference computes (its time is extrapolated to all rows; 0 skips it).")
    var numpyRows: Int = 24
    @Option(help: "Python with NumPy for the reference.") var python: String?

    func run() throws {
        printResult(try BenchIDW.run(preset: preset, numpyRows: numpyRows, python: python))
    }
}
