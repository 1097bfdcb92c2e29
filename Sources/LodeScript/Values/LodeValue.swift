/// A Lode value. Numbers are stored inline (no allocation per arithmetic operation); lists and
/// records have value semantics (copy on write); functions and domain objects are references.
public enum LodeValue {
    case `nil`
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([LodeValue])
    case record(LodeRecord)
    case function(LodeFunction)
    case object(LodeObject)

    /// The type name shown by `type(x)` and in error messages.
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .list: return "list"
        case .record: return "record"
        case .function: return "function"
        case .object(let object): return object.typeName
        }
    }

    /// Only `false` and `nil` are false in conditions.
    public var isTruthy: Bool {
        switch self {
        case .nil: return false
        case .bool(let value): return value
        default: return true
        }
    }

    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var listValue: [LodeValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    public var recordValue: LodeRecord? {
        if case .record(let value) = self { return value }
        return nil
    }
}

extension LodeValue: Equatable {
    /// Structural equality for plain data; identity for functions and objects (unless an
    /// object defines `==` through `OperatorOverloadable`).
    public static func == (lhs: LodeValue, rhs: LodeValue) -> Bool {
        switch (lhs, rhs) {
        case (.nil, .nil): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.list(a), .list(b)): return a == b
        case let (.record(a), .record(b)): return a == b
        case let (.function(a), .function(b)): return a === b
        case let (.object(a), .object(b)): return a === b
        default: return false
        }
    }
}

extension LodeValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByNilLiteral
{
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: LodeValue...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .nil }
}
