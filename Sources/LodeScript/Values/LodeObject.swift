/// A domain value (tensor, raster, model, figure, ...) seen from the language. A conforming
/// Swift class provides a type name and a one-line summary; member access, indexing, calling,
/// operators and rich display are opt-in through the defaults below and the protocols
/// `OperatorOverloadable` and `RichDisplayable`.
public protocol LodeObject: AnyObject {
    /// The name `type(x)` returns, e.g. "raster".
    var typeName: String { get }
    /// One line for the REPL and for `str(x)`, e.g. "raster 120×80 (Au, ppb)".
    var summary: String { get }
    /// The value of `object.name`, or nil when there is no such member.
    func member(_ name: String) throws -> LodeValue?
    /// Names offered by completion after `object.`.
    var memberNames: [String] { get }
    /// The value of `object[key]`, or nil when the object does not support indexing.
    func index(_ key: LodeValue) throws -> LodeValue?
    /// `object.name = value`; return false when the member cannot be assigned.
    func setMember(_ name: String, _ value: LodeValue) throws -> Bool
    /// `object[key] = value`; return false when the object cannot be assigned into.
    func setIndex(_ key: LodeValue, _ value: LodeValue) throws -> Bool
    /// The elements `for x in object` visits and `len(object)` counts, or nil.
    func elements() throws -> [LodeValue]?
}

extension LodeObject {
    public func member(_ name: String) throws -> LodeValue? { nil }
    public var memberNames: [String] { [] }
    public func index(_ key: LodeValue) throws -> LodeValue? { nil }
    public func setMember(_ name: String, _ value: LodeValue) throws -> Bool { false }
    public func setIndex(_ key: LodeValue, _ value: LodeValue) throws -> Bool { false }
    public func elements() throws -> [LodeValue]? { nil }
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%", power = "^"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
    case greaterEqual = ">="
}

public enum UnaryOperator: String, Sendable {
    case negate = "-", plus = "+"
}

/// A domain object that overloads arithmetic and comparison, e.g. raster algebra
/// `log10(geo["Au"]) - 1`. `selfIsLeft` tells which side the object was on, so `1 - r`
/// and `r - 1` can differ. Return nil for "not supported with this operand" and the
/// interpreter reports a type error naming both operands.
public protocol OperatorOverloadable: LodeObject {
    func binary(_ op: BinaryOperator, _ other: LodeValue, selfIsLeft: Bool) throws -> LodeValue?
    func unary(_ op: UnaryOperator) throws -> LodeValue?
}

extension OperatorOverloadable {
    public func unary(_ op: UnaryOperator) throws -> LodeValue? { nil }
}

/// A domain object that can be called like a function, e.g. a model applied to a batch.
public protocol CallableObject: LodeObject {
    func call(_ arguments: [LodeValue], named: [(String, LodeValue)],
              context: CallContext) throws -> LodeValue
}

/// Values that show more than text in a notebook (HTML tables, PNG/SVG figures).
/// An object whose `print`/`str` text is more than its summary line (a table prints its rows).
public protocol TextPrintable {
    var printedText: String { get }
}

public protocol RichDisplayable {
    func displayBundle() -> DisplayBundle
}
