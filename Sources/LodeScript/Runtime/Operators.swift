import Foundation

/// Arithmetic and comparison on values other than two numbers (the number case is inlined
/// in the operator node). Domain objects take part through `OperatorOverloadable`.
enum Operators {
    static func binary(_ op: BinaryOperator, _ lhs: LodeValue, _ rhs: LodeValue,
                       at location: SourceLocation) throws -> LodeValue {
        if case .object(let object) = lhs, let overloadable = object as? OperatorOverloadable,
           let result = try Indexing.wrap({ try overloadable.binary(op, rhs, selfIsLeft: true) }, at: location) {
            return result
        }
        if case .object(let object) = rhs, let overloadable = object as? OperatorOverloadable,
           let result = try Indexing.wrap({ try overloadable.binary(op, lhs, selfIsLeft: false) }, at: location) {
            return result
        }
        switch (op, lhs, rhs) {
        case let (_, .number(a), .number(b)):
            return try numbers(op, a, b, at: location)
        case (.equal, _, _):
            return .bool(lhs == rhs)
        case (.notEqual, _, _):
            return .bool(lhs != rhs)
        case let (.add, .string(a), .string(b)):
            try LodeLimits.check(a.utf8.count + b.utf8.count, at: location)
            return .string(a + b)
        case let (.add, .list(a), .list(b)):
            try LodeLimits.check(a.count + b.count, at: location)
            return .list(a + b)
        case let (.multiply, .string(text), .number(count)),
             let (.multiply, .number(count), .string(text)):
            guard count >= 0, count == count.rounded(), count < 1e9 else { break }
            try LodeLimits.check(text.utf8.count * Int(count), at: location)
            return .string(String(repeating: text, count: Int(count)))
        case let (.less, .string(a), .string(b)): return .bool(a < b)
        case let (.lessEqual, .string(a), .string(b)): return .bool(a <= b)
        case let (.greater, .string(a), .string(b)): return .bool(a > b)
        case let (.greaterEqual, .string(a), .string(b)): return .bool(a >= b)
        default:
            break
        }
        var hint: String?
        if op == .add, lhs.stringValue != nil || rhs.stringValue != nil {
            hint = "use str(x) to turn a value into text before joining"
        }
        throw LodeError(.type,
            "cannot apply '\(op.rawValue)' to \(lhs.described) and \(rhs.described)",
            at: location, hint: hint)
    }

    @inline(__always)
    static func numbers(_ op: BinaryOperator, _ a: Double, _ b: Double,
                        at location: SourceLocation) throws -> LodeValue {
        switch op {
        case .add: return .number(a + b)
        case .subtract: return .number(a - b)
        case .multiply: return .number(a * b)
        case .divide:
            if b == 0 { throw divisionByZero(at: location) }
            return .number(a / b)
        case .remainder:
            if b == 0 { throw divisionByZero(at: location) }
            // Sign follows the divisor, as in mathematics: -1 % 3 == 2.
            let r = a.truncatingRemainder(dividingBy: b)
            return .number(r != 0 && (r < 0) != (b < 0) ? r + b : r)
        case .power: return .number(Foundation.pow(a, b))
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        case .less: return .bool(a < b)
        case .lessEqual: return .bool(a <= b)
        case .greater: return .bool(a > b)
        case .greaterEqual: return .bool(a >= b)
        }
    }

    static func divisionByZero(at location: SourceLocation) -> LodeError {
        LodeError(.arithmetic, "division by zero", at: location)
    }

    static func unary(_ op: UnaryOperator, _ operand: LodeValue,
                      at location: SourceLocation) throws -> LodeValue {
        if case .number(let value) = operand { return .number(op == .negate ? -value : value) }
        if case .object(let object) = operand, let overloadable = object as? OperatorOverloadable,
           let result = try Indexing.wrap({ try overloadable.unary(op) }, at: location) {
            return result
        }
        throw LodeError(.type, "cannot apply unary '\(op.rawValue)' to \(operand.described)",
                        at: location)
    }
}
