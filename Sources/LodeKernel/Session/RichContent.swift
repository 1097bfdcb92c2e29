import Foundation
import LodeScript

/// Markup or an image a notebook shows as such: what `html(...)`, `svg(...)` and `image(...)`
/// return, so `display(x)` or a cell's last value renders it.
final class RichContent: LodeObject, RichDisplayable {
    let mimeType: String
    let content: String
    let label: String

    init(mimeType: String, content: String, label: String) {
        self.mimeType = mimeType
        self.content = content
        self.label = label
    }

    var typeName: String { "rich" }
    var summary: String { label }

    func displayBundle() -> DisplayBundle {
        DisplayBundle(data: [mimeType: content, "text/plain": label])
    }
}

/// Generic notebook display commands the kernel adds to the session's registry (domain
/// values such as figures and datasets display themselves through RichDisplayable).
enum RichContentCommands {
    static func register(in registry: CommandRegistry) {
        registry.register(
            "html", parameters: [Parameter("markup", .string, doc: "an HTML fragment")],
            doc: "Wraps HTML so a notebook renders it (the REPL shows a one-line summary).",
            examples: ["display(html(\"<b>Au</b> anomaly\"))"], returns: "rich", category: "notebook") { arguments in
                let markup = try arguments.string("markup")
                return .object(RichContent(mimeType: "text/html", content: markup, label: "html (\(markup.count) characters)"))
            }
        registry.register(
            "svg", parameters: [Parameter("markup", .string, doc: "an SVG document")],
            doc: "Wraps SVG so a notebook draws it.",
            examples: ["svg(\"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>\")"],
            returns: "rich", category: "notebook") { arguments in
                let markup = try arguments.string("markup")
                guard markup.contains("<svg") else {
                    throw LodeError(.command, "svg(...) needs an SVG document (no <svg element found)", at: arguments.context.location)
                }
                return .object(RichContent(mimeType: "image/svg+xml", content: markup, label: "svg (\(markup.count) characters)"))
            }
        registry.register(
            "image", parameters: [Parameter("path", .string, doc: "a PNG file")],
            doc: "Reads a PNG file so a notebook shows it.",
            examples: ["display(image(\"prospectivity.png\"))"], returns: "rich", category: "notebook") { arguments in
                let path = try arguments.string("path")
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw LodeError(.io, "cannot read the image file \(path)", at: arguments.context.location)
                }
                guard data.starts(with: [0x89, 0x50, 0x4E, 0x47]) else {
                    throw LodeError(.io, "\(path) is not a PNG file", at: arguments.context.location)
                }
                let name = (path as NSString).lastPathComponent
                return .object(RichContent(mimeType: "image/png", content: data.base64EncodedString(),
                                           label: "image \(name) (\(data.count) bytes)"))
            }
    }
}
