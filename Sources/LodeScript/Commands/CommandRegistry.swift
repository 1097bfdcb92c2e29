/// The one registry of commands. Help, `commands()`, completion, notebook inspection and
/// `docs/reference.md` are all generated from it, so a command is documented where it is
/// implemented.
public final class CommandRegistry {
    private var entries: [String: CommandEntry] = [:]
    private var functions: [String: LodeFunction] = [:]

    public init() {}

    /// Adds (or replaces) a command.
    public func register(_ entry: CommandEntry) {
        entries[entry.name] = entry
        functions[entry.name] = LodeFunction(command: entry)
    }

    /// Registers a command in one call: the closure receives the arguments matched to
    /// `parameters`, with defaults applied and types checked.
    public func register(_ name: String, parameters: [Parameter] = [], doc: String,
                         examples: [String] = [], returns: String = "nil",
                         category: String = "general",
                         implementation: @escaping (Arguments) throws -> LodeValue) {
        register(CommandEntry(name: name, parameters: parameters, doc: doc, examples: examples,
                              returns: returns, category: category,
                              implementation: implementation))
    }

    public func entry(named name: String) -> CommandEntry? { entries[name] }

    public func function(named name: String) -> LodeFunction? { functions[name] }

    /// Every command, sorted by name.
    public func commands() -> [CommandEntry] {
        entries.values.sorted { $0.name < $1.name }
    }

    public var names: [String] { entries.keys.sorted() }

    public func help(_ name: String) -> String? { entries[name]?.helpText }

    public func completions(prefix: String) -> [String] {
        names.filter { $0.hasPrefix(prefix) }
    }

    /// The reference page, grouped by category then by name.
    public func referenceMarkdown(title: String = "Lode command reference") -> String {
        var lines = [
            "# \(title)", "",
            "Generated from the command registry by `lode reference`; do not edit by hand.", "",
        ]
        let byCategory = Dictionary(grouping: commands(), by: \.category)
        for category in byCategory.keys.sorted() {
            lines.append("## \(category)")
            lines.append("")
            for entry in byCategory[category] ?? [] {
                lines.append("### `\(entry.name)`")
                lines.append("")
                lines.append("```")
                lines.append(entry.signature)
                lines.append("```")
                lines.append("")
                lines.append(entry.doc)
                lines.append("")
                if !entry.parameters.isEmpty {
                    lines.append("| parameter | type | default | description |")
                    lines.append("| --- | --- | --- | --- |")
                    for parameter in entry.parameters {
                        let name = parameter.isVariadic ? "...\(parameter.name)" : parameter.name
                        let defaultText = parameter.defaultValue.map { "`\($0.summary)`" }
                            ?? (parameter.isVariadic ? "" : "required")
                        lines.append("| `\(name)` | \(parameter.type.display) | \(defaultText) | \(parameter.documentation) |")
                    }
                    lines.append("")
                }
                if !entry.examples.isEmpty {
                    lines.append("```")
                    lines.append(contentsOf: entry.examples)
                    lines.append("```")
                    lines.append("")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
