import Foundation
import LodeScript

/// `:help`, `:doc`, `:vars`, `:load`, `:open`, `:reset`, `:time`, `:quit`: REPL commands that
/// are not part of the language.
enum MetaCommand: Equatable {
    case help, doc(String), vars, load(String), open(String), reset, time(String), quit
    case unknown(String)

    /// The words the prompt completes after `:`.
    static let words = [":help", ":doc", ":vars", ":load", ":open", ":reset", ":time", ":quit"]

    static let helpText = """
        Type Lode code; a line with an open bracket or block continues on the next line.
        help() lists the commands, help("name") describes one; ?name or name? does too.
          :help          this text
          :doc name      signature, description and example of a command (or a variable)
          :vars          your variables and their values
          :load file     run a .lode file in this session
          :open [file]   show the last figure (or a file) in the desktop's viewer
          :reset         forget every variable
          :time expr     run expr and print how long it took
          :quit          leave (or exit, quit, Ctrl-D)
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
