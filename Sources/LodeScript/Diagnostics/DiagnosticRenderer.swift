/// Renders errors the way a compiler does: `file:line:column: Kind: message`, the source line,
/// a caret under the span, a hint, and the Lode call stack.
public struct DiagnosticRenderer {
    /// Source texts by file (or cell) name, so the offending line can be quoted.
    public var sources: [String: String]

    public init(sources: [String: String] = [:]) {
        self.sources = sources
    }

    public func render(_ error: LodeError) -> String {
        renderLines(error).joined(separator: "\n")
    }

    public func renderLines(_ error: LodeError) -> [String] {
        var lines: [String] = []
        if let location = error.location {
            lines.append("\(location): \(error.kind.rawValue): \(error.message)")
            if let text = sourceLine(location) {
                let shown = text.replacingTabs()
                lines.append("    " + shown)
                let padding = String(repeating: " ", count: max(0, location.column - 1))
                let width = max(1, min(location.length, max(1, shown.count - location.column + 1)))
                lines.append("    " + padding + String(repeating: "^", count: width))
            }
        } else {
            lines.append("\(error.kind.rawValue): \(error.message)")
        }
        if let hint = error.hint { lines.append("hint: \(hint)") }
        if !error.traceback.isEmpty {
            lines.append("traceback (most recent call last):")
            // Runaway recursion repeats one line hundreds of times: say so once instead.
            var previous: String?
            var repeats = 0
            func flush() {
                if repeats > 0 {
                    lines.append("  [the line above repeats \(repeats) more time\(repeats == 1 ? "" : "s")]")
                }
                repeats = 0
            }
            for frame in error.traceback {
                let line = "  \(frame.location) calls \(frame.function)()"
                if line == previous {
                    repeats += 1
                    continue
                }
                flush()
                lines.append(line)
                previous = line
            }
            flush()
        }
        return lines
    }

    func sourceLine(_ location: SourceLocation) -> String? {
        guard let text = sources[location.file] else { return nil }
        // Scalars, not Characters: "\r\n" is one Character and would hide the line break.
        var lineNumber = 1
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if lineNumber == location.line { break }
                lineNumber += 1
                continue
            }
            if lineNumber == location.line, scalar != "\r" { current.append(scalar) }
        }
        return lineNumber == location.line ? String(current) : nil
    }
}

private extension String {
    func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}
