/// One command of the registry: everything help, completion, inspection and the generated
/// reference need, and the Swift implementation.
public struct CommandEntry {
    public var name: String
    public var parameters: [Parameter]
    /// One paragraph: what the command does, in the words of its users.
    public var doc: String
    public var examples: [String]
    /// What the command returns, e.g. "raster".
    public var returns: String
    /// Groups commands in the reference ("language", "grids", "models", ...).
    public var category: String
    public var implementation: (Arguments) throws -> LodeValue

    public init(name: String, parameters: [Parameter] = [], doc: String, examples: [String] = [],
                returns: String = "nil", category: String = "general",
                implementation: @escaping (Arguments) throws -> LodeValue) {
        self.name = name
        self.parameters = parameters
        self.doc = doc
        self.examples = examples
        self.returns = returns
        self.category = category
        self.implementation = implementation
    }

    /// `name(a, b, c: 1) -> type`.
    public var signature: String {
        "\(name)(" + parameters.map(\.signatureText).joined(separator: ", ") + ") -> \(returns)"
    }

    /// The text of `help(name)`, `:doc name` and notebook inspection.
    public var helpText: String {
        var lines = [signature, "", doc]
        let described = parameters.filter { !$0.documentation.isEmpty }
        if !described.isEmpty {
            lines.append("")
            lines.append("Parameters:")
            for parameter in described {
                lines.append("  \(parameter.name) (\(parameter.type.display)): \(parameter.documentation)")
            }
        }
        if !examples.isEmpty {
            lines.append("")
            lines.append(examples.count == 1 ? "Example:" : "Examples:")
            for example in examples { lines.append("  " + example) }
        }
        return lines.joined(separator: "\n")
    }
}
