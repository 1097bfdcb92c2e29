final class BinaryNode: Node {
    let location: SourceLocation
    let op: BinaryOperator
    let lhs: Node
    let rhs: Node

    init(location: SourceLocation, op: BinaryOperator, lhs: Node, rhs: Node) {
        self.location = location
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        let a = try lhs.evaluate(interpreter, frame)
        let b = try rhs.evaluate(interpreter, frame)
        // Two numbers: the hot path, no allocation and no dynamic dispatch.
        if case .number(let x) = a, case .number(let y) = b {
            return try Operators.numbers(op, x, y, at: location)
        }
        return try Operators.binary(op, a, b, at: location)
    }
}

final class UnaryNode: Node {
    let location: SourceLocation
    let op: UnaryOperator
    let operand: Node

    init(location: SourceLocation, op: UnaryOperator, operand: Node) {
        self.location = location
        self.op = op
        self.operand = operand
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        try Operators.unary(op, try operand.evaluate(interpreter, frame), at: location)
    }
}

final class NotNode: Node {
    let location: SourceLocation
    let operand: Node

    init(location: SourceLocation, operand: Node) {
        self.location = location
        self.operand = operand
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        .bool(!(try operand.evaluate(interpreter, frame)).isTruthy)
    }
}

/// `a and b`, `a or b`: short-circuit; the value is the operand that decided.
final class LogicalNode: Node {
    let location: SourceLocation
    let isAnd: Bool
    let lhs: Node
    let rhs: Node

    init(location: SourceLocation, isAnd: Bool, lhs: Node, rhs: Node) {
        self.location = location
        self.isAnd = isAnd
        self.lhs = lhs
        self.rhs = rhs
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        let left = try lhs.evaluate(interpreter, frame)
        if left.isTruthy != isAnd { return left }
        return try rhs.evaluate(interpreter, frame)
    }
}

final class IndexNode: Node {
    let location: SourceLocation
    let target: Node
    let index: Node

    init(location: SourceLocation, target: Node, index: Node) {
        self.location = location
        self.target = target
        self.index = index
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        let container = try target.evaluate(interpreter, frame)
        let key = try index.evaluate(interpreter, frame)
        return try Indexing.index(container, key, at: index.location)
    }
}

final class MemberNode: Node {
    let location: SourceLocation
    let target: Node
    let name: String

    init(location: SourceLocation, target: Node, name: String) {
        self.location = location
        self.target = target
        self.name = name
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        try Indexing.member(name, of: try target.evaluate(interpreter, frame), at: location)
    }
}
