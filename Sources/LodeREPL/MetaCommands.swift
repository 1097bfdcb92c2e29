import Foundation
import LodeScript

/// `:help`, `:doc`, `:vars`, `:load`, `:open`, `:reset`, `:time`, `:quit`: REPL commands that
/// are not part of the language.
enum MetaCommand: Equatable {
    case help, doc(String), vars, load(String), open(String), reset, time(String), quit
    case unknown(String)

    /// One row of the table `:help` prints and docs/language.md shows (a test keeps the two
    /// the same).
    struct Entry {
        let usage: String
        let summary: String
    }

    /// Every line the prompt takes besides Lode code: the one list the help, the completion
    /// and the documentation are made from.
    static let entries = [
        Entry(usage: ":help", summary: "this text"),
        Entry(usage: ":doc name", summary: "signature, description and example of a command (or a variable)"),
        Entry(usage: "?name, name?", summary: "the same as :doc name"),
        Entry(usage: ":vars", summary: "your variables and their values"),
        Entry(usage: ":load file", summary: "run a .lode file in this session"),
        Entry(usage: ":open [file]", summary: "show the last figure (or a file) in the desktop's viewer"),
        Entry(usage: ":reset", summary: "forget every variable"),
        Entry(usage: ":time expr", summary: "run expr and print how long it took"),
        Entry(usage: ":quit", summary: "leave (or exit, quit, Ctrl-D)"),
    ]

    /// The table of `entries`, two spaces in, summaries lined up.
    static var table: String {
        let width = entries.map(\.usage.count).max() ?? 0
        return entries.map { "  " + $0.usage.padding(toLength: width + 3, withPad: " ", startingAt: 0) + $0.summary }
            .joined(separator: "\n")
    }

    /// The words the prompt completes after `:`.
    static let words = entries.map(\.usage).filter { $0.hasPrefix(":") }
        .map { String($0.split(separator: " ")[0]) }

    static let helpText = """
        Type Lode code; a line with an open bracket or block continues on the next line.
        help() lists the commands, help("name") describes one.
        \(table)
        Figures are saved under lode-figures/ with a name no other session uses.
        Ctrl-C clears the line, or stops a running command (variables keep their values).
        """

    init(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let word = trimmed.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        let argument = trimmed.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
        switch word {
        case ":help", ":h", ":?": self = .help
        case ":doc": self = .doc(argument)
        case ":vars": self = .vars
        case ":load": self = .load(MetaCommand.path(argument))
        case ":open": self = .open(MetaCommand.path(argument))
        case ":reset": self = .reset
        case ":time": self = .time(argument)
        case ":quit", ":q", ":exit": self = .quit
        default: self = .unknown(word)
        }
    }

    /// A file argument as typed: quotes around it are dropped and `~` is the home folder.
    static func path(_ argument: String) -> String {
        var text = argument
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            text = String(text.dropFirst().dropLast())
        } else if let first = text.first, first == "\"" || first == "'" {
            text = String(text.dropFirst())
        }
        return UserDirectories.expandingTilde(text)
    }
}
