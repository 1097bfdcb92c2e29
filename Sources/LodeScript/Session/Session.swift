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
    /// Each module's own globals, by canonical path: it runs once; later `use`s copy its names.
    private var modules: [String: GlobalTable] = [:]
    /// Files that never run as modules: the script `lode run` started with.
    private var scripts = Set<String>()
    /// The prelude's globals: what every module sees beside its own names and the commands.
    private var preludeTable: GlobalTable?
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
        interpreter.moduleLoader = { [unowned self] path, location, table in
            try self.load(module: path, from: location, into: table)
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
        let text: String
        do {
            text = try Session.readSource(at: path, what: "script")
        } catch let error as LodeError {
            return .error(name: error.kind.rawValue, message: error.message,
                          traceback: DiagnosticRenderer(sources: sources).renderLines(error))
        } catch {
            return .error(name: LodeError.Kind.io.rawValue, message: "\(error)", traceback: ["\(error)"])
        }
        scripts.insert(URL(fileURLWithPath: path).standardizedFileURL.path)
        return execute(text, cellName: path, output: output)
    }

    /// The text of a script or module file, or an IOError that says why it cannot be had:
    /// missing, a folder, unreadable, or not UTF-8 text (with the offset of the first bad byte).
    static func readSource(at path: String, what: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LodeError(.io, "\(what) file \(path) does not exist",
                            hint: "check the name and the folder (the working directory is \(FileManager.default.currentDirectoryPath))")
        }
        if isDirectory.boolValue {
            throw LodeError(.io, "\(what) \(path) is a folder, not a file",
                            hint: "give the path of a .lode file inside it")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LodeError(.io, "cannot read \(what) file \(path): permission denied or not a regular file",
                            hint: "check its permissions (ls -l \(path))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let offset = Session.firstInvalidUTF8Offset(in: data) ?? 0
            throw LodeError(.io, "\(what) file \(path) is not UTF-8 text (invalid byte at offset \(offset))",
                            hint: "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)")
        }
        return text
    }

    /// Where a byte sequence stops being valid UTF-8.
    static func firstInvalidUTF8Offset(in data: Data) -> Int? {
        let bytes = [UInt8](data)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            if index + length > bytes.count { return index }
            for next in 1..<length where bytes[index + next] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
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
    func parse(_ source: String, file: String, table: GlobalTable? = nil) throws -> Program {
        sources[file] = source
        let lexer = Lexer.tokenize(source, file: file)
        let parser = Parser(lexer: lexer, globals: table ?? globals)
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
        modules.removeAll()
        scripts.removeAll()
        preludeTable = nil
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
                preludeTable = try loadFile(at: path, into: globals)
                preludeNames = Set(globals.userVariables.map(\.name)).subtracting(before)
                return
            }
        }
    }

    /// `use "name"`: a bare name is looked up as name.lode in the search paths; any name is
    /// also tried relative to the folder of the file that uses it.
    func load(module name: String, from location: SourceLocation, into table: GlobalTable) throws {
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
        do {
            _ = try loadFile(at: path, into: table)
        } catch var error as LodeError where error.location == nil {
            error.location = location
            throw error
        }
    }

    /// Runs a module once in its own globals (seeing the prelude and the commands, not the
    /// caller's variables) and copies its names into `table`; returns the module's globals.
    @discardableResult
    private func loadFile(at path: String, into table: GlobalTable) throws -> GlobalTable? {
        let canonical = URL(fileURLWithPath: path).standardizedFileURL.path
        if scripts.contains(canonical) { return nil }
        if let module = modules[canonical] {
            module.export(into: table)
            return module
        }
        let text = try Session.readSource(at: path, what: "module")
        let module = GlobalTable(fallback: preludeTable)
        modules[canonical] = module  // before it runs: a module that uses itself gets what exists
        do {
            let program = try parse(text, file: path, table: module)
            _ = try program.body.evaluate(interpreter, interpreter.topFrame)
            interpreter.control = .none
        } catch {
            modules[canonical] = nil  // fixed and used again, it runs again
            throw error
        }
        module.export(into: table)
        return module
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
