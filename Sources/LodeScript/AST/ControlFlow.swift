/// What a `break`, `continue` or `return` asks the enclosing loop or call to do. Kept as a
/// flag on the interpreter (checked after each statement) instead of a thrown error, so
/// leaving a loop or function costs no allocation.
enum ControlSignal: UInt8 {
    case none, breakLoop, continueLoop, returning
}

final class IfNode: Node {
    let location: SourceLocation
    let condition: Node
    let thenBranch: Node
    let elseBranch: Node?

    init(location: SourceLocation, condition: Node, thenBranch: Node, elseBranch: Node?) {
        self.location = location
        self.condition = condition
        self.thenBranch = thenBranch
        self.elseBranch = elseBranch
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        if try condition.evaluate(interpreter, frame).isTruthy {
            return try thenBranch.evaluate(interpreter, frame)
        }
        return try elseBranch?.evaluate(interpreter, frame) ?? .nil
    }
}

final class WhileNode: StatementNode {
    let location: SourceLocation
    let condition: Node
    let body: Node

    init(location: SourceLocation, condition: Node, body: Node) {
        self.location = location
        self.condition = condition
        self.body = body
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        while try condition.evaluate(interpreter, frame).isTruthy {
            if interpreter.shouldStop() { try interpreter.stop(at: location) }
            _ = try body.evaluate(interpreter, frame)
            switch interpreter.control {
            case .none: continue
            case .continueLoop: interpreter.control = .none
            case .breakLoop: interpreter.control = .none; return .nil
            case .returning: return .nil
            }
        }
        return .nil
    }
}

final class ForNode: StatementNode {
    let location: SourceLocation
    let variable: VariableReference
    let iterable: Node
    let body: Node

    init(location: SourceLocation, variable: VariableReference, iterable: Node, body: Node) {
        self.location = location
        self.variable = variable
        self.iterable = iterable
        self.body = body
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        // `for i in range(...)` counts without building the list.
        if let call = iterable as? CallNode, call.named.isEmpty, (1...3).contains(call.positional.count),
           case .function(let function) = try call.callee.evaluate(interpreter, frame),
           function === interpreter.rangeFunction {
            var bounds: [Double] = []
            for node in call.positional {
                let value = try node.evaluate(interpreter, frame)
                guard case .number(let number) = value else {
                    _ = try interpreter.callValue(.function(function),
                        positional: [.init(value: value, location: node.location)], named: [],
                        at: call.location)
                    return .nil
                }
                bounds.append(number)
            }
            let range = try Builtins.rangeBounds(bounds, at: call.location)
            var current = range.start
            while range.step > 0 ? current < range.end : current > range.end {
                if try step(.number(current), interpreter, frame) { break }
                current += range.step
            }
            return .nil
        }
        let sequence = try interpreter.elements(of: try iterable.evaluate(interpreter, frame),
                                                at: iterable.location)
        for element in sequence {
            if try step(element, interpreter, frame) { break }
        }
        return .nil
    }

    /// Runs the body once; returns true when the loop must end.
    @inline(__always)
    private func step(_ element: LodeValue, _ interpreter: Interpreter, _ frame: Frame) throws -> Bool {
        if interpreter.shouldStop() { try interpreter.stop(at: location) }
        interpreter.write(element, to: variable, frame: frame)
        _ = try body.evaluate(interpreter, frame)
        switch interpreter.control {
        case .none: return false
        case .continueLoop: interpreter.control = .none; return false
        case .breakLoop: interpreter.control = .none; return true
        case .returning: return true
        }
    }
}

final class BreakNode: StatementNode {
    let location: SourceLocation
    let signal: ControlSignal

    init(location: SourceLocation, signal: ControlSignal) {
        self.location = location
        self.signal = signal
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        interpreter.control = signal
        return .nil
    }
}

final class ReturnNode: StatementNode {
    let location: SourceLocation
    let value: Node?

    init(location: SourceLocation, value: Node?) {
        self.location = location
        self.value = value
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        let result = try value?.evaluate(interpreter, frame) ?? .nil
        interpreter.returnValue = result
        interpreter.control = .returning
        return result
    }
}

/// `use "name"`: runs stdlib/name.lode (or a relative file) once per session.
final class UseNode: StatementNode {
    let location: SourceLocation
    let path: String
    /// The globals of the cell or module that says `use`: the module's names land there.
    let table: GlobalTable

    init(location: SourceLocation, path: String, table: GlobalTable) {
        self.location = location
        self.path = path
        self.table = table
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        guard let loader = interpreter.moduleLoader else {
            throw LodeError(.io, "'use' is not available here", at: location)
        }
        try loader(path, location, table)
        return .nil
    }
}
