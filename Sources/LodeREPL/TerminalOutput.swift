import Foundation
import LodeScript

/// The REPL's output sink: text to the terminal, figures saved to files (path printed),
/// progress on standard error (a bar with ETA on a terminal, plain lines into a pipe or file).
final class TerminalOutput: OutputSink {
    var figureDirectory: String
    private var figureCount = 0
    /// Starts every figure name of this session, so two sessions never share a name.
    let sessionStamp: String
    /// The figure saved last, for `:open`.
    private(set) var lastFigurePath: String?
    private let progressWriter: ProgressWriter
    var readLine: (String) -> String? = { prompt in
        FileHandle.standardOutput.write(Data(prompt.utf8))
        return Swift.readLine()
    }

    private let standardOutput: FileHandle
    private let standardError: FileHandle

    /// `progressStyle` nil: a bar when standard error is a terminal, plain lines otherwise.
    init(figureDirectory: String, standardOutput: FileHandle = .standardOutput,
         standardError: FileHandle = .standardError, progressStyle: ProgressWriter.Style? = nil) {
        self.figureDirectory = figureDirectory
        self.progressWriter = ProgressWriter(handle: standardError, style: progressStyle)
        self.sessionStamp = TerminalOutput.makeSessionStamp()
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    func stream(_ name: StreamName, text: String) {
        closeBar()
        let handle = name == .stdout ? standardOutput : standardError
        handle.write(Data(text.utf8))
    }

    func display(_ bundle: DisplayBundle, displayID: String?, update: Bool) {
        closeBar()
        var lines: [String] = []
        for (mime, fileExtension) in [("image/png", "png"), ("image/svg+xml", "svg")] {
            guard let payload = bundle.data[mime] else { continue }
            let data = mime == "image/png" ? Data(base64Encoded: payload) : Data(payload.utf8)
            guard let data else { continue }
            if let path = saveFigure(data, fileExtension: fileExtension) {
                lines.append("figure saved to \(path)")
            }
            break
        }
        if let text = bundle.plainText { lines.insert(text, at: 0) }
        if !lines.isEmpty {
            standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }

    /// Writes the figure as `figure-<session>-<n>.<ext>`; the file is created exclusively, so
    /// an existing file (another session's, or one the user made) is never written over.
    private func saveFigure(_ data: Data, fileExtension: String) -> String? {
        try? FileManager.default.createDirectory(atPath: figureDirectory, withIntermediateDirectories: true)
        for _ in 0..<1000 {
            figureCount += 1
            let path = (figureDirectory as NSString).appendingPathComponent(
                "figure-\(sessionStamp)-\(figureCount).\(fileExtension)")
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if descriptor < 0 {
                if errno == EEXIST { continue }
                return nil
            }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            handle.write(data)
            lastFigurePath = path
            return path
        }
        return nil
    }

    /// Local date and time to the second, then the process id: sorts by start time and
    /// differs between sessions started in the same second.
    static func makeSessionStamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date()) + "-\(getpid())"
    }

    func clearOutput(wait: Bool) {
        // A terminal cannot take back lines already written; the bar line is all we clear.
        closeBar()
    }

    func readInput(prompt: String, password: Bool) throws -> String {
        closeBar()
        guard let line = readLine(prompt) else {
            throw LodeError(.io, "end of input while waiting for input()")
        }
        return line
    }

    func progress(_ event: ProgressEvent) {
        progressWriter.show(event)
    }

    private func closeBar() {
        progressWriter.close()
    }
}
