import Foundation
import LodeScript

/// The REPL's output sink: text to the terminal, figures saved to files (path printed),
/// progress as a one-line bar with ETA on standard error.
final class TerminalOutput: OutputSink {
    var figureDirectory: String
    private var figureCount = 0
    /// Starts every figure name of this session, so two sessions never share a name.
    let sessionStamp: String
    /// The figure saved last, for `:open`.
    private(set) var lastFigurePath: String?
    private var barVisible = false
    var readLine: (String) -> String? = { prompt in
        FileHandle.standardOutput.write(Data(prompt.utf8))
        return Swift.readLine()
    }

    private let standardOutput: FileHandle
    private let standardError: FileHandle

    init(figureDirectory: String, standardOutput: FileHandle = .standardOutput,
         standardError: FileHandle = .standardError) {
        self.figureDirectory = figureDirectory
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
        if event.finished {
            draw(event)
            closeBar()
            return
        }
        draw(event)
    }

    /// When the current bar started, to estimate the time left when the event gives none.
    private var barStart: UInt64?

    private func estimatedTimeLeft(_ event: ProgressEvent) -> Double? {
        if let eta = event.eta { return eta }
        guard let fraction = event.fraction, fraction > 0, let start = barStart else { return nil }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return elapsed * (1 - fraction) / fraction
    }

    private func draw(_ event: ProgressEvent) {
        if barStart == nil { barStart = DispatchTime.now().uptimeNanoseconds }
        let width = 30
        var line = "\r\u{1B}[K"
        if let fraction = event.fraction {
            let clamped = min(1, max(0, fraction))
            let filled = Int((clamped * Double(width)).rounded(.down))
            line += "[" + String(repeating: "#", count: filled)
                + String(repeating: ".", count: width - filled) + "] "
            line += String(format: "%3d%% ", Int((clamped * 100).rounded(.down)))
        }
        line += event.message
        if !event.finished, let eta = estimatedTimeLeft(event) {
            line += "  ETA " + TerminalOutput.formatDuration(eta)
        }
        standardError.write(Data(line.utf8))
        barVisible = true
    }

    private func closeBar() {
        barStart = nil
        if barVisible {
            standardError.write(Data("\n".utf8))
            barVisible = false
        }
    }

    static func formatDuration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m" }
        if total >= 60 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total)s"
    }
}
