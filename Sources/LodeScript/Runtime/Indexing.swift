/// `x[i]` and `x.name` for every kind of value.
enum Indexing {
    static func listIndex(_ key: LodeValue, count: Int, at location: SourceLocation) throws -> Int {
        guard case .number(let number) = key else {
            throw LodeError(.type, "list indices must be integers, got \(key.described)",
                            at: location)
        }
        guard number == number.rounded(), abs(number) < 1e15 else {
            throw LodeError(.type, "list indices must be integers, got \(LodeValue.formatNumber(number))",
                            at: location)
        }
        var index = Int(number)
        if index < 0 { index += count }
        guard index >= 0, index < count else {
            let hint = count == 0 ? "the list is empty"
                : "indices run from 0 to \(count - 1), or from -\(count) to -1 counting from the end"
            throw LodeError(.index,
                "index \(Int(number)) is out of range for a list of \(count) element\(count == 1 ? "" : "s")",
                at: location, hint: hint)
        }
        return index
    }

    static func missingField(_ field: String, in record: LodeRecord,
                             at location: SourceLocation) -> LodeError {
        let hint = Suggestions.hint(for: field, among: record.keys)
            ?? (record.keys.isEmpty ? "the record is empty"
                : "fields are: " + record.keys.joined(separator: ", "))
        return LodeError(.key, "record has no field '\(field)'", at: location, hint: hint)
    }

    static func index(_ container: LodeValue, _ key: LodeValue,
                      at location: SourceLocation) throws -> LodeValue {
        switch container {
        case .list(let elements):
            return elements[try listIndex(key, count: elements.count, at: location)]
        case .string(let text):
            let characters = Array(text)
            let index = try listIndex(key, count: characters.count, at: location)
            return .string(String(characters[index]))
        case .record(let record):
            guard case .string(let field) = key else {
                throw LodeError(.type, "record fields are named by strings, got \(key.described)",
                                at: location)
            }
            guard let value = record[field] else {
                throw missingField(field, in: record, at: location)
            }
            return value
        case .object(let object):
            if let value = try wrap({ try object.index(key) }, at: location) { return value }
            throw LodeError(.type, "\(object.typeName) cannot be indexed with \(key.described)",
                            at: location)
        default:
            throw LodeError(.type, "cannot index \(container.described)", at: location,
                            hint: "only lists, strings, records and some objects can be indexed")
        }
    }

    static func member(_ name: String, of container: LodeValue,
                       at location: SourceLocation) throws -> LodeValue {
        switch container {
        case .record(let record):
            guard let value = record[name] else { throw missingField(name, in: record, at: location) }
            return value
        case .object(let object):
            if let value = try wrap({ try object.member(name) }, at: location) { return value }
            let names = object.memberNames
            let hint = Suggestions.hint(for: name, among: names)
                ?? (names.isEmpty ? nil : "members are: " + names.joined(separator: ", "))
            throw LodeError(.name, "\(object.typeName) has no member '\(name)'", at: location,
                            hint: hint)
        default:
            throw LodeError(.type, "\(container.described) has no member '\(name)'",
                            at: location, hint: "only records and objects have members")
        }
    }

    /// Errors thrown by domain code get the location of the expression that caused them.
    static func wrap<T>(_ body: () throws -> T, at location: SourceLocation) throws -> T {
        do {
            return try body()
        } catch {
            throw LodeError.wrapping(error, at: location)
        }
    }
}
