import Foundation
import LodeScript

/// The session's output sink for one cell: forwards to the kernel's publisher and turns
/// progress events into one live display, updated in place; for a front end that cannot
/// update a display (a console), into plain lines instead.
final class PublishingSink: OutputSink {
    private let publisher: OutputPublisher
    private let updatesInPlace: Bool
    private var progressID: String?
    private var lastUpdate = Date.distantPast
    /// Updates closer together than this are skipped (the final one is always sent).
    private let progressInterval: TimeInterval = 0.1
    /// Plain lines: the first event, each further tenth at least 2 s apart, and the last.
    private var lines = ProgressLineThrottle(interval: 2)

    init(publisher: OutputPublisher, updatesInPlace: Bool = true) {
        self.publisher = publisher
        self.updatesInPlace = updatesInPlace
    }

    func stream(_ name: StreamName, text: String) {
        publisher.stream(name == .stderr ? .stderr : .stdout, text)
    }

    func display(_ bundle: DisplayBundle, displayID: String?, update: Bool) {
        if update, let displayID {
            publisher.updateDisplay(bundle, displayID: displayID)
        } else {
            publisher.display(bundle, displayID: displayID)
        }
    }

    func clearOutput(wait: Bool) { publisher.clearOutput(wait: wait) }

    func readInput(prompt: String, password: Bool) throws -> String {
        do { return try publisher.inputRequest(prompt: prompt, password: password) } catch let error as InputUnavailable {
            throw LodeError(.io, error.description)
        }
    }

    func progress(_ event: ProgressEvent) {
        guard updatesInPlace else { return progressLine(event) }
        let bundle = ProgressDisplay.bundle(for: event)
        if let progressID {
            let now = Date()
            guard event.finished || now.timeIntervalSince(lastUpdate) >= progressInterval else { return }
            lastUpdate = now
            publisher.updateDisplay(bundle, displayID: progressID)
        } else {
            let id = "lode-progress-" + UUID().uuidString.lowercased()
            progressID = id
            lastUpdate = Date()
            publisher.display(bundle, displayID: id)
        }
        if event.finished { progressID = nil }
    }

    /// A cell that ends (or is interrupted) mid-progress leaves its display as last drawn.
    func finishProgress() {
        progressID = nil
        lines.reset()
    }

    /// One line of text per step worth reading: the first event, each further tenth, at
    /// least 2 s apart, and the last (ProgressLineThrottle).
    private func progressLine(_ event: ProgressEvent) {
        guard lines.admits(event) else { return }
        publisher.stream(.stderr, (ProgressDisplay.bundle(for: event).plainText ?? event.message) + "\n")
    }
}

/// How a progress event looks: a text bar for consoles, an HTML bar for notebooks.
enum ProgressDisplay {
    static func bundle(for event: ProgressEvent) -> MimeBundle {
        let fraction = event.fraction.map { min(max($0, 0), 1) }
        var plain = event.message
        var html = "<div class=\"lode-progress\">"
        if let fraction {
            let width = 30
            let filled = Int((fraction * Double(width)).rounded())
            let percent = Int((fraction * 100).rounded())
            plain = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] \(percent)% " + plain
            html += "<progress value=\"\(percent)\" max=\"100\" style=\"width:20em\"></progress> \(percent)% "
        }
        if let eta = event.eta, !event.finished { plain += " (eta \(formatSeconds(eta)))" }
        html += escapeHTML(event.message)
        if let eta = event.eta, !event.finished { html += " <span style=\"opacity:0.7\">eta \(formatSeconds(eta))</span>" }
        html += "</div>"
        return MimeBundle(data: ["text/plain": plain, "text/html": html])
    }

    static func formatSeconds(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 60 ? "\(total / 60)m \(total % 60)s" : "\(total)s"
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
