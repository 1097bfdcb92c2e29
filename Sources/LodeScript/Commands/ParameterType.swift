/// The type a command parameter accepts. Checked before the implementation runs, so a wrong
/// argument gets an error naming the parameter instead of failing deep inside a command.
public indirect enum ParameterType: Sendable, Equatable {
    case any
    case number
    /// A number with no fraction.
    case integer
    case string
    case bool
    case list
    case record
    case function
    /// A domain object whose `typeName` is the given name (e.g. "raster").
    case object(String)
    case oneOf([ParameterType])
    /// The type, or nil.
    case optional(ParameterType)

    public var display: String {
        switch self {
        case .any: return "any"
        case .number: return "number"
        case .integer: return "integer"
        case .string: return "string"
        case .bool: return "bool"
        case .list: return "list"
        case .record: return "record"
        case .function: return "function"
        case .object(let name): return name
        case .oneOf(let types): return types.map(\.display).joined(separator: " or ")
        case .optional(let type): return type.display + " or nil"
        }
    }

    /// The phrase for "must be ..." in an error message.
    var article: String {
        switch self {
        case .any: return "any value"
        case .integer: return "an integer"
        case .oneOf, .optional: return display
        default:
            let name = display
            let vowel = name.first.map { "aeiou".contains($0) } ?? false
            return (vowel ? "an " : "a ") + name
        }
    }

    /// True when a number given for the parameter must be finite (and in its range, if any).
    var takesNumbers: Bool {
        switch self {
        case .number, .integer: return true
        case .optional(let type): return type.takesNumbers
        case .oneOf(let types): return types.contains { $0.takesNumbers }
        default: return false
        }
    }

    public func accepts(_ value: LodeValue) -> Bool {
        switch (self, value) {
        case (.any, _): return true
        case (.number, .number): return true
        case (.integer, .number(let number)): return number == number.rounded() && number.isFinite
        case (.string, .string), (.bool, .bool), (.list, .list), (.record, .record),
             (.function, .function): return true
        case (.function, .object(let object)): return object is CallableObject
        case (.object(let name), .object(let object)): return object.typeName == name
        case (.oneOf(let types), _): return types.contains { $0.accepts(value) }
        case (.optional, .nil): return true
        case (.optional(let type), _): return type.accepts(value)
        default: return false
        }
    }
}
