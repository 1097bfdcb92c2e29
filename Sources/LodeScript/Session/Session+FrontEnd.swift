import Foundation

/// What every front end (REPL, kernel) reads the same way before running a line: help
/// requests (`?name`, `name?`, `:doc name # comment`), `exit`/`quit`, and the module names
/// `use "` can complete.
extension Session {
    /// `?name` or `name?` asks for the name's documentation instead of running the code.
    public static func helpTarget(_ code: String) -> String? {
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        var name: Substring
        if trimmed.hasPrefix("?") { name = trimmed.dropFirst() } else if trimmed.hasSuffix("?") { name = trimmed.dropLast() } else { return nil }
        name = Substring(name.trimmingCharacters(in: .whitespaces))
        return isDottedName(name) ? String(name) : nil
    }

    /// The documentation of `name` (a trailing `# comment` is ignored), or a message naming
    /// what is missing with the closest known name.
    public func documentation(of text: String) -> (found: Bool, text: String) {
        var name = Substring(text)
        if let hash = name.firstIndex(of: "#") { name = name[..<hash] }
        name = Substring(name.trimmingCharacters(in: .whitespaces))
        guard !name.isEmpty else { return (false, "give a name, e.g. :doc idw") }
        if Session.isDottedName(name), let help = inspect(String(name), cursor: name.unicodeScalars.count) {
            return (true, help)
        }
        var message = "no command or variable named '\(name)'"
        let candidates = registry.names + globals.userVariables.map(\.name)
        if let closest = Suggestions.closest(to: String(name), among: candidates) { message += "; did you mean '\(closest)'?" }
        return (false, message)
    }

    /// `exit`, `quit`, `exit()` or `quit()` alone, when no variable of that name hides the word.
    public func asksToExit(_ code: String) -> Bool {
        var word = code.trimmingCharacters(in: .whitespacesAndNewlines)
        if word.hasSuffix("()") { word = String(word.dropLast(2)).trimmingCharacters(in: .whitespaces) }
        return (word == "exit" || word == "quit") && value(of: word) == nil && registry.function(named: word) == nil
    }

    /// Names `use "..."` finds in the search paths (the .lode files there, without extension).
    public var moduleNames: [String] {
        Set(searchPaths.flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                .filter { $0.hasSuffix(".lode") && $0 != "prelude.lode" }.map { String($0.dropLast(5)) }
        }).sorted()
    }

    static func isDottedName(_ name: Substring) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
    }
}

/// The user's folders as the environment names them: `$HOME` first (what a shell, a test or
/// a container sets), the password database only when it is unset.
public enum UserDirectories {
    public static func home(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }

    /// `~/x` with the home folder written out; other paths unchanged.
    public static func expandingTilde(_ path: String) -> String {
        if path == "~" { return home() }
        guard path.hasPrefix("~/") else { return path }
        return (home() as NSString).appendingPathComponent(String(path.dropFirst(2)))
    }
}
