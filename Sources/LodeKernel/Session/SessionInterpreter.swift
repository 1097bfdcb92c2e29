import Foundation
import LodeScript

/// Serves a LodeScript `Session` through the kernel's interpreter interface: cells run in the
/// session, their output goes to the publisher, and the kernel handles everything Jupyter.
public final class SessionInterpreter: KernelInterpreter {
    public let session: Session
    public let version: String

    public let helpLinks: [KernelInfo.HelpLink]

    public init(session: Session, version: String = LodeVersion.current, helpLinks: [KernelInfo.HelpLink] = []) {
        self.session = session
        self.version = version
        self.helpLinks = helpLinks
        RichContentCommands.register(in: session.registry)
    }

    public var kernelInfo: KernelInfo {
        KernelInfo(implementation: "lode", implementationVersion: version, languageName: "lode",
                   languageVersion: version, mimetype: "text/x-lode", fileExtension: ".lode",
                   // The Pygments lexer of python/lode_pygments (pip-installable) colours nbconvert
                   // and Sphinx output. Of CodeMirror's modes Ruby's is closest: # comments, both
                   // quote styles, and true/false/nil, and/or/not, if/else/for/in/while as keywords.
                   pygmentsLexer: "lode", codemirrorMode: "ruby",
                   banner: "Lode \(version): geochemical prospecting, from samples to prospectivity maps.\nhelp(\"name\") or ?name shows a command's documentation.",
                   helpLinks: helpLinks)
    }

    public func execute(_ request: ExecuteRequest, publisher: OutputPublisher) -> ExecuteReply {
        if let name = Session.helpTarget(request.code) {
            return ExecuteReply(status: .ok, pagerText: session.documentation(of: name).text)
        }
        if session.asksToExit(request.code) {
            publisher.stream(.stdout, "Leaving: a console closes now; a notebook keeps running (use its Kernel menu to shut down).\n")
            return ExecuteReply(status: .ok, asksToExit: true)
        }
        let sink = PublishingSink(publisher: publisher, updatesInPlace: request.updatesDisplays)
        let outcome = session.execute(request.code, cellName: "In[\(request.executionCount)]", output: sink)
        sink.finishProgress()
        switch outcome {
        case .ok(let bundle):
            if let bundle { publisher.result(executionCount: request.executionCount, bundle) }
            return ExecuteReply(status: .ok, userExpressions: evaluate(request.userExpressions))
        case .error(let name, let message, let traceback):
            let error = KernelError(name: name, value: message, traceback: traceback)
            publisher.error(error)
            return ExecuteReply(status: .error(error))
        }
    }

    /// Each user expression is evaluated after the cell, its output discarded.
    private func evaluate(_ expressions: [String: String]) -> [String: UserExpressionResult] {
        expressions.mapValues { code in
            switch session.execute(code, cellName: "<user expression>", output: CollectingOutput()) {
            case .ok(let bundle): return .value(bundle ?? DisplayBundle(plainText: "nil"))
            case .error(let name, let message, let traceback):
                return .error(KernelError(name: name, value: message, traceback: traceback))
            }
        }
    }

    public func complete(code: String, cursor: Int) -> CompletionReply {
        session.complete(code, cursor: cursor)
    }

    public func inspect(code: String, cursor: Int, detailLevel: Int) -> InspectReply {
        guard let text = session.inspect(code, cursor: cursor) else { return .notFound }
        return InspectReply(found: true, data: ["text/plain": text])
    }

    public func isComplete(code: String) -> CodeCompleteness {
        switch session.isComplete(code) {
        case .complete: return .complete
        case .incomplete(let indent): return .incomplete(indent: indent)
        case .invalid: return .invalid
        }
    }

    public func interrupt() { session.requestInterrupt() }

    public func shutdown(restart: Bool) {}
}
