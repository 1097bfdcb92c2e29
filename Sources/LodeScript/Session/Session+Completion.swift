import Foundation

extension Session {
    /// Completion at `cursor` (in code points): commands, variables and keywords; record fields
    /// and object members after `.`; named arguments inside a call; file paths inside strings.
    public func complete(_ code: String, cursor: Int) -> CompletionResult {
        let scanner = CodeScanner(code, cursor: cursor)
        if let stringStart = scanner.openStringStart {
            let typed = scanner.text(stringStart..<scanner.cursor)
            // `use "` names a module of the search paths (or a file beside the script).
            let before = scanner.text(0..<max(0, stringStart - 1)).trimmingCharacters(in: .whitespaces)
            let isModule = before.hasSuffix("use") && !(before.dropLast(3).last.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false)
            let modules = isModule && !typed.contains("/") ? moduleNames.filter { $0.hasPrefix(typed) } : []
            return CompletionResult(matches: modules + Session.pathCompletions(typed).filter { !isModule || !modules.contains($0) },
                                    cursorStart: stringStart, cursorEnd: scanner.cursor)
        }
        let start = scanner.wordStart
        let prefix = scanner.text(start..<scanner.cursor)
        if let chain = scanner.memberChain(before: start) {
            let names = memberNames(of: chain) ?? []
            return CompletionResult(matches: names.filter { $0.hasPrefix(prefix) }.sorted(),
                                    cursorStart: start, cursorEnd: scanner.cursor)
        }
        var matches: [String] = []
        if let call = scanner.enclosingCall(at: start), let function = functionValue(named: call.name) {
            matches += function.parameterNames.dropFirst(max(0, call.positionalCount))
                .filter { $0.hasPrefix(prefix) && !call.usedNames.contains($0) }
                .map { $0 + ":" }
        }
        if !prefix.isEmpty || matches.isEmpty {
            var names = Set(registry.names)
            names.formUnion(globals.userVariables.map(\.name))
            names.formUnion(Session.localNames(in: scanner.text(0..<start)))
            names.formUnion(TokenKind.keywords.keys)
            matches += names.filter { $0.hasPrefix(prefix) }.sorted()
        }
        return CompletionResult(matches: matches, cursorStart: start, cursorEnd: scanner.cursor)
    }

    /// Help for the name at the cursor (or the call the cursor is in): a command's signature,
    /// doc and example; a function's signature; a variable's type and one-line summary.
    public func inspect(_ code: String, cursor: Int) -> String? {
        let scanner = CodeScanner(code, cursor: cursor)
        var start = scanner.wordStart
        var end = scanner.wordEnd
        if start == end, let call = scanner.enclosingCall(at: scanner.cursor) {
            return describe(chain: [call.name])
        }
        if start == end { return nil }
        var chain = scanner.memberChain(before: start) ?? []
        chain.append(scanner.text(start..<end))
        if let text = describe(chain: chain) { return text }
        if let call = scanner.enclosingCall(at: start) {
            start = 0
            end = 0
            return describe(chain: [call.name])
        }
        return nil
    }

    private func describe(chain: [String]) -> String? {
        if chain.count == 1, globals.value(named: chain[0]) == nil, let help = registry.help(chain[0]) {
            return help
        }
        guard let value = resolve(chain) else { return nil }
        let name = chain.joined(separator: ".")
        if case .function(let function) = value {
            return function.command?.helpText ?? "\(name): fn \(function.signature)"
        }
        return "\(name): \(value.typeName)\n\(value.summary)"
    }

    /// The value of `a.b.c` if every step is a variable, record field or object member that
    /// can be read without running code.
    private func resolve(_ chain: [String]) -> LodeValue? {
        guard let first = chain.first, var value = globals.value(named: first) else { return nil }
        for name in chain.dropFirst() {
            switch value {
            case .record(let record):
                guard let field = record[name] else { return nil }
                value = field
            case .object(let object):
                guard let member = try? object.member(name) else { return nil }
                value = member
            default:
                return nil
            }
        }
        return value
    }

    private func memberNames(of chain: [String]) -> [String]? {
        switch resolve(chain) {
        case .record(let record)?: return record.keys
        case .object(let object)?: return object.memberNames
        default: return nil
        }
    }

    private func functionValue(named name: String) -> LodeFunction? {
        if case .function(let function)? = globals.value(named: name) { return function }
        return registry.function(named: name)
    }

    /// Names visible at the end of `code` inside the functions still open there: their
    /// parameters, `for` variables and names assigned in them so far.
    static func localNames(in code: String) -> Set<String> {
        let tokens = Lexer.tokenize(code, file: "<completion>").tokens
        // One entry per open brace: the names it binds, and whether it is a function body.
        var scopes: [(names: Set<String>, inFunction: Bool)] = []
        var pending: Set<String> = []
        var pendingFunction = false
        var index = 0
        func name(_ i: Int) -> String? {
            guard tokens.indices.contains(i), case .identifier(let text) = tokens[i].kind else { return nil }
            return text
        }
        while index < tokens.count {
            switch tokens[index].kind {
            case .kwFn:
                // fn name(a, b) { or fn(a, b) =>
                var i = index + 1
                if name(i) != nil { i += 1 }
                if tokens.indices.contains(i), tokens[i].kind == .leftParen {
                    i += 1
                    var depth = 1
                    while i < tokens.count, depth > 0 {
                        switch tokens[i].kind {
                        case .leftParen, .leftBracket, .leftBrace: depth += 1
                        case .rightParen, .rightBracket, .rightBrace: depth -= 1
                        case .identifier(let text) where depth == 1 && (i == 0 || [.leftParen, .comma].contains(tokens[i - 1].kind)):
                            pending.insert(text)
                        default: break
                        }
                        i += 1
                    }
                    pendingFunction = true
                    index = i
                    continue
                }
            case .kwFor:
                if let variable = name(index + 1) { pending.insert(variable) }
            case .leftBrace:
                let inFunction = pendingFunction || (scopes.last?.inFunction ?? false)
                scopes.append((pending, inFunction))
                pending = []
                pendingFunction = false
            case .rightBrace:
                if !scopes.isEmpty { scopes.removeLast() }
            case .assign:
                if let assigned = name(index - 1), !scopes.isEmpty { scopes[scopes.count - 1].names.insert(assigned) }
            default:
                break
            }
            index += 1
        }
        // Names of an arrow function's parameters stay pending until the end of the line.
        let open = scopes.filter(\.inFunction).reduce(into: Set<String>()) { $0.formUnion($1.names) }
        return pendingFunction ? open.union(pending) : open
    }

    public static func pathCompletions(_ typed: String) -> [String] {
        let expanded = typed.hasPrefix("~/") ? UserDirectories.expandingTilde(typed) : typed
        let directoryPart: String
        let namePrefix: String
        if let slash = typed.lastIndex(of: "/") {
            directoryPart = String(typed[...slash])
            namePrefix = String(typed[typed.index(after: slash)...])
        } else {
            directoryPart = ""
            namePrefix = typed
        }
        let directory: String
        if let slash = expanded.lastIndex(of: "/") {
            directory = String(expanded[...slash])
        } else {
            directory = "."
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return []
        }
        return entries.filter { $0.hasPrefix(namePrefix) && (namePrefix.hasPrefix(".") || !$0.hasPrefix(".")) }
            .sorted()
            .map { entry in
                var isDirectory: ObjCBool = false
                let full = (directory as NSString).appendingPathComponent(entry)
                _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory)
                return directoryPart + entry + (isDirectory.boolValue ? "/" : "")
            }
    }

    /// Whether `code` is a whole cell, needs more lines (open bracket, block, string, or a
    /// trailing operator), or has an error that more lines cannot fix. The REPL and the kernel
    /// both use this.
    public func isComplete(_ code: String) -> Completeness {
        let lexer = Lexer.tokenize(code, file: "<input>")
        if lexer.endsInsideString { return .incomplete(indent: "") }
        let open = lexer.openBrackets.count
        var closers = 0
        var openers = 0
        for token in lexer.tokens {
            switch token.kind {
            case .leftParen, .leftBracket, .leftBrace: openers += 1
            case .rightParen, .rightBracket, .rightBrace: closers += 1
            default: break
            }
        }
        if open > 0 && closers <= openers {
            return .incomplete(indent: String(repeating: "    ", count: open))
        }
        let meaningful = lexer.tokens.filter { $0.kind != .newline && $0.kind != .endOfInput }
        if let last = meaningful.last, last.kind.continuesLine && last.kind != .comma {
            return .incomplete(indent: "    ")
        }
        if !lexer.errors.isEmpty { return .invalid }
        let parser = Parser(lexer: lexer, globals: GlobalTable())
        _ = parser.parseProgram()
        return parser.errors.isEmpty ? .complete : .invalid
    }
}
