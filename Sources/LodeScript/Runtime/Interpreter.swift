import Synchronization

/// The evaluation state of a session: globals, the pending break/continue/return, call depth,
/// the step budget and the interruption flag. Nodes call back into it for the operations that
/// need state.
public final class Interpreter {
    let globals: GlobalTable
    let registry: CommandRegistry
    var output: OutputSink
    var control = ControlSignal.none
    var returnValue = LodeValue.nil
    var depth = 0
    /// Lode calls deeper than this raise a recursion error instead of overflowing the stack.
    var maximumDepth = 400
    /// Loop iterations and calls so far, against `stepLimit` (the fuzzer's budget).
    var steps = 0
    var stepLimit = Int.max
    let interruptRequested = Atomic<Bool>(false)
    /// Loads a module for `use` into the table of the code that uses it; set by the session.
    var moduleLoader: ((String, SourceLocation, GlobalTable) throws -> Void)?
    /// The builtin `range`, recognised by `for` loops to count without building a list.
    var rangeFunction: LodeFunction?
    let topFrame = Frame(slotCount: 0, parent: nil)

    init(globals: GlobalTable, registry: CommandRegistry, output: OutputSink) {
        self.globals = globals
        self.registry = registry
        self.output = output
    }

    // MARK: interruption and budget

    var isInterruptRequested: Bool { interruptRequested.load(ordering: .relaxed) }

    /// Called on every loop iteration and call: cheap unless something asks to stop.
    @inline(__always)
    func shouldStop() -> Bool {
        steps &+= 1
        return steps > stepLimit || interruptRequested.load(ordering: .relaxed)
    }

    func stop(at location: SourceLocation) throws {
        if interruptRequested.exchange(false, ordering: .relaxed) {
            throw LodeError(.interrupted, "execution interrupted", at: location,
                            hint: "variables keep the values they had when the work stopped")
        }
        if steps > stepLimit {
            throw LodeError(.budget, "step budget of \(stepLimit) exceeded", at: location)
        }
    }

    func checkInterrupt(at location: SourceLocation?) throws {
        if interruptRequested.exchange(false, ordering: .relaxed) {
            throw LodeError(.interrupted, "execution interrupted", at: location,
                            hint: "variables keep the values they had when the work stopped")
        }
    }

    // MARK: variables

    @inline(__always)
    func write(_ value: LodeValue, to reference: VariableReference, frame: Frame) {
        switch reference {
        case .local(let slot):
            frame.slots[slot] = value
        case .captured(let depth, let slot):
            frame.ancestor(depth).slots[slot] = value
        case .global(let table, let slot):
            table.values[slot] = value
            if !table.isUserDefined[slot] { table.isUserDefined[slot] = true }
        }
    }

    /// Moves a variable's value out of its slot (leaving nil) so it can be updated in place;
    /// nil when the variable has no value yet.
    func take(_ reference: VariableReference, frame: Frame) -> LodeValue? {
        switch reference {
        case .local(let slot):
            let value = frame.slots[slot]
            if Frame.isUnassigned(value) { return nil }
            frame.slots[slot] = .nil
            return value
        case .captured(let depth, let slot):
            let owner = frame.ancestor(depth)
            let value = owner.slots[slot]
            if Frame.isUnassigned(value) { return nil }
            owner.slots[slot] = .nil
            return value
        case .global(let table, let slot):
            guard table.isUserDefined[slot], let value = table.values[slot] else { return nil }
            table.values[slot] = .nil
            return value
        }
    }

    /// A global slot with no value: a name of the module's fallback (the prelude), a command of
    /// that name, or an unknown name. Found values are cached in the slot (not as variables).
    func missingGlobal(table: GlobalTable, slot: Int, name: String, at location: SourceLocation,
                       shadowsLocal: Bool = false) throws -> LodeValue {
        if let value = table.fallback?.value(named: name) {
            table.values[slot] = value
            return value
        }
        if let function = registry.function(named: name) {
            table.values[slot] = .function(function)
            return .function(function)
        }
        var error = try unknownName(name, at: location, table: table)
        if shadowsLocal {
            error.message = "'\(name)' has no value yet"
            error.hint = "it is assigned later in this function (or only on some paths): give it a value before this line, e.g. \(name) = 0"
        }
        throw error
    }

    func unknownName(_ name: String, at location: SourceLocation,
                     table: GlobalTable? = nil) throws -> LodeError {
        let candidates = (table ?? globals).userVariables.map(\.name) + registry.names
            + Array(TokenKind.keywords.keys)
        var hint = Suggestions.hint(for: name, among: candidates)
        if hint == nil, name.first?.isUppercase == false, let entry = registry.names.first(where: {
            $0.lowercased() == name.lowercased() }) {
            hint = "did you mean '\(entry)'?"
        }
        return LodeError(.name, "unknown name '\(name)'", at: location, hint: hint)
    }

    // MARK: calls

    func callValue(_ callee: LodeValue, positional: [ArgumentMatcher.Given],
                   named: [ArgumentMatcher.NamedGiven], at location: SourceLocation) throws -> LodeValue {
        if shouldStop() { try stop(at: location) }
        switch callee {
        case .function(let function):
            switch function.implementation {
            case .lode(let declaration, let captured):
                return try callLode(declaration, captured: captured, positional: positional,
                                    named: named, at: location)
            case .native(let command, let matcher):
                return try callNative(command, matcher: matcher, positional: positional,
                                      named: named, at: location)
            }
        case .object(let object as CallableObject):
            let context = CallContext(interpreter: self, location: location)
            return try Indexing.wrap({
                try object.call(positional.map(\.value), named: named.map { ($0.name, $0.value) },
                                context: context)
            }, at: location)
        default:
            throw LodeError(.type, "cannot call \(callee.described)", at: location,
                            hint: "only functions and commands can be called")
        }
    }

    private func callLode(_ declaration: FunctionDeclaration, captured: Frame?,
                          positional: [ArgumentMatcher.Given], named: [ArgumentMatcher.NamedGiven],
                          at location: SourceLocation) throws -> LodeValue {
        let frame = Frame(slotCount: declaration.slotCount, parent: captured ?? topFrame)
        if named.isEmpty && positional.count == declaration.parameters.count {
            for index in positional.indices {
                frame.slots[declaration.parameters[index].slot] = positional[index].value
            }
        } else {
            let matched = try declaration.matcher.match(positional: positional, named: named,
                                                        callLocation: location)
            for (index, parameter) in declaration.parameters.enumerated() {
                if let value = matched.values[index] {
                    frame.slots[parameter.slot] = value
                } else if let defaultValue = parameter.defaultValue {
                    frame.slots[parameter.slot] = try defaultValue.evaluate(self, frame)
                }
            }
        }
        if depth >= maximumDepth {
            throw LodeError(.recursion,
                "recursion too deep (more than \(maximumDepth) nested calls) in \(declaration.name)()",
                at: location, hint: "check that the function has a case that stops calling itself")
        }
        depth += 1
        defer { depth -= 1 }
        do {
            var value = try declaration.body.evaluate(self, frame)
            if control == .returning {
                control = .none
                value = returnValue
                returnValue = .nil
            }
            if declaration.createsClosures { frame.releaseOwnClosures() }
            return value
        } catch var error as LodeError {
            if declaration.createsClosures { frame.releaseOwnClosures() }
            error.traceback.insert(.init(function: declaration.name, location: location), at: 0)
            throw error
        }
    }

    private func callNative(_ command: CommandEntry, matcher: ArgumentMatcher,
                            positional: [ArgumentMatcher.Given], named: [ArgumentMatcher.NamedGiven],
                            at location: SourceLocation) throws -> LodeValue {
        let matched = try matcher.match(positional: positional, named: named, callLocation: location)
        var values: [String: LodeValue] = [:]
        values.reserveCapacity(command.parameters.count)
        for (index, parameter) in command.parameters.enumerated() where !parameter.isVariadic {
            let value: LodeValue
            if let given = matched.values[index] {
                value = given
                if !parameter.type.accepts(given) {
                    let argumentLocation = named.first { $0.name == parameter.name }?.location
                        ?? (index < positional.count ? positional[index].location : nil)
                    throw LodeError(.type,
                        "argument '\(parameter.name)' of \(command.name)() must be \(parameter.type.article), got \(given.described)",
                        at: argumentLocation ?? location, hint: "signature: \(command.signature)")
                }
                if case .number(let number) = given, parameter.type.takesNumbers,
                   !number.isFinite || parameter.range?.contains(number) == false {
                    let argumentLocation = named.first { $0.name == parameter.name }?.location
                        ?? (index < positional.count ? positional[index].location : nil)
                    let expected = number.isFinite ? (parameter.range?.display ?? "") : "a finite number"
                    throw LodeError(.argument,
                        "argument '\(parameter.name)' of \(command.name)() must be \(expected), got \(LodeValue.number(number).summary)",
                        at: argumentLocation ?? location,
                        hint: parameter.documentation.isEmpty ? "signature: \(command.signature)"
                            : "\(parameter.name): \(parameter.documentation)")
                }
            } else {
                value = parameter.defaultValue ?? .nil
            }
            values[parameter.name] = value
        }
        if let variadic = command.parameters.first(where: \.isVariadic) {
            for (offset, value) in matched.rest.enumerated() where !variadic.type.accepts(value) {
                let index = (command.parameters.firstIndex { $0.isVariadic } ?? 0) + offset
                throw LodeError(.type,
                    "arguments of \(command.name)() must be \(variadic.type.article), got \(value.described)",
                    at: index < positional.count ? positional[index].location : location)
            }
        }
        let arguments = Arguments(command: command.name, values: values, rest: matched.rest,
                                  context: CallContext(interpreter: self, location: location))
        do {
            return try command.implementation(arguments)
        } catch let error as LodeError {
            // Work that stopped because the user asked it to is an interruption, whatever
            // error the library used to stop it.
            if error.kind != .interrupted, interruptRequested.exchange(false, ordering: .relaxed) {
                throw LodeError(.interrupted, "\(command.name)() interrupted", at: location,
                                hint: "variables keep the values they had when the work stopped")
            }
            throw error.location == nil ? LodeError.wrapping(error, at: location) : error
        } catch {
            if interruptRequested.exchange(false, ordering: .relaxed) {
                throw LodeError(.interrupted, "\(command.name)() interrupted", at: location,
                                hint: "variables keep the values they had when the work stopped")
            }
            var wrapped = LodeError.wrapping(error, at: location)
            wrapped.message = "\(command.name)(): \(wrapped.message)"
            throw wrapped
        }
    }

    // MARK: iteration

    func elements(of value: LodeValue, at location: SourceLocation) throws -> [LodeValue] {
        switch value {
        case .list(let elements): return elements
        case .string(let text): return text.map { .string(String($0)) }
        case .record(let record): return record.keys.map { .string($0) }
        case .object(let object):
            if let elements = try Indexing.wrap({ try object.elements() }, at: location) {
                return elements
            }
        default: break
        }
        throw LodeError(.type, "cannot loop over \(value.described)", at: location,
                        hint: "loop over a list, a string, a record's keys, or range(n)")
    }
}
