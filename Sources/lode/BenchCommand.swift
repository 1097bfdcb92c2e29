import ArgumentParser
import Foundation

/// `lode bench NAME`: measured figures, ending with one `RESULT {json}` line.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Lode (idw: paper-preset global IDW against a NumPy brute force)."
    )

    @Argument(help: "What to measure: idw.")
    var name: String

    @Option(help: "Survey preset for idw.") var preset: String = "paper"
    @Option(help: "Grid rows the NumPy reference computes (its time is extrapolated to all rows; 0 skips it).")
    var numpyRows: Int = 24
    @Option(help: "Python with NumPy for the reference.") var python: String?

    func run() throws {
        switch name {
        case "idw":
            printResult(try BenchIDW.run(preset: preset, numpyRows: numpyRows, python: python))
        default:
            throw ValidationError("unknown benchmark '\(name)'; choose idw")
        }
    }
}
