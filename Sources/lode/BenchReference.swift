import Foundation

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
