/// One parameter of a command: its name (also the keyword for a named argument), type,
/// default (nil means required) and a short description for the generated reference.
public struct Parameter: Sendable {
    public var name: String
    public var type: ParameterType
    public var defaultValue: LodeValue?
    public var doc: String
    /// Collects every remaining positional argument (like `print(a, b, c)`).
    public var isVariadic: Bool
    /// The numbers the parameter accepts (checked before the command runs; shown in the docs).
    public var range: ValueRange?

    public init(_ name: String, _ type: ParameterType = .any, default defaultValue: LodeValue? = nil,
                range: ValueRange? = nil, doc: String = "") {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
        self.isVariadic = false
        self.range = range
    }

    /// The description with the accepted range, for help and the reference.
    public var documentation: String {
        guard let range else { return doc }
        return doc.isEmpty ? range.display : "\(doc) (\(range.display))"
    }

    public static func variadic(_ name: String, _ type: ParameterType = .any,
                                doc: String = "") -> Parameter {
        var parameter = Parameter(name, type, doc: doc)
        parameter.isVariadic = true
        return parameter
    }

    /// `name`, `name: default` or `...name` as written in a signature.
    public var signatureText: String {
        if isVariadic { return "...\(name)" }
        if let defaultValue { return "\(name): \(defaultValue.summary)" }
        return name
    }
}

extension LodeValue: @unchecked Sendable {}

/// The numbers a parameter accepts: a lower and an upper bound, each inclusive or not.
/// Non-finite numbers (NaN, infinity) are refused by every number parameter anyway.
public struct ValueRange: Sendable, Equatable {
    public var minimum: Double?
    public var minimumIncluded: Bool
    public var maximum: Double?
    public var maximumIncluded: Bool

    public init(minimum: Double?, minimumIncluded: Bool = true, maximum: Double? = nil,
                maximumIncluded: Bool = true) {
        self.minimum = minimum
        self.minimumIncluded = minimumIncluded
        self.maximum = maximum
        self.maximumIncluded = maximumIncluded
    }

    /// x ≥ minimum.
    public static func atLeast(_ minimum: Double) -> ValueRange { ValueRange(minimum: minimum) }
    /// x > minimum.
    public static func above(_ minimum: Double) -> ValueRange {
        ValueRange(minimum: minimum, minimumIncluded: false)
    }
    /// minimum ≤ x ≤ maximum.
    public static func within(_ minimum: Double, _ maximum: Double) -> ValueRange {
        ValueRange(minimum: minimum, maximum: maximum)
    }
    /// 0 < x < 1, for fractions that must leave something on both sides.
    public static let openFraction = ValueRange(minimum: 0, minimumIncluded: false, maximum: 1,
                                                maximumIncluded: false)
    public static let positive = ValueRange.above(0)
    public static let nonNegative = ValueRange.atLeast(0)
    public static let atLeastOne = ValueRange.atLeast(1)

    public func contains(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        if let minimum, minimumIncluded ? value < minimum : value <= minimum { return false }
        if let maximum, maximumIncluded ? value > maximum : value >= maximum { return false }
        return true
    }

    /// "at least 1", "above 0", "from 0 to 1", "above 0 and below 1".
    public var display: String {
        func text(_ number: Double) -> String { LodeValue.number(number).summary }
        switch (minimum, maximum) {
        case let (low?, high?):
            if minimumIncluded && maximumIncluded { return "from \(text(low)) to \(text(high))" }
            return "\(minimumIncluded ? "at least" : "above") \(text(low)) and \(maximumIncluded ? "at most" : "below") \(text(high))"
        case let (low?, nil): return "\(minimumIncluded ? "at least" : "above") \(text(low))"
        case let (nil, high?): return "\(maximumIncluded ? "at most" : "below") \(text(high))"
        case (nil, nil): return "any number"
        }
    }
}
