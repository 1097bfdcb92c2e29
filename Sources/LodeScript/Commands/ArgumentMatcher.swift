/// Matches a call's positional and named arguments to a parameter list. Shared by commands and
/// by functions written in Lode, so both report the same errors in the same words.
struct ArgumentMatcher {
    struct Slot {
        var name: String
        var hasDefault: Bool
        var isVariadic: Bool
    }

    /// One argument as written in the call, with where it was written (for error carets).
    struct Given {
        var value: LodeValue
        var location: SourceLocation?
    }

    struct NamedGiven {
        var name: String
        var value: LodeValue
        var location: SourceLocation?
    }

    let functionName: String
    let slots: [Slot]
    let signature: String

    /// Returns one entry per parameter (nil when not given, so the default applies) and the
    /// extra positional values collected by a variadic parameter.
    func match(positional: [Given], named: [NamedGiven], callLocation: SourceLocation?)
        throws -> (values: [LodeValue?], rest: [LodeValue])
    {
        var values = [LodeValue?](repeating: nil, count: slots.count)
        var rest: [LodeValue] = []
        let variadicIndex = slots.firstIndex { $0.isVariadic }
        let positionalCapacity = variadicIndex ?? slots.count
        for (index, argument) in positional.enumerated() {
            if index < positionalCapacity {
                values[index] = argument.value
            } else if variadicIndex != nil {
                rest.append(argument.value)
            } else {
                let count = positional.count
                throw LodeError(.argument,
                    "\(functionName)() takes \(positionalCapacity) positional argument\(positionalCapacity == 1 ? "" : "s") but \(count) \(count == 1 ? "was" : "were") given",
                    at: argument.location ?? callLocation, hint: "signature: \(signature)")
            }
        }
        for argument in named {
            guard let index = slots.firstIndex(where: { $0.name == argument.name && !$0.isVariadic }) else {
                let names = slots.filter { !$0.isVariadic }.map(\.name)
                let hint = Suggestions.hint(for: argument.name, among: names)
                    ?? (names.isEmpty ? "\(functionName)() takes no named arguments"
                        : "parameters are: " + names.joined(separator: ", "))
                throw LodeError(.argument,
                    "\(functionName)() has no parameter named '\(argument.name)'",
                    at: argument.location ?? callLocation, hint: hint)
            }
            if values[index] != nil {
                throw LodeError(.argument,
                    "argument '\(argument.name)' of \(functionName)() is given twice",
                    at: argument.location ?? callLocation,
                    hint: "it was already given by position")
            }
            values[index] = argument.value
        }
        for (index, slot) in slots.enumerated()
        where values[index] == nil && !slot.hasDefault && !slot.isVariadic {
            throw LodeError(.argument,
                "\(functionName)() is missing argument '\(slot.name)'",
                at: callLocation, hint: "signature: \(signature)")
        }
        return (values, rest)
    }
}
