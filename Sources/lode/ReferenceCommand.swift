import ArgumentParser
import Foundation
import LodeScript

/// `lode reference [path]`: writes the command reference generated from the registry.
struct ReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference", abstract: "Write docs/reference.md from the command registry.")

    @Argument(help: "Output file; standard output when omitted.")
    var output: String?

    func run() throws {
        let text = LodeSessionFactory.makeSession().registry.referenceMarkdown()
        if let output {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
        } else {
            print(text, terminator: "")
        }
    }
}
