import ArgumentParser

@main
struct Lode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lode",
        abstract: "Lode: a notebook-style kernel for geochemical prospecting.",
        subcommands: [SurveyCommand.self, BenchCommand.self]
    )
}
