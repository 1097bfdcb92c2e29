import ArgumentParser

@main
struct Lode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lode",
        abstract: "Lode: a notebook-style scripting kernel for geochemical prospecting.",
        subcommands: [KernelCommand.self]
    )
}
