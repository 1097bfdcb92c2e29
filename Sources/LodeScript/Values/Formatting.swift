/// How values read as text. `summary` is the one-line form the REPL shows (strings quoted);
/// `printed` is what `print` and `str` produce (strings as they are).
extension LodeValue {
    /// The REPL's one-line summary shows this many elements of a list; `print` and `str` show
    /// up to `maximumPrintedElements` (a user who prints a list wants all of it).
    static let maximumShownElements = 100
    static let maximumPrintedElements = 100_000

    public var summary: String { format(quoted: true, depth: 0) }

    public var printed: String { format(quoted: false, depth: 0) }

    func format(quoted: Bool, depth: Int) -> String {
        switch self {
        case .nil: return "nil"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return LodeValue.formatNumber(value)
        case .string(let value): return quoted ? LodeValue.quote(value) : value
        case .list(let elements):
            if depth > 8 { return "[…]" }
            let shown = quoted ? LodeValue.maximumShownElements : LodeValue.maximumPrintedElements
            var parts = elements.prefix(shown).map {
                $0.format(quoted: true, depth: depth + 1)
            }
            if elements.count > shown {
                parts.append("… \(elements.count - shown) more")
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case .record(let record):
            if depth > 8 { return "{…}" }
            let parts = record.fields.map {
                LodeValue.formatKey($0.key) + ": " + $0.value.format(quoted: true, depth: depth + 1)
            }
            return "{" + parts.joined(separator: ", ") + "}"
        case .function(let function): return function.summary
        case .object(let object):
            // print(table) shows the table, not its one-line summary.
            if !quoted, depth == 0, let printable = object as? TextPrintable { return printable.printedText }
            return object.summary
        }
    }

    /// Integers print without a fraction; other numbers in the shortest form that reads back
    /// to the same value.
    public static func formatNumber(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e15 {
            return value == 0 ? "0" : String(Int64(value))
        }
        return "\(value)"
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\0": result += "\\0"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    static func formatKey(_ key: String) -> String {
        let isIdentifier = key.unicodeScalars.first.map { $0 == "_" || $0.properties.isAlphabetic } ?? false
            && key.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            && TokenKind.keywords[key] == nil
        return isIdentifier ? key : quote(key)
    }

    /// A short description for error messages: the type and, for small values, the value.
    var described: String {
        switch self {
        case .nil: return "nil"
        case .function(let function): return function.summary
        case .object(let object): return object.summary
        case .list(let elements): return "a list of \(elements.count)"
        case .record: return "a record"
        default:
            let text = summary
            return text.count <= 40 ? "\(typeName) \(text)" : typeName
        }
    }
}
