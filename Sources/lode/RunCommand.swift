import ArgumentParser
import Foundation
import LodeREPL
import LodeScript

/// `lode run file.lode [name=value ...]`: runs a script; on error prints the diagnostic
/// (file:line:column, source line, caret, hint, call stack) and exits non-zero.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a Lode script.")

    @Argument(help: "The .lode file to run; - reads the script from standard input.")
    var file: String

    @Argument(help: "Variables set before the script runs, as name=value (value read as a Lode literal, else as text).")
    var assignments: [String] = []

    func run() throws {
        let session = LodeSessionFactory.makeSession()
        let output = StandardOutput()
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("expected name=value, got '\(assignment)'")
            }
            let name = String(assignment[..<equals])
            let text = String(assignment[assignment.index(after: equals)...])
            session.setVariable(name, RunCommand.literal(text, session: session))
        }
        let outcome: ExecutionOutcome
        if file == "-" {
            let script = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            outcome = session.execute(script, cellName: "<stdin>", output: output)
        } else {
            outcome = session.run(file: file, output: output)
        }
        if case .error(_, _, let traceback) = outcome {
            FileHandle.standardError.write(Data((traceback.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// `3` → number, `"x"`/`[1, 2]`/`true` → that value, anything else → the text itself.
    static func literal(_ text: String, session: Session) -> LodeValue {
        let probe = Session()
        if case .ok(let bundle) = probe.execute("__value = (\(text))", cellName: "<argument>", output: CollectingOutput()),
           bundle == nil, let value = probe.value(of: "__value") {
            if case .function = value { return .string(text) }
            return value
        }
        return .string(text)
    }
}

/// Plain stdout/stderr for scripts; progress on stderr as one updating bar on a terminal and
/// as plain lines when stderr goes to a pipe or a log file.
final class StandardOutput: OutputSink {
    private let progressWriter = ProgressWriter(handle: .standardError)

    func stream(_ name: StreamName, text: String) {
        progressWriter.close()
        (name == .stdout ? FileHandle.standardOutput : FileHandle.standardError).write(Data(text.utf8))
    }
    func display(_ bundle: DisplayBundle, displayID: String?, update: Bool) {
        if let text = bundle.plainText { stream(.stdout, text: text + "\n") }
    }
    func clearOutput(wait: Bool) {}
    func readInput(prompt: String, password: Bool) throws -> String {
        stream(.stdout, text: prompt)
        guard let line = readLine() else { throw LodeError(.io, "end of input while waiting for input()") }
        return line
    }
    func progress(_ event: ProgressEvent) {
        progressWriter.show(event)
    }
}
