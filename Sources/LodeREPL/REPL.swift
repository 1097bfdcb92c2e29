import CReadline
import Foundation
import LodeScript

// Readline calls back through C function pointers, which cannot capture context: the one
// running REPL is reached through these globals.
nonisolated(unsafe) private var activeREPL: REPL?
nonisolated(unsafe) private var interruptPending: Int32 = 0
nonisolated(unsafe) private var executing: Int32 = 0
/// Self-pipe: the SIGINT handler writes a byte to the write end; the prompt loop polls the read
/// end beside stdin.
/// The signal may land on any thread (OpenBLAS's and Dispatch's workers run in this process),
/// and then the main thread's poll() is not interrupted; the pipe wakes it whichever thread
/// took the signal.
nonisolated(unsafe) private var interruptReadEnd: Int32 = -1
nonisolated(unsafe) private var interruptWriteEnd: Int32 = -1
nonisolated(unsafe) private var completionMatches: [String] = []

/// The interactive terminal front end: readline editing, persistent history, tab completion
/// and multi-line input from the Session, Ctrl-C to clear the line or stop a running command,
/// Ctrl-D to leave.
public final class REPL {
    public let session: Session
    let historyPath: String
    let output: TerminalOutput
    private var buffer = ""
    private var cellNumber = 0
    private var receivedLine: String?
    private var receivedEndOfInput = false
    private var finished = false

    public init(session: Session, historyPath: String? = nil, figureDirectory: String = "lode-figures") {
        self.session = session
        self.historyPath = historyPath ?? REPL.defaultHistoryPath
        self.output = TerminalOutput(figureDirectory: figureDirectory)
    }

    /// `$LODE_HISTORY`, else `$HOME/.lode_history`.
    public static var defaultHistoryPath: String {
        if let path = ProcessInfo.processInfo.environment["LODE_HISTORY"], !path.isEmpty { return path }
        return (UserDirectories.home() as NSString).appendingPathComponent(".lode_history")
    }

    public static var banner: String {
        "Lode \(LodeVersion.current) — :help for help, help() for commands, Ctrl-D to quit"
    }

    /// Runs until Ctrl-D or `:quit`; returns the process exit status.
    public func run() -> Int32 {
        if isatty(STDIN_FILENO) == 0 { return runPiped() }
        activeREPL = self
        defer { activeREPL = nil }
        say(REPL.banner)
        setUpReadline()
        installInterruptHandler()
        output.readLine = { prompt in REPL.readPlainLine(prompt: prompt) }
        installPrompt()
        while !finished {
            var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: interruptReadEnd, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&descriptors, interruptReadEnd >= 0 ? 2 : 1, -1)
            if descriptors[1].revents != 0 { drainInterruptPipe() }
            if interruptPending != 0 {
                interruptPending = 0
                cancelLine()
                continue
            }
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            guard descriptors[0].revents != 0 else { continue }
            rl_callback_read_char()
            if receivedEndOfInput {
                say("")
                break
            }
            if let line = receivedLine {
                receivedLine = nil
                handle(line)
                if !finished { installPrompt() }
            }
        }
        rl_callback_handler_remove()
        history_truncate_file(historyPath, 5000)
        return 0
    }

    // MARK: lines

    private var prompt: String { buffer.isEmpty ? "lode> " : "  ... " }

    private func installPrompt() {
        rl_callback_handler_install(prompt) { line in
            // Removing the handler here stops readline from drawing the prompt again before
            // the line has been run.
            rl_callback_handler_remove()
            guard let repl = activeREPL else { return }
            if let line {
                repl.receivedLine = String(cString: line)
                free(line)
            } else {
                repl.receivedEndOfInput = true
            }
        }
    }

    private func drainInterruptPipe() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(interruptReadEnd, &scratch, scratch.count) > 0 {}
    }

    /// Ctrl-C at the prompt: drop the line and any unfinished multi-line input.
    private func cancelLine() {
        buffer = ""
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_replace_line("", 0)
        rl_callback_handler_remove()
        say("^C")
        installPrompt()
    }

    private func handle(_ line: String) {
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            add_history(line)
            append_history(1, historyPath)
        }
        if buffer.isEmpty, runsAsCommand(line) { return }
        buffer += buffer.isEmpty ? line : "\n" + line
        if buffer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            buffer = ""
            return
        }
        if case .incomplete = session.isComplete(buffer) { return }
        let code = buffer
        buffer = ""
        execute(code)
    }

    /// A first line that is not Lode code: `:meta`, `?name`/`name?`, or `exit`/`quit`.
    private func runsAsCommand(_ line: String) -> Bool {
        if line.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
            runMeta(MetaCommand(line))
        } else if let name = Session.helpTarget(line) {
            runMeta(.doc(name))
        } else if session.asksToExit(line) {
            runMeta(.quit)
        } else {
            return false
        }
        return true
    }

    private func execute(_ code: String, cellName: String? = nil) {
        cellNumber += 1
        executing = 1
        let outcome = session.execute(code, cellName: cellName ?? "cell[\(cellNumber)]", output: output)
        executing = 0
        interruptPending = 0
        report(outcome)
    }

    private func report(_ outcome: ExecutionOutcome) {
        switch outcome {
        case .ok(let bundle?):
            output.display(bundle, displayID: nil, update: false)
        case .ok(nil):
            break
        case .error(_, _, let traceback):
            output.stream(.stderr, text: traceback.joined(separator: "\n") + "\n")
        }
    }

    private func runMeta(_ command: MetaCommand) {
        switch command {
        case .help:
            say(MetaCommand.helpText)
        case .doc(let name):
            let help = session.documentation(of: name)
            if help.found { say(help.text) } else { output.stream(.stderr, text: help.text + "\n") }
        case .vars:
            let variables = session.variables
            if variables.isEmpty { say("(no variables)") }
            for (name, value) in variables { say("\(name) = \(value.summary)") }
        case .load(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                output.stream(.stderr, text: "cannot read \(path)\n")
                return
            }
            execute(text, cellName: path)
        case .open(let path):
            guard let target = path.isEmpty ? output.lastFigurePath : path else {
                output.stream(.stderr, text: "no figure saved yet in this session; :open FILE opens a file\n")
                return
            }
            switch DesktopViewer.open(target) {
            case .success(let viewer): say("opened \(target) with \(viewer)")
            case .failure(let problem): output.stream(.stderr, text: "\(problem.description)\n")
            }
        case .reset:
            session.reset()
            say("variables cleared")
        case .time(let expression):
            execute("time(\(expression))")
        case .quit:
            finished = true
        case .unknown(let word):
            output.stream(.stderr, text: "unknown command \(word); :help lists them\n")
        }
    }

    // MARK: piped input

    /// Without a terminal: read lines, run each complete cell, no prompts or editing.
    private func runPiped() -> Int32 {
        var failed = false
        while let line = Swift.readLine() {
            if buffer.isEmpty, runsAsCommand(line) {
                if finished { break }
                continue
            }
            buffer += buffer.isEmpty ? line : "\n" + line
            if case .incomplete = session.isComplete(buffer) { continue }
            let code = buffer
            buffer = ""
            cellNumber += 1
            let outcome = session.execute(code, cellName: "cell[\(cellNumber)]", output: output)
            if case .error = outcome { failed = true }
            report(outcome)
        }
        if !buffer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            cellNumber += 1
            let outcome = session.execute(buffer, cellName: "cell[\(cellNumber)]", output: output)
            if case .error = outcome { failed = true }
            report(outcome)
        }
        return failed ? 1 : 0
    }

    // MARK: readline set-up

    private func setUpReadline() {
        rl_readline_name = UnsafePointer(strdup("lode"))
        rl_catch_signals = 0
        rl_catch_sigwinch = 1
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n\"'(),[]{}=+-*/<>;:|&.%^!#"))
        rl_completer_quote_characters = nil
        // Readline closes a string it sees a completion start in (a quote from this list is
        // taken as the word's delimiter); a completed directory must leave it open.
        rl_basic_quote_characters = UnsafePointer(strdup(""))
        rl_attempted_completion_function = { text, start, end in
            activeREPL?.completions(text: text, start: Int(start), end: Int(end))
        }
        using_history()
        if !FileManager.default.fileExists(atPath: historyPath) {
            FileManager.default.createFile(atPath: historyPath, contents: nil)
        }
        read_history(historyPath)
    }

    private func installInterruptHandler() {
        if interruptReadEnd < 0 {
            var fds: [Int32] = [-1, -1]
            if pipe(&fds) == 0 {
                for fd in fds {
                    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                }
                (interruptReadEnd, interruptWriteEnd) = (fds[0], fds[1])
            }
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            if executing != 0 {
                activeREPL?.session.requestInterrupt()
            } else {
                interruptPending = 1
                // write() is async-signal-safe; a full pipe already holds a wake-up.
                var byte: UInt8 = 1
                _ = write(interruptWriteEnd, &byte, 1)
            }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// Asks the Session, then lines its answer up with the word readline is completing.
    fileprivate func completions(text: UnsafePointer<CChar>?, start: Int, end: Int)
        -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    {
        rl_attempted_completion_over = 1
        guard let lineBuffer = rl_line_buffer else { return nil }
        let line = String(cString: lineBuffer)
        let bytes = Array(line.utf8)
        func scalarCount(_ byteCount: Int) -> Int {
            String(decoding: bytes[0..<min(byteCount, bytes.count)], as: UTF8.self).unicodeScalars.count
        }
        let previous = buffer.isEmpty ? "" : buffer + "\n"
        let offset = previous.unicodeScalars.count
        let cursor = offset + scalarCount(Int(rl_point))
        let result = buffer.isEmpty ? (metaCompletions(line, cursor: cursor) ?? session.complete(line, cursor: cursor))
            : session.complete(previous + line, cursor: cursor)
        let lineScalars = Array(line.unicodeScalars)
        let readlineStart = scalarCount(start)
        let ourStart = result.cursorStart - offset
        var matches: [String] = []
        for match in result.matches {
            if ourStart == readlineStart {
                matches.append(match)
            } else if ourStart < readlineStart, ourStart >= 0 {
                var typed = String.UnicodeScalarView()
                typed.append(contentsOf: lineScalars[ourStart..<min(readlineStart, lineScalars.count)])
                let prefix = String(typed)
                if match.hasPrefix(prefix) { matches.append(String(match.dropFirst(prefix.count))) }
            } else if ourStart > readlineStart, ourStart <= lineScalars.count {
                var typed = String.UnicodeScalarView()
                typed.append(contentsOf: lineScalars[readlineStart..<ourStart])
                matches.append(String(typed) + match)
            }
        }
        guard !matches.isEmpty else { return nil }
        // A directory keeps the string open for the next part of the path; nothing else is
        // appended either (readline's default would be a space, or a closing quote).
        let named = matches.count == 1 && matches[0].hasSuffix(":") && !matches[0].hasPrefix(":")
        rl_completion_append_character = named ? 32 : 0
        rl_completion_suppress_append = named ? 0 : 1
        rl_completion_suppress_quote = 1
        completionMatches = matches
        let word = text ?? UnsafePointer(strdup(""))!
        return rl_completion_matches(word) { _, state in
            let index = Int(state)
            guard index < completionMatches.count else { return nil }
            return strdup(completionMatches[index])
        }
    }

    /// Completions of the prompt's own commands: `:` words, `:load`/`:open` paths and `:doc`
    /// names. nil when the line is Lode code.
    func metaCompletions(_ line: String, cursor: Int) -> CompletionResult? {
        let scalars = Array(line.unicodeScalars)
        let leading = scalars.prefix { $0 == " " || $0 == "\t" }.count
        guard leading < scalars.count, scalars[leading] == ":", cursor <= scalars.count else { return nil }
        let typed = String(String.UnicodeScalarView(scalars[leading..<cursor]))
        guard let space = typed.firstIndex(of: " ") else {
            return CompletionResult(matches: MetaCommand.words.filter { $0.hasPrefix(typed) }.map { $0 + " " },
                                    cursorStart: leading, cursorEnd: cursor)
        }
        let word = String(typed[..<space])
        var argument = String(typed[typed.index(after: space)...])
        var argumentStart = leading + word.unicodeScalars.count + 1
        while argument.hasPrefix(" ") { argument.removeFirst(); argumentStart += 1 }
        switch word {
        case ":load", ":open":
            if argument.hasPrefix("\"") || argument.hasPrefix("'") { argument.removeFirst(); argumentStart += 1 }
            return CompletionResult(matches: Session.pathCompletions(argument), cursorStart: argumentStart, cursorEnd: cursor)
        case ":doc":
            return session.complete(argument, cursor: argument.unicodeScalars.count).shifted(by: argumentStart)
        default:
            return CompletionResult(matches: [], cursorStart: cursor, cursorEnd: cursor)
        }
    }

    /// Writes a line unbuffered, in order with the output of running cells.
    private func say(_ text: String) {
        output.stream(.stdout, text: text + "\n")
    }

    /// `input(prompt)` while the prompt's line editor is not active.
    static func readPlainLine(prompt: String) -> String? {
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }
}

extension CompletionResult {
    func shifted(by offset: Int) -> CompletionResult {
        CompletionResult(matches: matches, cursorStart: cursorStart + offset, cursorEnd: cursorEnd + offset)
    }
}
