import Foundation
import LodeLibrary
import LodeScript

/// Fuzzing over a full library session: every input runs after a setup cell that makes small
/// built-in data (a synthetic survey, a coarse grid, a two-layer stack), so mutations reach the
/// domain commands. `--hostile` instead calls every registered command with hostile arguments
/// (negative, zero, huge, NaN, wrong type, nil) and prints one line per call: a crash kills
/// the process, which is how the command property test (tests/test_hostile_commands.py) fails.
enum LibraryFuzzHarness {
    static let stdlib: String = {
        let source = URL(fileURLWithPath: #filePath)
        return source.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("stdlib").path
    }()

    static let setup = """
        survey = synthetic_survey(preset: "small", seed: 1)
        g = grid(survey.extent, cell: 2000)
        geo = idw(survey.samples, ["Au", "As"], g)
        au = geo["Au"]
        """

    static func prepare() {
        // Small budgets: a fuzz input may ask for anything, and must get an error quickly.
        setenv("LODE_MEMORY_LIMIT", "512M", 1)
        LodeLimits.maximumLength = 100_000
    }

    static func session() -> Session {
        let session = LodeLibrary.makeSession(searchPaths: [stdlib])
        _ = session.execute(setup, cellName: "setup", output: CollectingOutput())
        session.stepLimit = 20_000
        session.maximumCallDepth = 200
        return session
    }

    static func run(_ text: String) {
        Session.withLargeStack {
            let session = session()
            _ = session.execute(text, cellName: "fuzz", output: CollectingOutput())
            session.reset()
        }
    }

    static let hostileValues = ["-1", "0", "-0.5", "1e20", "-1e20", "sqrt(-1)", "\"\"", "\"x\"", "nil",
                                "true", "[]", "[-1, 1e20]", "{}", "fn(x) => x", "survey", "g", "au"]
    /// Commands that wait for a person or print the whole reference; not data commands.
    static let skipped: Set<String> = ["input"]

    /// Returns the number of calls made; prints `name: outcome` for each.
    static func hostile(from first: String = "") -> Int {
        var calls = 0
        // Commands that write files (save, ...) write them into a scratch folder.
        let scratch = NSTemporaryDirectory() + "lode-hostile-\(getpid())"
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        FileManager.default.changeCurrentDirectoryPath(scratch)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        Session.withLargeStack {
            let session = session()
            for entry in session.registry.commands() where !skipped.contains(entry.name) && entry.name >= first {
                let names = entry.parameters.filter { !$0.isVariadic }.map(\.name)
                var codes: [String] = ["\(entry.name)()"]
                for value in hostileValues {
                    for count in 1...max(1, names.count) {
                        codes.append("\(entry.name)(" + Array(repeating: value, count: count).joined(separator: ", ") + ")")
                    }
                    for name in names { codes.append("\(entry.name)(\(name): \(value))") }
                }
                for code in codes {
                    let outcome = session.execute("_hostile = " + code, cellName: "hostile", output: CollectingOutput())
                    calls += 1
                    switch outcome {
                    case .ok: print("\(code) -> ok")
                    case .error(let name, _, _): print("\(code) -> \(name)")
                    }
                }
                fflush(stdout)
            }
        }
        return calls
    }
}

#if LODE_FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func libraryFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    LibraryFuzzHarness.run(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@main
struct LibraryFuzzMain {
    static func main() {
        LibraryFuzzHarness.prepare()
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, libraryFuzzerTestOneInput))
    }
}
#else
/// Built without libFuzzer: `--hostile` runs the command property sweep; otherwise replays the
/// files given as arguments (crash reproducers, the corpus).
@main
struct LibraryFuzzReplay {
    static func main() {
        LibraryFuzzHarness.prepare()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--hostile" {
            print("RESULT {\"calls\": \(LibraryFuzzHarness.hostile(from: arguments.dropFirst().first ?? ""))}")
            return
        }
        for path in arguments {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                continue
            }
            LibraryFuzzHarness.run(String(decoding: data, as: UTF8.self))
            print("ok \(path)")
        }
    }
}
#endif
