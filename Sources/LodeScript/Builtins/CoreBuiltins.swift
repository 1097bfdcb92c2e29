import Foundation

extension Builtins {
    static func registerCore(in registry: CommandRegistry) {
        let printers: [(String, StreamName, String, String)] = [
            ("print", .stdout,
             "Writes the values to standard output, strings as they are and other values in their one-line form.",
             "print(\"Au mean:\", 12.5)"),
            ("eprint", .stderr, "Like print, but writes to standard error (for warnings and diagnostics).",
             "eprint(\"warning: 3 samples below detection\")"),
        ]
        for (name, stream, doc, example) in printers {
            registry.register(
                name,
                parameters: [.variadic("values", doc: "values to print"),
                             Parameter("sep", .string, default: " ", doc: "put between values"),
                             Parameter("end", .string, default: "\n", doc: "put after the last value")],
                doc: doc, examples: [example], category: "language") { arguments in
                    let text = arguments.rest.map(\.printed).joined(separator: try arguments.string("sep"))
                    arguments.context.output.stream(stream, text: text + (try arguments.string("end")))
                    return .nil
                }
        }
        registry.register(
            "str", parameters: [Parameter("value", doc: "any value")],
            doc: "The text of a value: a string stays as it is, other values get their one-line form.",
            examples: ["\"cell \" + str(100) + \" m\""], returns: "string", category: "language") { arguments in
                .string(arguments["value"].printed)
            }
        registry.register(
            "num", parameters: [Parameter("value", .oneOf([.string, .number, .bool]), doc: "text holding a number, a number, or a bool")],
            doc: "Reads a number from text (\"2.5\", \"1e-5\"); true and false give 1 and 0.",
            examples: ["num(\"2.5\") * 2"], returns: "number", category: "language") { arguments in
                switch arguments["value"] {
                case .number(let value): return .number(value)
                case .bool(let value): return .number(value ? 1 : 0)
                case .string(let text):
                    let trimmed = text.trimmingCharacters(in: .whitespaces)
                    if let value = Double(trimmed) { return .number(value) }
                    throw LodeError(.argument, "cannot read \(LodeValue.quote(text)) as a number",
                                    at: arguments.context.location)
                default: return .nil
                }
            }
        registry.register(
            "type", parameters: [Parameter("value", doc: "any value")],
            doc: "The name of a value's type: number, string, bool, nil, list, record, function, or a domain type such as raster.",
            examples: ["type([1, 2])   # \"list\""], returns: "string", category: "language") { arguments in
                .string(arguments["value"].typeName)
            }
        registry.register(
            "assert",
            parameters: [Parameter("condition", doc: "must be true"),
                         Parameter("message", .string, default: "assertion failed", doc: "the error message otherwise")],
            doc: "Stops with an error carrying the message unless the condition is true.",
            examples: ["assert(len(samples) > 0, message: \"no samples\")"], category: "language") { arguments in
                if !arguments["condition"].isTruthy {
                    throw LodeError(.assertion, try arguments.string("message"),
                                    at: arguments.context.location)
                }
                return .nil
            }
        registry.register(
            "error", parameters: [Parameter("message", .string, doc: "what went wrong")],
            doc: "Stops the running cell with an error carrying the message.",
            examples: ["if cell <= 0 { error(\"cell size must be positive\") }"], category: "language") { arguments in
                throw LodeError(.command, try arguments.string("message"), at: arguments.context.location)
            }
    }
}
