import Foundation
import LodeScript

/// `:help`, `:doc`, `:vars`, `:load`, `:reset`, `:time`, `:quit`: REPL commands that are not
/// part of the language.
enum MetaCommand {
    case help, doc(String), vars, load(String), reset, time(String), quit
    case unknown(String)

    static let helpText = """
        Type Lode code; a line with an open bracket or block continues on the next line.
        help() lists the commands, help("name") describes one.
          :help          this text
          :doc name      signature, description and example of a command (or a variable)
          :vars          your variables and their values
          :load file     run a .lode file in this session
          :reset         forget every variable
          :time expr     run expr and print how long it took
          :quit          leave (or Ctrl-D)
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
        case ":load": self = .load(argument)
        case ":reset": self = .reset
        case ":time": self = .time(argument)
        case ":quit", ":q", ":exit": self = .quit
        default: self = .unknown(word)
        }
    }
}
