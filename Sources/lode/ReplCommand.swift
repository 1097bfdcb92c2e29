import ArgumentParser
import Foundation
import LodeLibrary
import LodeREPL
import LodeScript

/// `lode` with no arguments, or `lode repl`: the interactive prompt.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl", abstract: "Start the interactive prompt (the default).")

    @Option(help: "History file (default: $LODE_HISTORY, else $HOME/.lode_history).")
    var history: String?

    func run() throws {
        let session = LodeSessionFactory.makeSession()
        let repl = REPL(session: session, historyPath: history)
        let status = repl.run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// Builds the session every front end uses: the stdlib search path and the command library.
enum LodeSessionFactory {
    static func makeSession() -> Session {
        LodeLibrary.makeSession(searchPaths: stdlibPaths())
    }

    /// `$LODE_STDLIB`, `./stdlib`, and the stdlib folder of the source tree the binary was
    /// built in (`.build/<config>/lode` → `stdlib`).
    static func stdlibPaths() -> [String] {
        var paths: [String] = []
        if let path = ProcessInfo.processInfo.environment["LODE_STDLIB"], !path.isEmpty { paths.append(path) }
        paths.append((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent("stdlib"))
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("stdlib").path
            if FileManager.default.fileExists(atPath: candidate) && !paths.contains(candidate) {
                paths.append(candidate)
                break
            }
            directory = directory.deletingLastPathComponent()
        }
        return paths.filter { FileManager.default.fileExists(atPath: $0) }
    }
}
