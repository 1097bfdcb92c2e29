/// Recursive-descent parser producing resolved nodes. On a syntax error it records the error,
/// skips to the end of the statement and goes on, so one pass reports several mistakes.
final class Parser {
    private var tokens: [Token]
    private var current = 0
    private let globals: GlobalTable
    private var scope: FunctionScope?
    private var topLevelLoopDepth = 0
    private var nesting = 0
    private(set) var errors: [LodeError]
    static let maximumNesting = 150
    static let maximumErrors = 20

    init(lexer: Lexer, globals: GlobalTable) {
        self.tokens = lexer.tokens
        self.globals = globals
        self.errors = lexer.errors
    }

    // MARK: token helpers

    private var peek: Token { tokens[current] }
    private var previous: Token { tokens[max(0, current - 1)] }

    private func peek(_ offset: Int) -> Token {
        tokens[min(current + offset, tokens.count - 1)]
    }

    private func check(_ kind: TokenKind) -> Bool { peek.kind == kind }

    @discardableResult
    private func advance() -> Token {
        let token = tokens[current]
        if token.kind != .endOfInput { current += 1 }
        return token
    }

    private func match(_ kind: TokenKind) -> Bool {
        if check(kind) { advance(); return true }
        return false
    }

    private func expect(_ kind: TokenKind, _ context: String) throws -> Token {
        if check(kind) { return advance() }
        throw unexpected(expected: "'\(kind.symbol)' \(context)")
    }

    private func unexpected(expected: String) -> LodeError {
        let token = peek
        var hint: String?
        if case .identifier(let name) = previous.kind, token.kind != .newline {
            hint = Suggestions.closest(to: name, among: Array(TokenKind.keywords.keys))
                .map { "did you mean the keyword '\($0)'?" }
        }
        if token.kind == .assign, expected.contains("')'") || expected.contains("'{'") {
            hint = "use '==' to compare"
        }
        return LodeError(.syntax, "expected \(expected), found \(token.kind.display)",
                         at: token.location, hint: hint)
    }

    private func skipNewlines() {
        while check(.newline) || check(.semicolon) { advance() }
    }

    private func skipLineBreaks() {
        while check(.newline) { advance() }
    }

    private func nested<T>(_ body: () throws -> T) throws -> T {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maximumNesting {
            throw LodeError(.syntax, "expression is nested too deeply", at: peek.location,
                            hint: "split it into several statements")
        }
        return try body()
    }

    // MARK: program and statements

    func parseProgram() -> Program {
        let start = peek.location
        var statements: [Node] = []
        var displays = false
        skipNewlines()
        while !check(.endOfInput) && errors.count < Parser.maximumErrors {
            if check(.rightBrace) || check(.rightParen) || check(.rightBracket) {
                errors.append(LodeError(.syntax, "unmatched \(peek.kind.display)", at: peek.location,
                                        hint: "remove it or add the opening bracket"))
                advance()
                skipNewlines()
                continue
            }
            let statementStart = current
            do {
                let statement = try parseStatement()
                statements.append(statement)
                displays = !(statement is StatementNode)
                if check(.semicolon) {
                    displays = false
                } else if !check(.newline) && !check(.endOfInput) {
                    throw unexpected(expected: "end of line after the statement")
                }
            } catch let error as LodeError {
                errors.append(error)
                synchronize(from: statementStart)
            } catch {
                errors.append(LodeError(.syntax, String(describing: error), at: peek.location))
                synchronize(from: statementStart)
            }
            skipNewlines()
        }
        return Program(body: BlockNode(location: start, statements: statements),
                       displaysLastValue: displays)
    }

    /// Skips to the end of the statement that started at token `start`, past any brackets it
    /// opened, so one mistake inside a block does not cascade into more errors.
    private func synchronize(from start: Int) {
        var depth = 0
        for token in tokens[start..<current] {
            switch token.kind {
            case .leftBrace, .leftParen, .leftBracket: depth += 1
            case .rightBrace, .rightParen, .rightBracket: depth = max(0, depth - 1)
            default: break
            }
        }
        while !check(.endOfInput) {
            switch peek.kind {
            case .leftBrace, .leftParen, .leftBracket: depth += 1
            case .rightBrace, .rightParen, .rightBracket:
                if depth == 0 { return }
                depth -= 1
            case .newline, .semicolon:
                if depth == 0 { return }
            default: break
            }
            advance()
        }
    }

    private func parseStatement() throws -> Node {
        switch peek.kind {
        case .kwUse:
            let token = advance()
            guard case .string(let path) = peek.kind else {
                throw unexpected(expected: "a file or module name in quotes after 'use'")
            }
            advance()
            return UseNode(location: token.location, path: path, table: globals)
        case .kwFn:
            if case .identifier = peek(1).kind { return try parseFunctionDefinition() }
            return try parseExpression()
        case .kwWhile:
            let token = advance()
            let condition = try parseCondition()
            let body = try parseLoopBody()
            return WhileNode(location: token.location, condition: condition, body: body)
        case .kwFor:
            let token = advance()
            guard case .identifier(let name) = peek.kind else {
                throw unexpected(expected: "a variable name after 'for'")
            }
            let nameToken = advance()
            _ = try expect(.kwIn, "after the loop variable")
            let iterable = try parseCondition()
            let variable = resolveWrite(name)
            _ = nameToken
            let body = try parseLoopBody()
            return ForNode(location: token.location, variable: variable, iterable: iterable, body: body)
        case .kwBreak, .kwContinue:
            let token = advance()
            let isBreak = token.kind == .kwBreak
            if loopDepth == 0 {
                throw LodeError(.syntax, "'\(isBreak ? "break" : "continue")' outside a loop",
                                at: token.location)
            }
            return BreakNode(location: token.location, signal: isBreak ? .breakLoop : .continueLoop)
        case .kwReturn:
            let token = advance()
            if scope == nil {
                throw LodeError(.syntax, "'return' outside a function", at: token.location)
            }
            if check(.newline) || check(.semicolon) || check(.rightBrace) || check(.endOfInput) {
                return ReturnNode(location: token.location, value: nil)
            }
            return ReturnNode(location: token.location, value: try parseExpression())
        default:
            return try parseExpression()
        }
    }

    private var loopDepth: Int {
        get { scope?.loopDepth ?? topLevelLoopDepth }
        set { if let scope { scope.loopDepth = newValue } else { topLevelLoopDepth = newValue } }
    }

    private func parseLoopBody() throws -> Node {
        loopDepth += 1
        defer { loopDepth -= 1 }
        return try parseBlock()
    }

    /// A condition: an expression where `=` is a mistake for `==`.
    private func parseCondition() throws -> Node {
        let condition = try parsePipe()
        if check(.assign) {
            throw LodeError(.syntax, "assignment is not allowed in a condition", at: peek.location,
                            hint: "use '==' to compare")
        }
        return condition
    }

    private func parseBlock() throws -> BlockNode {
        let open = try expect(.leftBrace, "to start a block")
        return try nested {
            var statements: [Node] = []
            skipNewlines()
            while !check(.rightBrace) {
                if check(.endOfInput) {
                    throw LodeError(.syntax, "unclosed '{'", at: open.location,
                                    hint: "add '}' to close the block")
                }
                statements.append(try parseStatement())
                if !check(.rightBrace) {
                    if !(check(.newline) || check(.semicolon)) {
                        throw unexpected(expected: "end of line or '}'")
                    }
                    skipNewlines()
                }
            }
            advance()
            return BlockNode(location: open.location, statements: statements)
        }
    }

    // MARK: functions

    private func parseFunctionDefinition() throws -> Node {
        let fnToken = advance()
        guard case .identifier(let name) = peek.kind else {
            throw unexpected(expected: "a function name")
        }
        advance()
        // Declared before the body so the function can call itself.
        let target = resolveWrite(name)
        let function = try parseFunctionRest(name: name, location: fnToken.location)
        return FunctionDefinitionNode(location: fnToken.location, function: function, target: target)
    }

    private func parseFunctionRest(name: String, location: SourceLocation) throws -> FunctionNode {
        let outer = scope
        let functionScope = FunctionScope(parent: outer)
        scope = functionScope
        defer { scope = outer }
        let declaration = FunctionDeclaration(
            name: name, location: location,
            body: ConstantNode(location: location, value: .nil))
        let open = try expect(.leftParen, "to start the parameter list")
        var seen = Set<String>()
        while !check(.rightParen) {
            guard case .identifier(let parameter) = peek.kind else {
                if check(.endOfInput) {
                    throw LodeError(.syntax, "unclosed '('", at: open.location)
                }
                throw unexpected(expected: "a parameter name")
            }
            let parameterToken = advance()
            if !seen.insert(parameter).inserted {
                throw LodeError(.syntax, "parameter '\(parameter)' appears twice",
                                at: parameterToken.location)
            }
            let slot = functionScope.declare(parameter)
            var defaultValue: Node?
            if match(.colon) { defaultValue = try parsePipe() }
            declaration.parameters.append(.init(name: parameter, slot: slot, defaultValue: defaultValue))
            if !match(.comma) { break }
        }
        _ = try expect(.rightParen, "to close the parameter list")
        declareAssignedNames(in: functionScope)
        if match(.arrow) {
            declaration.isArrow = true
            declaration.body = try nested { try parseExpression() }
        } else {
            declaration.body = try parseBlock()
        }
        declaration.slotCount = functionScope.slotCount
        declaration.createsClosures = functionScope.createsClosures
        outer?.createsClosures = true
        return FunctionNode(location: location, declaration: declaration, capturesFrame: outer != nil)
    }

    // MARK: names

    private func resolveRead(_ name: String, at location: SourceLocation) -> Node {
        resolveRead(name, at: location, from: scope, depth: 0)
    }

    /// Resolves a read starting at `start`, `depth` frames above the current one. A function
    /// variable's read carries the resolution beyond that function, for when it has no value yet.
    private func resolveRead(_ name: String, at location: SourceLocation, from start: FunctionScope?,
                             depth startDepth: Int) -> Node {
        var depth = startDepth
        var current = start
        while let function = current {
            if let slot = function.lookup(name) {
                let fallback = resolveRead(name, at: location, from: function.parent, depth: depth + 1)
                return depth == 0
                    ? LocalGetNode(location: location, name: name, slot: slot, fallback: fallback)
                    : CapturedGetNode(location: location, name: name, depth: depth, slot: slot,
                                      fallback: fallback)
            }
            depth += 1
            current = function.parent
        }
        return GlobalGetNode(location: location, name: name, table: globals,
                             slot: globals.slot(for: name), shadowsLocal: startDepth > 0)
    }

    private func resolveWrite(_ name: String) -> VariableReference {
        var depth = 0
        var current = scope
        while let function = current {
            if let slot = function.lookup(name) {
                return depth == 0 ? .local(slot) : .captured(depth: depth, slot: slot)
            }
            depth += 1
            current = function.parent
        }
        if let scope { return .local(scope.declare(name)) }
        return .global(globals, globals.slot(for: name))
    }

    /// Gives the function being parsed a slot for every name its body assigns (`name = ...`,
    /// `name[i] = ...`, `for name in`, `fn name`) that is not already a variable of it or of an
    /// enclosing function, before the body is read: a variable belongs to the whole function,
    /// not only to the text after its first assignment. Nested function bodies are skipped —
    /// their names are theirs.
    private func declareAssignedNames(in functionScope: FunctionScope) {
        for name in assignedNames(inBodyAt: current) {
            var owner: FunctionScope? = functionScope
            var found = false
            while let function = owner {
                if function.lookup(name) != nil { found = true; break }
                owner = function.parent
            }
            if !found { _ = functionScope.declare(name) }
        }
    }

    /// The names assigned by the body (`{ ... }` or `=> expression`) that starts at token `start`.
    private func assignedNames(inBodyAt start: Int) -> [String] {
        var names: [String] = []
        _ = scanBody(at: start, collecting: &names)
        return names
    }

    /// Scans a body starting at token `start` and returns the index just past it. With
    /// `collecting`, records the names the body assigns (not those of nested functions).
    private func scanBody(at start: Int, collecting names: inout [String]) -> Int {
        guard start < tokens.count else { return start }
        var index = start
        let isBlock = tokens[index].kind == .leftBrace
        if tokens[index].kind == .arrow { index += 1 }
        var depth = 0
        while index < tokens.count {
            let kind = tokens[index].kind
            switch kind {
            case .endOfInput:
                return index
            case .leftBrace, .leftParen, .leftBracket:
                depth += 1
            case .rightBrace, .rightParen, .rightBracket:
                depth -= 1
                if isBlock && depth == 0 { return index + 1 }
                if depth < 0 { return index }
            case .newline, .semicolon, .comma:
                if !isBlock && depth == 0 { return index }
            case .kwFn:
                var next = index + 1
                if next < tokens.count, case .identifier(let name) = tokens[next].kind {
                    names.append(name)
                    next += 1
                }
                var ignored: [String] = []
                if next < tokens.count, tokens[next].kind == .leftParen {
                    next = skipBrackets(at: next)
                    if next < tokens.count, tokens[next].kind == .arrow || tokens[next].kind == .leftBrace {
                        next = scanBody(at: next, collecting: &ignored)
                    }
                }
                index = next
                continue
            case .kwFor:
                if index + 1 < tokens.count, case .identifier(let name) = tokens[index + 1].kind {
                    names.append(name)
                }
            case .identifier(let name):
                // name = ..., name.field = ..., name[i] = ... (any nesting of the last two)
                var next = index + 1
                while next < tokens.count {
                    if tokens[next].kind == .dot, next + 1 < tokens.count,
                       case .identifier = tokens[next + 1].kind {
                        next += 2
                    } else if tokens[next].kind == .leftBracket {
                        next = skipBrackets(at: next)
                    } else {
                        break
                    }
                }
                if next < tokens.count, tokens[next].kind == .assign,
                   index == 0 || tokens[index - 1].kind != .dot {
                    names.append(name)
                }
            default:
                break
            }
            index += 1
        }
        return index
    }

    /// The index just past the bracket that closes the one at `start`.
    private func skipBrackets(at start: Int) -> Int {
        var depth = 0
        var index = start
        while index < tokens.count {
            switch tokens[index].kind {
            case .leftBrace, .leftParen, .leftBracket: depth += 1
            case .rightBrace, .rightParen, .rightBracket:
                depth -= 1
                if depth == 0 { return index + 1 }
            case .endOfInput: return index
            default: break
            }
            index += 1
        }
        return index
    }

    // MARK: expressions, lowest precedence first

    func parseExpression() throws -> Node {
        try nested {
            let target = try parsePipe()
            guard check(.assign) else { return target }
            let assign = advance()
            let value = try parseExpression()
            return try makeAssignment(target: target, value: value, at: assign.location)
        }
    }

    private func makeAssignment(target: Node, value: Node, at location: SourceLocation) throws -> Node {
        if let name = variableName(of: target) {
            return AssignNode(location: target.location, name: name, target: resolveWrite(name),
                              value: value)
        }
        var path: [AssignPathNode.Component] = []
        var node = target
        while true {
            if let index = node as? IndexNode {
                path.insert(.index(index.index), at: 0)
                node = index.target
            } else if let member = node as? MemberNode {
                path.insert(.member(member.name, member.location), at: 0)
                node = member.target
            } else {
                break
            }
        }
        guard !path.isEmpty, let rootName = variableName(of: node) else {
            throw LodeError(.syntax, "cannot assign to this expression", at: target.location,
                            hint: "assign to a name, an element x[i] or a field x.name")
        }
        return AssignPathNode(location: target.location, rootName: rootName,
                              root: resolveWrite(rootName), rootLocation: node.location,
                              path: path, value: value)
    }

    private func variableName(of node: Node) -> String? {
        if let get = node as? LocalGetNode { return get.name }
        if let get = node as? CapturedGetNode { return get.name }
        if let get = node as? GlobalGetNode { return get.name }
        return nil
    }

    private func parsePipe() throws -> Node {
        var value = try parseOr()
        while check(.pipe) {
            let pipe = advance()
            skipLineBreaks()
            let target = try nested { try parsePostfix() }
            if let call = target as? CallNode {
                value = call.prepending(value, at: pipe.location)
            } else {
                value = CallNode(location: pipe.location, callee: target, positional: [value],
                                 names: [], nameLocations: [], named: [])
            }
        }
        return value
    }

    private func parseOr() throws -> Node {
        var value = try parseAnd()
        while check(.kwOr) {
            let token = advance()
            let rhs = try nested { try parseAnd() }
            value = LogicalNode(location: token.location, isAnd: false, lhs: value, rhs: rhs)
        }
        return value
    }

    private func parseAnd() throws -> Node {
        var value = try parseNot()
        while check(.kwAnd) {
            let token = advance()
            let rhs = try nested { try parseNot() }
            value = LogicalNode(location: token.location, isAnd: true, lhs: value, rhs: rhs)
        }
        return value
    }

    private func parseNot() throws -> Node {
        if check(.kwNot) {
            let token = advance()
            let operand = try nested { try parseNot() }
            return NotNode(location: token.location, operand: operand)
        }
        return try parseComparison()
    }

    private func comparisonOperator(_ kind: TokenKind) -> BinaryOperator? {
        switch kind {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        default: return nil
        }
    }

    /// One level of left-associative binary operators (`a - b - c` is `(a - b) - c`).
    private func parseLeftAssociative(_ operand: () throws -> Node,
                                      _ operatorFor: (TokenKind) -> BinaryOperator?) throws -> Node {
        var value = try operand()
        while let op = operatorFor(peek.kind) {
            let token = advance()
            let rhs = try nested { try operand() }
            value = BinaryNode(location: token.location, op: op, lhs: value, rhs: rhs)
        }
        return value
    }

    private func parseComparison() throws -> Node {
        try parseLeftAssociative(parseAdditive, comparisonOperator)
    }

    private func parseAdditive() throws -> Node {
        try parseLeftAssociative(parseMultiplicative) { kind in
            kind == .plus ? .add : kind == .minus ? .subtract : nil
        }
    }

    private func parseMultiplicative() throws -> Node {
        try parseLeftAssociative(parseUnary) { kind in
            switch kind {
            case .star: return .multiply
            case .slash: return .divide
            case .percent: return .remainder
            default: return nil
            }
        }
    }

    private func parseUnary() throws -> Node {
        if check(.minus) || check(.plus) {
            let token = advance()
            let operand = try nested { try parseUnary() }
            if token.kind == .minus, let constant = operand as? ConstantNode,
               case .number(let number) = constant.value {
                return ConstantNode(location: token.location, value: .number(-number))
            }
            return UnaryNode(location: token.location, op: token.kind == .minus ? .negate : .plus,
                             operand: operand)
        }
        return try parsePower()
    }

    private func parsePower() throws -> Node {
        let base = try parsePostfix()
        if check(.caret) {
            let token = advance()
            // Right-associative and binds tighter than unary minus: -2^2 == -4, 2^3^2 == 512.
            let exponent = try nested { try parseUnary() }
            return BinaryNode(location: token.location, op: .power, lhs: base, rhs: exponent)
        }
        return base
    }

    private func parsePostfix() throws -> Node {
        var value = try parsePrimary()
        while true {
            if check(.leftParen) {
                value = try parseCall(callee: value)
            } else if check(.leftBracket) {
                let open = advance()
                let index = try nested { try parseExpression() }
                if !check(.rightBracket) {
                    if check(.endOfInput) {
                        throw LodeError(.syntax, "unclosed '['", at: open.location)
                    }
                    throw unexpected(expected: "']' to close the index")
                }
                advance()
                value = IndexNode(location: open.location, target: value, index: index)
            } else if check(.dot) {
                advance()
                guard case .identifier(let name) = peek.kind else {
                    throw unexpected(expected: "a member name after '.'")
                }
                let nameToken = advance()
                value = MemberNode(location: nameToken.location, target: value, name: name)
            } else {
                return value
            }
        }
    }

    private func parseCall(callee: Node) throws -> Node {
        let open = advance()
        return try nested {
            var positional: [Node] = []
            var names: [String] = []
            var nameLocations: [SourceLocation] = []
            var named: [Node] = []
            while !check(.rightParen) {
                if check(.endOfInput) {
                    throw LodeError(.syntax, "unclosed '('", at: open.location,
                                    hint: "add ')' to close the argument list")
                }
                if case .identifier(let name) = peek.kind, peek(1).kind == .colon {
                    let nameToken = advance()
                    advance()
                    if names.contains(name) {
                        throw LodeError(.syntax, "argument '\(name)' is given twice",
                                        at: nameToken.location)
                    }
                    names.append(name)
                    nameLocations.append(nameToken.location)
                    named.append(try parseExpression())
                } else {
                    let argument = try parseExpression()
                    if !named.isEmpty {
                        throw LodeError(.syntax, "positional argument after a named argument",
                                        at: argument.location,
                                        hint: "put positional arguments first, then name: value pairs")
                    }
                    positional.append(argument)
                }
                if !match(.comma) {
                    if !check(.rightParen) {
                        if check(.endOfInput) {
                            throw LodeError(.syntax, "unclosed '('", at: open.location,
                                            hint: "add ')' to close the argument list")
                        }
                        throw unexpected(expected: "',' or ')' in the argument list")
                    }
                }
            }
            advance()
            let call = CallNode(location: callee.location, callee: callee, positional: positional,
                                names: names, nameLocations: nameLocations, named: named)
            if let global = callee as? GlobalGetNode, global.name == "time",
               positional.count == 1, named.isEmpty {
                return TimeNode(call: call, table: global.table, slot: global.slot)
            }
            return call
        }
    }

    private func parsePrimary() throws -> Node {
        let token = peek
        switch token.kind {
        case .number(let value):
            advance()
            return ConstantNode(location: token.location, value: .number(value))
        case .string(let value):
            advance()
            return ConstantNode(location: token.location, value: .string(value))
        case .kwTrue:
            advance()
            return ConstantNode(location: token.location, value: .bool(true))
        case .kwFalse:
            advance()
            return ConstantNode(location: token.location, value: .bool(false))
        case .kwNil:
            advance()
            return ConstantNode(location: token.location, value: .nil)
        case .identifier(let name):
            advance()
            return resolveRead(name, at: token.location)
        case .leftParen:
            advance()
            let inner = try nested { try parseExpression() }
            if !check(.rightParen) {
                if check(.endOfInput) {
                    throw LodeError(.syntax, "unclosed '('", at: token.location,
                                    hint: "add ')' to close it")
                }
                throw unexpected(expected: "')'")
            }
            advance()
            return inner
        case .leftBracket:
            return try parseList()
        case .leftBrace:
            return try parseRecord()
        case .kwFn:
            advance()
            let name = "fn"
            if case .identifier(let given) = peek.kind {
                throw LodeError(.syntax, "a named function '\(given)' must be defined on its own line",
                                at: peek.location,
                                hint: "write 'fn \(given)(...) { ... }' as a statement, or use 'fn(...) => ...' here")
            }
            return try nested { try parseFunctionRest(name: name, location: token.location) }
        case .kwIf:
            return try parseIf()
        default:
            throw unexpected(expected: "an expression")
        }
    }

    private func parseIf() throws -> Node {
        let token = advance()
        return try nested {
            let condition = try parseCondition()
            let thenBranch = try parseBlock()
            var elseBranch: Node?
            // `else` may follow on the next line.
            var lookahead = current
            while tokens[lookahead].kind == .newline { lookahead += 1 }
            if tokens[lookahead].kind == .kwElse {
                current = lookahead
                advance()
                if check(.kwIf) {
                    elseBranch = try parseIf()
                } else {
                    elseBranch = try parseBlock()
                }
            }
            return IfNode(location: token.location, condition: condition, thenBranch: thenBranch,
                          elseBranch: elseBranch)
        }
    }

    private func parseList() throws -> Node {
        let open = advance()
        return try nested {
            var elements: [Node] = []
            while !check(.rightBracket) {
                if check(.endOfInput) {
                    throw LodeError(.syntax, "unclosed '['", at: open.location,
                                    hint: "add ']' to close the list")
                }
                elements.append(try parseExpression())
                if !match(.comma), !check(.rightBracket) {
                    throw unexpected(expected: "',' or ']' in the list")
                }
            }
            advance()
            return ListNode(location: open.location, elements: elements)
        }
    }

    private func parseRecord() throws -> Node {
        let open = advance()
        return try nested {
            var keys: [String] = []
            var values: [Node] = []
            skipLineBreaks()
            while !check(.rightBrace) {
                if check(.endOfInput) {
                    throw LodeError(.syntax, "unclosed '{'", at: open.location,
                                    hint: "add '}' to close the record")
                }
                let keyToken = peek
                let key: String
                switch keyToken.kind {
                case .identifier(let name): key = name
                case .string(let text): key = text
                default: throw unexpected(expected: "a field name in the record")
                }
                advance()
                if keys.contains(key) {
                    throw LodeError(.syntax, "field '\(key)' appears twice in the record",
                                    at: keyToken.location)
                }
                _ = try expect(.colon, "after the field name")
                keys.append(key)
                values.append(try parseExpression())
                skipLineBreaks()
                if !match(.comma), !check(.rightBrace) {
                    throw unexpected(expected: "',' or '}' in the record")
                }
                skipLineBreaks()
            }
            advance()
            return RecordNode(location: open.location, keys: keys, values: values)
        }
    }
}
