import Foundation
/// Where a running cell sends its output. The REPL writes to the terminal; the Jupyter kernel
/// publishes messages. Methods may be called from the thread that runs the cell.
public protocol OutputSink: AnyObject {
    func stream(_ name: StreamName, text: String)
    func display(_ bundle: DisplayBundle, displayID: String?, update: Bool)
    func clearOutput(wait: Bool)
    /// Answers `input(prompt)`; throws if the front end cannot ask (e.g. no terminal).
    func readInput(prompt: String, password: Bool) throws -> String
    func progress(_ event: ProgressEvent)
}

/// Named `StreamName` rather than `OutputStream`, which Foundation already defines.
public enum StreamName: String, Sendable {
    case stdout, stderr
}

/// A value's representations by MIME type ("text/plain", "text/html", "image/png" as base64,
/// "image/svg+xml").
public struct DisplayBundle: Equatable, Sendable {
    public var data: [String: String]
    public var metadata: [String: String]

    public init(data: [String: String], metadata: [String: String] = [:]) {
        self.data = data
        self.metadata = metadata
    }

    public init(plainText: String) {
        self.init(data: ["text/plain": plainText])
    }

    public var plainText: String? { data["text/plain"] }
}

/// Progress of long work. `fraction` is in 0...1 when known; `eta` in seconds when known;
/// `finished` is sent once at the end so a bar can be closed.
public struct ProgressEvent: Sendable, Equatable {
    public var fraction: Double?
    public var message: String
    public var eta: Double?
    public var finished: Bool

    public init(fraction: Double?, message: String, eta: Double? = nil, finished: Bool = false) {
        self.fraction = fraction
        self.message = message
        self.eta = eta
        self.finished = finished
    }
}

/// Which progress events become a line where a bar cannot be redrawn (a log file, a pipe, a
/// console front end): the first of a run, each further tenth at least `interval` seconds
/// after the last line, and the last. One rule for every front end that writes lines.
public struct ProgressLineThrottle: Sendable {
    public let interval: TimeInterval
    private var lastTenth = -1
    private var lastLine = Date.distantPast

    public init(interval: TimeInterval = 2) { self.interval = interval }

    /// True when `event` gets a line at time `now`; a finished event ends the run.
    public mutating func admits(_ event: ProgressEvent, at now: Date = Date()) -> Bool {
        let tenth = event.fraction.map { Int((min(max($0, 0), 1) * 10).rounded(.down)) } ?? lastTenth
        let first = lastTenth < 0
        guard first || event.finished || (tenth > lastTenth && now.timeIntervalSince(lastLine) >= interval) else { return false }
        lastTenth = max(tenth, 0)
        lastLine = now
        if event.finished { reset() }
        return true
    }

    /// Forgets the run: the next event starts a new one.
    public mutating func reset() {
        lastTenth = -1
        lastLine = .distantPast
    }
}

public enum ExecutionOutcome: Sendable {
    case ok(DisplayBundle?)
    /// `name` is the error kind ("NameError"), `message` the one-line message, `traceback` the
    /// rendered diagnostic lines (location, source line, caret, hint, call stack).
    case error(name: String, message: String, traceback: [String])
}

public enum Completeness: Equatable, Sendable {
    case complete
    /// More lines are needed; `indent` is a suggested indentation for the next line.
    case incomplete(indent: String)
    case invalid
}

/// Replacement candidates for the text between `cursorStart` and `cursorEnd` (code points).
public struct CompletionResult: Equatable, Sendable {
    public var matches: [String]
    public var cursorStart: Int
    public var cursorEnd: Int

    public init(matches: [String], cursorStart: Int, cursorEnd: Int) {
        self.matches = matches
        self.cursorStart = cursorStart
        self.cursorEnd = cursorEnd
    }
}

/// A sink that collects everything in memory: for `lode run` tests, the fuzzer and unit tests.
public final class CollectingOutput: OutputSink {
    public private(set) var stdout = ""
    public private(set) var stderr = ""
    public private(set) var displays: [DisplayBundle] = []
    public private(set) var progressEvents: [ProgressEvent] = []
    public private(set) var clearCount = 0
    public var inputs: [String] = []

    public init() {}

    public func stream(_ name: StreamName, text: String) {
        if name == .stdout { stdout += text } else { stderr += text }
    }

    public func display(_ bundle: DisplayBundle, displayID: String?, update: Bool) {
        displays.append(bundle)
    }

    public func clearOutput(wait: Bool) {
        clearCount += 1
        stdout = ""
        stderr = ""
        displays = []
    }

    public func readInput(prompt: String, password: Bool) throws -> String {
        stdout += prompt
        guard !inputs.isEmpty else {
            throw LodeError(.io, "no input available for input(\(LodeValue.quote(prompt)))")
        }
        return inputs.removeFirst()
    }

    public func progress(_ event: ProgressEvent) {
        progressEvents.append(event)
    }
}
