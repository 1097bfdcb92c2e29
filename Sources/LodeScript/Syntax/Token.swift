/// The kinds of token the lexer produces. Keywords are their own kinds so the parser can match
/// them without string comparisons.
public enum TokenKind: Equatable, Sendable {
    case number(Double)
    case string(String)
    case identifier(String)
    // keywords
    case kwFn, kwIf, kwElse, kwFor, kwIn, kwWhile, kwBreak, kwContinue, kwReturn, kwUse
    case kwAnd, kwOr, kwNot, kwTrue, kwFalse, kwNil
    // punctuation
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    case comma, dot, colon, semicolon, newline
    // operators
    case plus, minus, star, slash, percent, caret
    case assign, equal, notEqual, less, lessEqual, greater, greaterEqual
    case pipe, arrow
    case endOfInput

    static let keywords: [String: TokenKind] = [
        "fn": .kwFn, "if": .kwIf, "else": .kwElse, "for": .kwFor, "in": .kwIn,
        "while": .kwWhile, "break": .kwBreak, "continue": .kwContinue, "return": .kwReturn,
        "use": .kwUse, "and": .kwAnd, "or": .kwOr, "not": .kwNot, "true": .kwTrue,
        "false": .kwFalse, "nil": .kwNil,
    ]

    /// How the token reads in an error message.
    public var display: String {
        switch self {
        case .number(let value): return "number \(LodeValue.number(value).summary)"
        case .string: return "a string"
        case .identifier(let name): return "'\(name)'"
        case .newline: return "end of line"
        case .endOfInput: return "end of input"
        default:
            if let word = TokenKind.keywords.first(where: { $0.value == self })?.key {
                return "'\(word)'"
            }
            return "'\(symbol)'"
        }
    }

    var symbol: String {
        switch self {
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .leftBrace: return "{"
        case .rightBrace: return "}"
        case .comma: return ","
        case .dot: return "."
        case .colon: return ":"
        case .semicolon: return ";"
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .slash: return "/"
        case .percent: return "%"
        case .caret: return "^"
        case .assign: return "="
        case .equal: return "=="
        case .notEqual: return "!="
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        case .pipe: return "|>"
        case .arrow: return "=>"
        default: return ""
        }
    }

    /// Binary operators that may end a line and continue the expression on the next one.
    var continuesLine: Bool {
        switch self {
        case .plus, .minus, .star, .slash, .percent, .caret, .assign, .equal, .notEqual,
             .less, .lessEqual, .greater, .greaterEqual, .pipe, .arrow, .kwAnd, .kwOr, .comma:
            return true
        default:
            return false
        }
    }
}

public struct Token: Sendable {
    public var kind: TokenKind
    public var location: SourceLocation
}
