import ArgumentParser
import Foundation
import LodeNN

/// The model configuration and thread count every model benchmark takes.
struct ConfigurationOptions: ParsableArguments {
    @Option(help: "Model configuration: paper or tiny.")
    var config: String = "paper"

    @Option(help: "Threads (OpenBLAS and Lode's own loops).")
    var threads: Int = 2

    func validate() throws {
        guard ["paper", "tiny"].contains(config) else { throw ValidationError("unknown --config '\(config)'; choose paper or tiny") }
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
    }

    var modelConfig: ModelConfig { config == "tiny" ? .tiny : .paper }
}

/// Options shared by the benchmarks that run the PyTorch reference beside Lode (`bench map`,
/// `bench shap`): the configuration and threads, and where the reference lives.
struct ReferenceOptions: ParsableArguments {
    @OptionGroup var configuration: ConfigurationOptions

    @Option(help: "Python with torch (and shap, for bench shap) for the reference ($LODE_TORCH_PYTHON by default).")
    var python: String?

    @Option(help: "Folder of the PyTorch reference (bench_torch.py, ssgsnet.py).")
    var reference: String = "../shared/reference"

    var config: String { configuration.config }
    var threads: Int { configuration.threads }
    var modelConfig: ModelConfig { configuration.modelConfig }
    var pythonPath: String { ReferenceBenchmark.pythonPath(python) }
}

/// Runs a Python benchmark of the PyTorch reference in the same job and returns its
/// `RESULT {json}` object, or nil (with the reason on stderr) when Python or torch is missing.
struct ReferenceBenchmark {
    var python: String
    var arguments: [String]

    /// The Python to use: an explicit path, $LODE_TORCH_PYTHON, or python3.
    static func pythonPath(_ explicit: String?) -> String {
        explicit ?? ProcessInfo.processInfo.environment["LODE_TORCH_PYTHON"] ?? "/usr/bin/python3"
    }

    func run() -> [String: Any]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_NUM_THREADS"] = environment["OMP_NUM_THREADS"] ?? "2"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch {
            printError("reference benchmark not run: cannot start \(python): \(error.localizedDescription)")
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0,
              let line = text.split(separator: "\n").last(where: { $0.hasPrefix("RESULT ") }),
              let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(7).utf8)) as? [String: Any] else {
            printError("reference benchmark failed (exit \(process.terminationStatus)); is torch installed for \(python)?")
            return nil
        }
        return object
    }
}

func printError(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
