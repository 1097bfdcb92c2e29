import ArgumentParser
import LodeScript

@main
struct Lode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lode",
        abstract: "Lode: a notebook-style scripting kernel for geochemical prospecting.",
        version: LodeVersion.current,
        subcommands: [ReplCommand.self, RunCommand.self, KernelCommand.self, PredictCommand.self, ReferenceCommand.self,
                      SurveyCommand.self, DemoCommand.self, BenchGroup.self],
        defaultSubcommand: ReplCommand.self
    )

    /// A first word that names no command is an error of its own, not an unexpected argument
    /// of the default command (the REPL), whose usage would mislead.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-"), first != "help" {
            let names = configuration.subcommands.map { $0._commandName }
            if !names.contains(first) {
                var message = "unknown command '\(first)'; the commands are \(names.joined(separator: ", "))"
                if first.hasSuffix(".lode") { message += " (to run a script: lode run \(first))" }
                exit(withError: ValidationError(message))
            }
        }
        main(nil)
    }
}
