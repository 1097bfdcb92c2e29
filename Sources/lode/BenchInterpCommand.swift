import ArgumentParser
import Foundation
import LodeScript

/// `lode bench interp`: interpreter overhead on a loop of scalar additions, compared with the
/// same loop in Python (scripts/bench_interp.py) run in the same job.
struct BenchInterp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interp", abstract: "Time 1 000 000 scalar additions in a Lode loop against Python.")

    @Option(help: "Loop iterations.")
    var iterations = 1_000_000

    @Option(help: "Repetitions; the best time counts.")
    var repeats = 5

    @Option(help: "Python interpreter for the reference loop.")
    var python = "python3"

    func run() throws {
        let source = """
            total = 0
            for i in range(\(iterations)) {
                total = total + i
            }
            total
            """
        var best = Double.infinity
        var checksum = ""
        for _ in 0..<repeats {
            let session = Session()
            let start = DispatchTime.now().uptimeNanoseconds
            let outcome = session.execute(source, cellName: "bench", output: CollectingOutput())
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            guard case .ok(let bundle) = outcome else {
                throw ValidationError("benchmark program failed: \(outcome)")
            }
            checksum = bundle?.plainText ?? ""
            best = min(best, seconds)
        }
        let expected = LodeValue.formatNumber(Double(iterations) * Double(iterations - 1) / 2)
        guard checksum == expected else {
            throw ValidationError("wrong sum \(checksum), expected \(expected)")
        }
        print(String(format: "lode: %d additions in %.4f s (best of %d)", iterations, best, repeats))
        var result: [String: Any] = [
            "benchmark": "interp", "iterations": iterations, "lode_seconds": best,
            "target_seconds": 1.0, "under_target": best < 1.0,
        ]
        if let pythonSeconds = referenceSeconds() {
            print(String(format: "python: %.4f s", pythonSeconds))
            result["python_seconds"] = pythonSeconds
            result["ratio_vs_reference"] = pythonSeconds / best
        }
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print("RESULT " + String(decoding: data, as: UTF8.self))
    }

    /// Runs scripts/bench_interp.py (found from the working directory or beside the source
    /// tree) and reads its best time in seconds.
    private func referenceSeconds() -> Double? {
        let candidates = ["scripts/bench_interp.py"] + LodeSessionFactory.stdlibPaths().map {
            (($0 as NSString).deletingLastPathComponent as NSString).appendingPathComponent("scripts/bench_interp.py")
        }
        guard let script = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            FileHandle.standardError.write(Data("scripts/bench_interp.py not found; no reference\n".utf8))
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, String(iterations), String(repeats)]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }
}
