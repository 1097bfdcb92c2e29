import Foundation
import LodeKernel

/// A test double of the interpreter interface: each cell is one scripted command, so the
/// kernel's transport, dispatch and publishing can be checked without the language.
final class ScriptedInterpreter: KernelInterpreter {
    private let lock = NSLock()
    private var interrupted = false
    private(set) var shutdownRestart: Bool?
    var variables: [String: String] = [:]
    /// `block` waits for this before failing, so a test can queue requests behind it.
    let release = DispatchSemaphore(value: 0)

    let kernelInfo = KernelInfo(implementation: "scripted", implementationVersion: "0", languageName: "scripted",
                                languageVersion: "0", mimetype: "text/plain", fileExtension: ".txt",
                                pygmentsLexer: "text", codemirrorMode: "null", banner: "scripted double",
                                helpLinks: [.init(text: "help", url: "https://example.org")])

    func execute(_ request: ExecuteRequest, publisher: OutputPublisher) -> ExecuteReply {
        lock.lock(); interrupted = false; lock.unlock()
        let words = request.code.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = words.count > 1 ? words[1] : ""
        switch words.first ?? "" {
        case "print": publisher.stream(.stdout, argument + "\n")
        case "warn": publisher.stream(.stderr, argument + "\n")
        case "value": publisher.result(executionCount: request.executionCount, .plain(argument))
        case "set":
            let pair = argument.split(separator: "=").map(String.init)
            variables[pair[0]] = pair[1]
        case "get": publisher.result(executionCount: request.executionCount, .plain(variables[argument] ?? "nil"))
        case "flood": publisher.stream(.stdout, String(repeating: "x", count: Int(argument) ?? 0))
        case "display":
            publisher.display(MimeBundle(data: ["text/plain": "figure", "image/png": "iVBORw0KGgo="]), displayID: "progress-1")
            publisher.updateDisplay(.plain("50%"), displayID: "progress-1")
            publisher.clearOutput(wait: true)
        case "block":
            release.wait()
            return fail(publisher, KernelError(name: "Blocked", value: "released", traceback: []))
        case "help": return ExecuteReply(status: .ok, pagerText: "help text")
        case "spin":
            while true {
                lock.lock(); let stop = interrupted; lock.unlock()
                if stop { break }
                Thread.sleep(forTimeInterval: 0.005)
            }
            return fail(publisher, KernelError(name: "Interrupted", value: "the cell was interrupted", traceback: []))
        case "ask":
            do {
                let answer = try publisher.inputRequest(prompt: "name? ", password: false)
                publisher.stream(.stdout, "hello \(answer)\n")
            } catch {
                return fail(publisher, KernelError(name: "InputError", value: "\(error)", traceback: []))
            }
        default:
            return fail(publisher, KernelError(name: "UnknownCommand", value: request.code, traceback: ["at cell"]))
        }
        var expressions: [String: UserExpressionResult] = [:]
        for (name, expression) in request.userExpressions {
            expressions[name] = variables[expression].map { .value(.plain($0)) }
                ?? .error(KernelError(name: "NameError", value: expression, traceback: []))
        }
        return ExecuteReply(status: .ok, userExpressions: expressions)
    }

    private func fail(_ publisher: OutputPublisher, _ error: KernelError) -> ExecuteReply {
        publisher.error(error)
        return ExecuteReply(status: .error(error))
    }

    func complete(code: String, cursor: Int) -> CompletionReply {
        let prefix = String(code.unicodeScalars.prefix(cursor))
        let word = prefix.split(separator: " ").last.map(String.init) ?? ""
        let matches = ["print", "prints", "value", "välue"].filter { $0.hasPrefix(word) }
        return CompletionReply(matches: matches, cursorStart: cursor - word.unicodeScalars.count, cursorEnd: cursor)
    }

    func inspect(code: String, cursor: Int, detailLevel: Int) -> InspectReply {
        code.hasPrefix("print") ? InspectReply(found: true, data: ["text/plain": "print TEXT: writes TEXT"]) : .notFound
    }

    func isComplete(code: String) -> CodeCompleteness {
        if code.hasSuffix("{") { return .incomplete(indent: "    ") }
        if code.hasPrefix("}") { return .invalid }
        return .complete
    }

    func interrupt() { lock.lock(); interrupted = true; lock.unlock() }
    func shutdown(restart: Bool) { shutdownRestart = restart }
}
