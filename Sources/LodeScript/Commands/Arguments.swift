/// The arguments a command implementation receives: every parameter by name, already matched
/// to the signature, with defaults applied and types checked. The typed accessors throw a
/// clear error (never crash) if an implementation asks for something its signature does not
/// guarantee.
public struct Arguments {
    public let command: String
    public let values: [String: LodeValue]
    /// Extra positional arguments collected by a variadic parameter.
    public let rest: [LodeValue]
    public let context: CallContext

    public init(command: String, values: [String: LodeValue], rest: [LodeValue] = [],
                context: CallContext) {
        self.command = command
        self.values = values
        self.rest = rest
        self.context = context
    }

    public subscript(name: String) -> LodeValue { values[name] ?? .nil }

    private func mismatch(_ name: String, _ expected: String) -> LodeError {
        LodeError(.type,
            "argument '\(name)' of \(command)() must be \(expected), got \(self[name].described)",
            at: context.location)
    }

    public func number(_ name: String) throws -> Double {
        guard case .number(let value) = self[name] else { throw mismatch(name, "a number") }
        return value
    }

    public func integer(_ name: String) throws -> Int {
        guard case .number(let value) = self[name], value == value.rounded(),
              abs(value) < 9e15 else { throw mismatch(name, "an integer") }
        return Int(value)
    }

    public func string(_ name: String) throws -> String {
        guard case .string(let value) = self[name] else { throw mismatch(name, "a string") }
        return value
    }

    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let value) = self[name] else { throw mismatch(name, "true or false") }
        return value
    }

    public func list(_ name: String) throws -> [LodeValue] {
        guard case .list(let value) = self[name] else { throw mismatch(name, "a list") }
        return value
    }

    public func record(_ name: String) throws -> LodeRecord {
        guard case .record(let value) = self[name] else { throw mismatch(name, "a record") }
        return value
    }

    /// A domain object of a given Swift class.
    public func object<T>(_ name: String, as type: T.Type) throws -> T {
        guard case .object(let object) = self[name], let typed = object as? T else {
            throw mismatch(name, "a \(String(describing: T.self).lowercased())")
        }
        return typed
    }

    public func isNil(_ name: String) -> Bool {
        if case .nil = self[name] { return true }
        return false
    }

    /// Calls a function value (a Lode `fn`, a command, or a callable object).
    public func call(_ name: String, _ arguments: [LodeValue]) throws -> LodeValue {
        try context.call(self[name], arguments)
    }
}
