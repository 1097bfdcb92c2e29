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
}
