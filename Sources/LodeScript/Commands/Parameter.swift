/// One parameter of a command: its name (also the keyword for a named argument), type,
/// default (nil means required) and a short description for the generated reference.
public struct Parameter: Sendable {
    public var name: String
    public var type: ParameterType
    public var defaultValue: LodeValue?
    public var doc: String
    /// Collects every remaining positional argument (like `print(a, b, c)`).
    public var isVariadic: Bool

    public init(_ name: String, _ type: ParameterType = .any, default defaultValue: LodeValue? = nil,
                doc: String = "") {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
        self.isVariadic = false
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
