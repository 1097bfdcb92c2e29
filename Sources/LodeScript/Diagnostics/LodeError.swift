/// The one error type of the language. Syntax errors, runtime errors and errors thrown by
/// command implementations all end up here, with where it happened, an optional hint, and
/// the Lode-level call stack (innermost last) when it crossed function calls.
public struct LodeError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case syntax = "SyntaxError"
        case name = "NameError"
        case type = "TypeError"
        case argument = "ArgumentError"
        case index = "IndexError"
        case key = "KeyError"
        case arithmetic = "ArithmeticError"
        case assertion = "AssertionError"
        case recursion = "RecursionError"
        case interrupted = "Interrupted"
        case budget = "BudgetExceeded"
        case io = "IOError"
        case command = "CommandError"
    }

    /// One frame of the Lode call stack: the function's name and where it was called from.
    public struct Frame: Equatable, Sendable {
        public var function: String
        public var location: SourceLocation
        public init(function: String, location: SourceLocation) {
            self.function = function
            self.location = location
        }
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?
    public var hint: String?
    /// Outermost call first.
    public var traceback: [Frame] = []

    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil,
                hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.hint = hint
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }

    /// Wraps any Swift error (for instance from a command implementation) as a LodeError.
    public static func wrapping(_ error: Error, at location: SourceLocation?) -> LodeError {
        if var lode = error as? LodeError {
            if lode.location == nil { lode.location = location }
            return lode
        }
        return LodeError(.command, String(describing: error), at: location)
    }
}

/// Several errors found in one pass (the parser keeps going after the first syntax error).
public struct LodeErrors: Error, Sendable {
    public var errors: [LodeError]
}
