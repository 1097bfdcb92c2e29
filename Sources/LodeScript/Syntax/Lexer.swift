/// Turns source text into tokens. Newlines are statement separators only where statements can
/// appear (top level and inside `{ }`); inside `( )` and `[ ]` they are skipped, and a line that
/// ends with a binary operator or starts with `|>` continues the previous one. Errors are
/// collected rather than thrown so the parser can report them together with its own.
public struct Lexer {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private var position = 0
    private var line = 1
    private var column = 1
    private var brackets: [TokenKind] = []
    public private(set) var tokens: [Token] = []
    public private(set) var errors: [LodeError] = []
    /// True when the text ends inside a string literal (the REPL then asks for more lines).
    public private(set) var endsInsideString = false

    public init(_ source: String, file: String) {
        self.scalars = Array(source.unicodeScalars)
        self.file = file
    }

    public static func tokenize(_ source: String, file: String) -> Lexer {
        var lexer = Lexer(source, file: file)
        lexer.run()
        return lexer
    }

    /// Depth of open brackets at the end of the text (for multi-line input).
    public var openBrackets: [TokenKind] { brackets }

    private mutating func run() {
        while position < scalars.count {
            let startLine = line, startColumn = column
            let scalar = scalars[position]
            switch scalar {
            case " ", "\t", "\r":
                advance()
            case "#":
                while position < scalars.count, scalars[position] != "\n" { advance() }
            case "\n":
                advance()
                emitNewline(line: startLine, column: startColumn)
            case "0"..."9":
                lexNumber()
            case "\"", "'":
                lexString(quote: scalar)
            default:
                if isIdentifierStart(scalar) {
                    lexIdentifier()
                } else {
                    lexPunctuation(scalar, line: startLine, column: startColumn)
                }
            }
        }
        emitNewline(line: line, column: column)
        add(.endOfInput, line: line, column: column, length: 1)
    }

    private mutating func advance() {
        if scalars[position] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        position += 1
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let index = position + offset
        return index < scalars.count ? scalars[index] : nil
    }

    private mutating func add(_ kind: TokenKind, line: Int, column: Int, length: Int) {
        tokens.append(Token(kind: kind, location: SourceLocation(
            file: file, line: line, column: column, length: length)))
    }

    private mutating func emitNewline(line: Int, column: Int) {
        if let top = brackets.last, top != .leftBrace { return }
        guard let last = tokens.last else { return }
        if last.kind == .newline || last.kind == .leftBrace || last.kind == .semicolon
            || last.kind.continuesLine { return }
        if nextLineStartsWithPipe() { return }
        add(.newline, line: line, column: column, length: 1)
    }

    /// Looks past blank space and comments for a `|>` that continues the expression.
    private func nextLineStartsWithPipe() -> Bool {
        var index = position
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n" {
                index += 1
            } else if scalar == "#" {
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
            } else {
                return scalar == "|" && index + 1 < scalars.count && scalars[index + 1] == ">"
            }
        }
        return false
    }

    private func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic
    }

    private func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || ("0"..."9").contains(scalar)
    }

    private mutating func lexIdentifier() {
        let startLine = line, startColumn = column
        var text = String.UnicodeScalarView()
        while let scalar = peek(), isIdentifierPart(scalar) {
            text.append(scalar)
            advance()
        }
        let word = String(text)
        let kind = TokenKind.keywords[word] ?? .identifier(word)
        add(kind, line: startLine, column: startColumn, length: text.count)
    }

    private mutating func lexNumber() {
        let startLine = line, startColumn = column
        var text = ""
        func digits(_ lexer: inout Lexer) {
            while let scalar = lexer.peek(), ("0"..."9").contains(scalar) || scalar == "_" {
                if scalar != "_" { text.unicodeScalars.append(scalar) }
                lexer.advance()
            }
        }
        digits(&self)
        if peek() == ".", let next = peek(1), ("0"..."9").contains(next) {
            text += "."
            advance()
            digits(&self)
        }
        if let e = peek(), e == "e" || e == "E" {
            var offset = 1
            if let sign = peek(1), sign == "+" || sign == "-" { offset = 2 }
            if let digit = peek(offset), ("0"..."9").contains(digit) {
                text += "e"
                advance()
                if offset == 2 { text.unicodeScalars.append(peek()!); advance() }
                digits(&self)
            }
        }
        let length = column - startColumn
        if let scalar = peek(), isIdentifierStart(scalar) {
            errors.append(LodeError(.syntax, "malformed number",
                at: SourceLocation(file: file, line: startLine, column: startColumn,
                                   length: length + 1),
                hint: "put an operator or a space between a number and a name"))
        }
        add(.number(Double(text) ?? 0), line: startLine, column: startColumn, length: length)
    }

    private mutating func lexString(quote: Unicode.Scalar) {
        let startLine = line, startColumn = column
        advance()
        var text = String.UnicodeScalarView()
        while true {
            guard let scalar = peek() else {
                endsInsideString = true
                errors.append(LodeError(.syntax, "unterminated string",
                    at: SourceLocation(file: file, line: startLine, column: startColumn),
                    hint: "close the string with \(quote)"))
                add(.string(String(text)), line: startLine, column: startColumn, length: 1)
                return
            }
            if scalar == quote { advance(); break }
            if scalar == "\\" {
                let escapeLine = line, escapeColumn = column
                advance()
                guard let escaped = peek() else { continue }
                advance()
                switch escaped {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                case "0": text.append("\0")
                case "\\": text.append("\\")
                case "\"": text.append("\"")
                case "'": text.append("'")
                case "u":
                    if let value = lexUnicodeEscape() {
                        text.append(value)
                    } else {
                        errors.append(LodeError(.syntax, "invalid unicode escape",
                            at: SourceLocation(file: file, line: escapeLine, column: escapeColumn,
                                               length: 2),
                            hint: "write \\u{41} with 1 to 8 hexadecimal digits"))
                    }
                default:
                    errors.append(LodeError(.syntax, "unknown escape '\\\(escaped)' in string",
                        at: SourceLocation(file: file, line: escapeLine, column: escapeColumn,
                                           length: 2),
                        hint: "escapes are \\n \\t \\r \\0 \\\\ \\\" \\' and \\u{...}"))
                }
                continue
            }
            text.append(scalar)
            advance()
        }
        add(.string(String(text)), line: startLine, column: startColumn,
            length: column - startColumn)
    }

    private mutating func lexUnicodeEscape() -> Unicode.Scalar? {
        guard peek() == "{" else { return nil }
        advance()
        var hex = ""
        while let scalar = peek(), scalar != "}", hex.count < 9 {
            hex.unicodeScalars.append(scalar)
            advance()
        }
        guard peek() == "}" else { return nil }
        advance()
        guard !hex.isEmpty, hex.count <= 8, let value = UInt32(hex, radix: 16) else { return nil }
        return Unicode.Scalar(value)
    }

    private mutating func lexPunctuation(_ scalar: Unicode.Scalar, line: Int, column: Int) {
        let next = peek(1)
        var kind: TokenKind?
        var length = 1
        switch scalar {
        case "(": kind = .leftParen
        case ")": kind = .rightParen
        case "[": kind = .leftBracket
        case "]": kind = .rightBracket
        case "{": kind = .leftBrace
        case "}": kind = .rightBrace
        case ",": kind = .comma
        case ".": kind = .dot
        case ":": kind = .colon
        case ";": kind = .semicolon
        case "+": kind = .plus
        case "-": kind = .minus
        case "*": kind = .star
        case "/": kind = .slash
        case "%": kind = .percent
        case "^": kind = .caret
        case "=":
            if next == "=" { kind = .equal; length = 2 }
            else if next == ">" { kind = .arrow; length = 2 }
            else { kind = .assign }
        case "!":
            if next == "=" { kind = .notEqual; length = 2 }
        case "<":
            if next == "=" { kind = .lessEqual; length = 2 } else { kind = .less }
        case ">":
            if next == "=" { kind = .greaterEqual; length = 2 } else { kind = .greater }
        case "|":
            if next == ">" { kind = .pipe; length = 2 }
        default:
            break
        }
        for _ in 0..<length { advance() }
        guard let kind else {
            var hint: String?
            switch scalar {
            case "!": hint = "write 'not' for negation, or '!=' for inequality"
            case "&": hint = "write 'and'"
            case "|": hint = "write 'or', or '|>' for the pipe"
            default: hint = nil
            }
            errors.append(LodeError(.syntax, "unexpected character '\(scalar)'",
                at: SourceLocation(file: file, line: line, column: column), hint: hint))
            return
        }
        switch kind {
        case .leftParen, .leftBracket, .leftBrace:
            brackets.append(kind)
        case .rightParen, .rightBracket, .rightBrace:
            // A stray closer is reported by the parser; here it only must not underflow.
            if !brackets.isEmpty { brackets.removeLast() }
        default:
            break
        }
        add(kind, line: line, column: column, length: length)
    }
}
