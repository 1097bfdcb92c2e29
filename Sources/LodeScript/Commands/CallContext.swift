/// What a running command may use from the interpreter: the output sink, interruption checks,
/// progress reports, and calling back into Lode functions (for map/filter/reduce and for
/// domain commands that take a function).
public struct CallContext {
    unowned let interpreter: Interpreter
    /// Where the command was called from.
    public let location: SourceLocation?

    init(interpreter: Interpreter, location: SourceLocation?) {
        self.interpreter = interpreter
        self.location = location
    }

    public var output: OutputSink { interpreter.output }

    /// Throws the "interrupted" error if the user asked to stop. Long commands call this at
    /// least every 100 ms of work.
    public func checkInterrupt() throws {
        try interpreter.checkInterrupt(at: location)
    }

    public var isInterruptRequested: Bool { interpreter.isInterruptRequested }

    public func progress(_ event: ProgressEvent) {
        interpreter.output.progress(event)
    }

    public func call(_ function: LodeValue, _ arguments: [LodeValue],
                     named: [(String, LodeValue)] = []) throws -> LodeValue {
        try interpreter.callValue(function, positional: arguments.map { .init(value: $0, location: location) },
                                  named: named.map { .init(name: $0.0, value: $0.1, location: location) },
                                  at: location ?? SourceLocation(file: "<native>", line: 0, column: 0))
    }

    /// Runs another file of Lode source in the session's global scope (used by `use`).
    public var currentFile: String { location?.file ?? "" }
}
