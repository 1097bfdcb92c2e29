import Foundation

extension Builtins {
    static func registerNotebook(in registry: CommandRegistry) {
        registry.register(
            "display", parameters: [Parameter("value", doc: "any value"),
                                    Parameter("id", .optional(.string), default: .nil,
                                              doc: "names the display so a later call with update: true replaces it"),
                                    Parameter("update", .bool, default: false,
                                              doc: "replace the display named by id instead of adding one")],
            doc: "Shows a value now, in its richest form (a figure as an image in a notebook), without waiting for the end of the cell. With an id, a later display(..., id: same, update: true) replaces it in place.",
            examples: ["display(map_figure)", "display(\"epoch 3\", id: \"status\", update: true)"],
            category: "notebook") { arguments in
                arguments.context.output.display(displayBundle(for: arguments["value"]),
                                                 displayID: arguments["id"].stringValue,
                                                 update: try arguments.bool("update"))
                return .nil
            }
        registry.register(
            "clear_output", parameters: [Parameter("wait", .bool, default: false, doc: "clear only when new output arrives")],
            doc: "Clears the output shown so far for this cell (for progress shown as changing text).",
            examples: ["clear_output()"], category: "notebook") { arguments in
                arguments.context.output.clearOutput(wait: try arguments.bool("wait"))
                return .nil
            }
        registry.register(
            "input", parameters: [Parameter("prompt", .string, default: "", doc: "the question")],
            doc: "Asks the user for a line of text and returns it.",
            examples: ["name = input(\"survey file: \")"], returns: "string", category: "notebook") { arguments in
                .string(try arguments.context.output.readInput(prompt: try arguments.string("prompt"),
                                                               password: false))
            }
        registry.register(
            "time", parameters: [Parameter("value", doc: "an expression (timed as it runs), or a function to call")],
            doc: "Runs the expression, prints how long it took, and returns its value. `time(expr)` times the expression itself; given a function value it calls it with no arguments.",
            examples: ["model = time(train(model, data, epochs: 5))"], returns: "any",
            category: "notebook") { arguments in
                let start = DispatchTime.now().uptimeNanoseconds
                var value = arguments["value"]
                if case .function = value { value = try arguments.call("value", []) }
                reportElapsed(since: start, to: arguments.context.output)
                return value
            }
        registry.register(
            "help", parameters: [Parameter("name", .optional(.oneOf([.string, .function])), default: .nil,
                                           doc: "a command name or function; all commands when nil")],
            doc: "Prints the signature, description and example of a command, or lists every command.",
            examples: ["help(\"range\")", "help(print)"], category: "notebook") { arguments in
                let registry = arguments.context.interpreter.registry
                let text: String
                switch arguments["name"] {
                case .nil:
                    text = "Commands (help(\"name\") for one):\n" + registry.names.joined(separator: ", ")
                case .function(let function):
                    text = function.command?.helpText ?? "fn \(function.signature)"
                case .string(let name):
                    guard let help = registry.help(name) else {
                        throw LodeError(.name, "no command named '\(name)'", at: arguments.context.location,
                                        hint: Suggestions.hint(for: name, among: registry.names))
                    }
                    text = help
                default:
                    text = ""
                }
                arguments.context.output.stream(.stdout, text: text + "\n")
                return .nil
            }
        registry.register(
            "progress",
            parameters: [Parameter("fraction", .number, doc: "how much is done, from 0 to 1"),
                         Parameter("message", .string, default: "", doc: "what is being done"),
                         Parameter("eta", .optional(.number), default: .nil,
                                   doc: "seconds left, if known (front ends estimate it otherwise)")],
            doc: "Reports progress of a long loop: the REPL draws a bar with the time left, a notebook an updating line. A fraction of 1 closes the bar.",
            examples: ["for i in range(n) { work(i); progress((i + 1) / n, message: \"tiles\") }"],
            category: "notebook") { arguments in
                let fraction = min(1, max(0, try arguments.number("fraction")))
                arguments.context.progress(ProgressEvent(
                    fraction: fraction, message: try arguments.string("message"),
                    eta: arguments["eta"].numberValue, finished: fraction >= 1))
                return .nil
            }
        registry.register(
            "commands", doc: "The names of every command, sorted.",
            examples: ["len(commands())"], returns: "list", category: "notebook") { arguments in
                .list(arguments.context.interpreter.registry.names.map { .string($0) })
            }
    }

    static func reportElapsed(since start: UInt64, to output: OutputSink) {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        output.stream(.stdout, text: "time: \(formatSeconds(seconds))\n")
    }

    static func formatSeconds(_ seconds: Double) -> String {
        if seconds < 1e-3 { return String(format: "%.1f µs", seconds * 1e6) }
        if seconds < 1 { return String(format: "%.2f ms", seconds * 1e3) }
        return String(format: "%.3f s", seconds)
    }
}
