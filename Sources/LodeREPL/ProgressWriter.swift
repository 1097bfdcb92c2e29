import Foundation
import LodeScript

/// Progress on standard error for the terminal front ends (the REPL and `lode run`): on a
/// terminal one bar redrawn in place; anywhere else (a pipe, a log file) plain lines, since
/// `\r` and erase codes would fill a log with every intermediate state.
public final class ProgressWriter {
    public enum Style: Equatable {
        /// One line redrawn in place with `\r` and erase-to-end-of-line.
        case bar
        /// Whole lines: the first event, each further tenth at least 2 s apart (ProgressLineThrottle),
        /// and the last.
        case lines
    }

    public let style: Style
    private let handle: FileHandle
    private let now: () -> Date
    /// Plain lines: the first event, each further tenth at least 2 s apart, and the last.
    private var lines = ProgressLineThrottle(interval: 2)
    private var barVisible = false
    /// When the current run of events started, for an ETA the event does not give.
    private var started: Date?
    private var lastFraction: Double?

    /// `style` nil: a bar when `handle` is a terminal, lines otherwise.
    public init(handle: FileHandle, style: Style? = nil, now: @escaping () -> Date = Date.init) {
        self.handle = handle
        self.style = style ?? (isatty(handle.fileDescriptor) != 0 ? .bar : .lines)
        self.now = now
    }

    public func show(_ event: ProgressEvent) {
        // A fraction smaller than the last one is a new piece of work (the last one was
        // interrupted, or another loop started without finishing the first).
        if let fraction = event.fraction, let lastFraction, fraction < lastFraction { forgetRun() }
        if started == nil { started = now() }
        if let fraction = event.fraction { lastFraction = fraction }
        switch style {
        case .bar:
            handle.write(Data(("\r\u{1B}[K" + text(of: event)).utf8))
            barVisible = true
            if event.finished { close() }
        case .lines:
            writeLine(event)
        }
        if event.finished { forgetRun() }
    }

    /// Ends the bar's line before other output; the run goes on (its ETA and, for lines,
    /// which tenths were written are kept).
    public func close() {
        if barVisible {
            handle.write(Data("\n".utf8))
            barVisible = false
        }
    }

    private func forgetRun() {
        started = nil
        lastFraction = nil
        lines.reset()
    }

    private func writeLine(_ event: ProgressEvent) {
        guard lines.admits(event, at: now()) else { return }
        handle.write(Data((text(of: event) + "\n").utf8))
    }

    /// `[#####.....]  50% message  ETA 1m15s`: the bar drawn with ASCII so any terminal or
    /// log shows it.
    func text(of event: ProgressEvent) -> String {
        let width = 30
        var line = ""
        if let fraction = event.fraction {
            let clamped = min(1, max(0, fraction))
            let filled = Int((clamped * Double(width)).rounded(.down))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += String(format: "%3d%% ", Int((clamped * 100).rounded(.down)))
        }
        line += event.message
        if !event.finished, let eta = estimatedTimeLeft(event) {
            line += "  ETA " + ProgressWriter.formatDuration(eta)
        }
        return line
    }

    private func estimatedTimeLeft(_ event: ProgressEvent) -> Double? {
        if let eta = event.eta { return eta }
        guard let fraction = event.fraction, fraction > 0, let started else { return nil }
        // Under a second of work says nothing about the rest: no estimate yet ("0s" misleads).
        let elapsed = now().timeIntervalSince(started)
        guard elapsed >= 1 else { return nil }
        return elapsed * (1 - fraction) / fraction
    }

    public static func formatDuration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m" }
        if total >= 60 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total)s"
    }
}
