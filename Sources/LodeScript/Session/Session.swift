import Foundation

/// One interpreter state (globals, loaded modules, the command registry) behind a front end:
/// the REPL, `lode run`, or the Jupyter kernel. Cells run one at a time; `requestInterrupt`
/// may be called from any thread (or a signal handler) while a cell runs.
public final class Session {
    public let registry: CommandRegistry
    public private(set) var executionCount = 0
    /// Directories searched for `use "name"` (as name.lode), before the using file's folder.
    public var searchPaths: [String]
    let globals = GlobalTable()
    let interpreter: Interpreter
    private var sources: [String: String] = [:]
    private var loadedModules = Set<String>()
    private var preludeLoaded = false
    /// Names the prelude defined, left out of `variables`.
    private var preludeNames = Set<String>()
    /// Stack size for the thread that runs a cell: deep (but bounded) recursion must not
    /// overflow whatever thread the front end calls from.
    static let stackSize = 64 << 20

    public init(searchPaths: [String] = [], registry: CommandRegistry? = nil) {
        let registry = registry ?? CommandRegistry()
        Builtins.register(in: registry)
        self.registry = registry
        self.searchPaths = searchPaths
        self.interpreter = Interpreter(globals: globals, registry: registry, output: DiscardingOutput())
        interpreter.rangeFunction = registry.function(named: "range")
        interpreter.moduleLoader = { [unowned self] path, location in
            try self.load(module: path, from: location)
        }
    }

    // MARK: running code

    /// Runs a cell. Output goes to `output` as it happens; the last expression's value (unless
    /// the cell ends with `;`) comes back as a display bundle.
    public func execute(_ source: String, cellName: String, output: OutputSink) -> ExecutionOutcome {
        executionCount += 1
        var outcome = ExecutionOutcome.ok(nil)
        Session.withLargeStack {
            outcome = self.executeNow(source, file: cellName, output: output)
        }
        return outcome
    }

    /// Runs a whole file as `lode run` does.
    public func run(file path: String, output: OutputSink) -> ExecutionOutcome {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .error(name: LodeError.Kind.io.rawValue, message: "cannot read \(path)",
                          traceback: ["IOError: cannot read \(path)"])
        }
        loadedModules.insert(URL(fileURLWithPath: path).standardizedFileURL.path)
        return execute(text, cellName: path, output: output)
    }

    private func executeNow(_ source: String, file: String, output: OutputSink) -> ExecutionOutcome {
        interpreter.output = output
        interpreter.control = .none
        interpreter.depth = 0
        interpreter.steps = 0
        _ = interpreter.interruptRequested.exchange(false, ordering: .relaxed)
        do {
            try loadPreludeIfNeeded()
            let program = try parse(source, file: file)
            let value = try program.body.evaluate(interpreter, interpreter.topFrame)
            interpreter.control = .none
            if program.displaysLastValue, case .nil = value { return .ok(nil) }
            return .ok(program.displaysLastValue ? Builtins.displayBundle(for: value) : nil)
        } catch let errors as LodeErrors {
            interpreter.control = .none
            let renderer = DiagnosticRenderer(sources: sources)
            var lines: [String] = []
            for (index, error) in errors.errors.enumerated() {
                if index > 0 { lines.append("") }
                lines += renderer.renderLines(error)
            }
            let first = errors.errors.first ?? LodeError(.syntax, "syntax error")
            return .error(name: first.kind.rawValue, message: first.message, traceback: lines)
        } catch {
            interpreter.control = .none
            let lodeError = LodeError.wrapping(error, at: nil)
            return .error(name: lodeError.kind.rawValue, message: lodeError.message,
                          traceback: DiagnosticRenderer(sources: sources).renderLines(lodeError))
        }
    }

    /// Parses source into a program, registering it for diagnostics; throws all syntax errors.
    func parse(_ source: String, file: String) throws -> Program {
        sources[file] = source
        let lexer = Lexer.tokenize(source, file: file)
        let parser = Parser(lexer: lexer, globals: globals)
        let program = parser.parseProgram()
        if !parser.errors.isEmpty {
            // A bad character already explains the rest of its line: drop the parser's
            // follow-on complaints about that line.
            let lexicalLines = Set(lexer.errors.compactMap { $0.location?.line })
            let parserOnly = parser.errors.dropFirst(lexer.errors.count).filter {
                !lexicalLines.contains($0.location?.line ?? -1)
            }
            throw LodeErrors(errors: (lexer.errors + parserOnly).sorted {
                ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0)
            })
        }
        return program
    }

    /// Renders an outcome's error the way front ends print it.
    public func renderedError(_ outcome: ExecutionOutcome) -> String? {
        if case .error(_, _, let traceback) = outcome { return traceback.joined(separator: "\n") }
        return nil
    }

    /// Stops the running cell at its next check (every loop iteration and call). Thread-safe.
    public func requestInterrupt() {
        interpreter.interruptRequested.store(true, ordering: .relaxed)
    }

    /// Caps loop iterations plus calls per cell (nil: no cap). The fuzzer uses this.
    public var stepLimit: Int? {
        get { interpreter.stepLimit == Int.max ? nil : interpreter.stepLimit }
        set { interpreter.stepLimit = newValue ?? Int.max }
    }

    /// Deepest nesting of Lode function calls before a recursion error.
    public var maximumCallDepth: Int {
        get { interpreter.maximumDepth }
        set { interpreter.maximumDepth = newValue }
    }

    // MARK: variables

    /// User variables in the order they were defined (not the prelude's helpers).
    public var variables: [(name: String, value: LodeValue)] {
        globals.userVariables.filter { !preludeNames.contains($0.name) }
    }

    public func value(of name: String) -> LodeValue? { globals.value(named: name) }

    public func setVariable(_ name: String, _ value: LodeValue) { globals.set(name, value) }

    /// Forgets every variable and loaded module (the registry stays).
    public func reset() {
        globals.clear()
        loadedModules.removeAll()
        preludeLoaded = false
    }

    // MARK: modules

    private func loadPreludeIfNeeded() throws {
        guard !preludeLoaded else { return }
        preludeLoaded = true
        for directory in searchPaths {
            let path = (directory as NSString).appendingPathComponent("prelude.lode")
            if FileManager.default.fileExists(atPath: path) {
                let before = Set(globals.userVariables.map(\.name))
                try loadFile(at: path)
                preludeNames = Set(globals.userVariables.map(\.name)).subtracting(before)
                return
            }
        }
    }

    /// `use "name"`: a bare name is looked up as name.lode in the search paths; any name is
    /// also tried relative to the folder of the file that uses it.
    func load(module name: String, from location: SourceLocation) throws {
        let fileName = name.hasSuffix(".lode") ? name : name + ".lode"
        var candidates: [String] = []
        if !name.contains("/") {
            candidates += searchPaths.map { ($0 as NSString).appendingPathComponent(fileName) }
        }
        let baseDirectory = sources[location.file] != nil && FileManager.default.fileExists(atPath: location.file)
            ? (location.file as NSString).deletingLastPathComponent
            : FileManager.default.currentDirectoryPath
        candidates.append(fileName.hasPrefix("/") ? fileName
                          : (baseDirectory as NSString).appendingPathComponent(fileName))
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            let known = searchPaths.flatMap { directory in
                ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                    .filter { $0.hasSuffix(".lode") }.map { String($0.dropLast(5)) }
            }
            throw LodeError(.io, "cannot find module '\(name)'", at: location,
                            hint: Suggestions.hint(for: name, among: known)
                                ?? "looked in: " + candidates.joined(separator: ", "))
        }
        try loadFile(at: path)
    }

    private func loadFile(at path: String) throws {
        let canonical = URL(fileURLWithPath: path).standardizedFileURL.path
        guard loadedModules.insert(canonical).inserted else { return }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw LodeError(.io, "cannot read \(path)")
        }
        let program = try parse(text, file: path)
        _ = try program.body.evaluate(interpreter, interpreter.topFrame)
        interpreter.control = .none
    }

    // MARK: threads

    /// Runs `body` on a thread with a large stack and waits until that thread has ended, so
    /// everything the body held is released when this returns. Front ends that free deeply
    /// nested values themselves can use it too.
    public static func withLargeStack(_ body: @escaping () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, stackSize)
        defer { pthread_attr_destroy(&attributes) }
        let context = Unmanaged.passRetained(WorkBox(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            let work = Unmanaged<WorkBox>.fromOpaque(raw).takeRetainedValue()
            work.body()
            return nil
        }, context)
        guard status == 0 else {
            // No thread could be made: run here rather than not at all.
            Unmanaged<WorkBox>.fromOpaque(context).release()
            body()
            return
        }
        pthread_join(thread, nil)
    }
}

private final class WorkBox {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// Used before a cell gives the session its real sink.
final class DiscardingOutput: OutputSink {
    func stream(_ name: StreamName, text: String) {}
    func display(_ bundle: DisplayBundle, displayID: String?, update: Bool) {}
    func clearOutput(wait: Bool) {}
    func readInput(prompt: String, password: Bool) throws -> String {
        throw LodeError(.io, "no input available")
    }
    func progress(_ event: ProgressEvent) {}
}
