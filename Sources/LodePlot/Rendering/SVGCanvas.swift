import CCairo
import Foundation

/// Writes SVG elements; text stays text (font DejaVu Sans), so labels can be searched and
/// edited in the report.
final class SVGCanvas: Canvas {
    private var body: [String] = []
    private var clipCount = 0
    private let width: Double
    private let height: Double

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    private func number(_ v: Double) -> String {
        let rounded = (v * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.2f", rounded)
    }

    private func paint(_ attribute: String, _ color: Color?) -> String {
        guard let color else { return " \(attribute)=\"none\"" }
        var out = " \(attribute)=\"\(color.svgHex)\""
        if color.alpha < 1 { out += " \(attribute)-opacity=\"\(number(color.alpha))\"" }
        return out
    }

    private func strokeAttributes(_ color: Color?, width: Double, dash: [Double]) -> String {
        var out = paint("stroke", color)
        if color != nil {
            out += " stroke-width=\"\(number(width))\" stroke-linejoin=\"round\""
            if !dash.isEmpty { out += " stroke-dasharray=\"\(dash.map(number).joined(separator: " "))\"" }
        }
        return out
    }

    func path(_ rings: [[PlotPoint]], closed: Bool, fill: Color?, stroke: Color?, width: Double, dash: [Double]) {
        let d = rings.filter { !$0.isEmpty }.map { ring in
            "M" + ring.map { "\(number($0.x)) \(number($0.y))" }.joined(separator: "L") + (closed ? "Z" : "")
        }.joined()
        guard !d.isEmpty else { return }
        body.append("<path d=\"\(d)\"\(paint("fill", fill)) fill-rule=\"evenodd\"\(strokeAttributes(stroke, width: width, dash: dash))/>")
    }

    func circle(center: PlotPoint, radius: Double, fill: Color?, stroke: Color?, width: Double) {
        body.append("<circle cx=\"\(number(center.x))\" cy=\"\(number(center.y))\" r=\"\(number(radius))\"\(paint("fill", fill))\(strokeAttributes(stroke, width: width, dash: []))/>")
    }

    func text(_ string: String, x: Double, baseline: Double, size: Double, color: Color, anchor: TextAnchor,
              rotation: Double, bold: Bool) {
        guard !string.isEmpty else { return }
        let anchorName: String
        switch anchor {
        case .start: anchorName = "start"
        case .middle: anchorName = "middle"
        case .end: anchorName = "end"
        }
        var element = "<text x=\"\(number(x))\" y=\"\(number(baseline))\" font-size=\"\(number(size))\" text-anchor=\"\(anchorName)\"\(paint("fill", color))"
        if bold { element += " font-weight=\"bold\"" }
        if rotation != 0 { element += " transform=\"rotate(\(number(rotation)) \(number(x)) \(number(baseline)))\"" }
        body.append(element + ">\(xmlEscaped(string))</text>")
    }

    func image(rgba: [UInt8], width: Int, height: Int, rect: PlotRect) {
        // Not every SVG renderer honours image-rendering, so cells are enlarged by repeating
        // pixels; smoothing then only softens the cell edges by a pixel.
        let factor = max(1, min(16, 1000 / max(width, height)))
        var enlarged = rgba
        if factor > 1 {
            enlarged = [UInt8](repeating: 0, count: rgba.count * factor * factor)
            let wideRow = width * factor
            for row in 0..<(height * factor) {
                for column in 0..<wideRow {
                    let source = ((row / factor) * width + column / factor) * 4
                    let target = (row * wideRow + column) * 4
                    for k in 0..<4 { enlarged[target + k] = rgba[source + k] }
                }
            }
        }
        guard let surface = makeImageSurface(rgba: enlarged, width: width * factor, height: height * factor) else { return }
        defer { cairo_surface_destroy(surface) }
        guard let png = try? encodePNG(surface) else { return }
        body.append("<image x=\"\(number(rect.x))\" y=\"\(number(rect.y))\" width=\"\(number(rect.width))\" height=\"\(number(rect.height))\" preserveAspectRatio=\"none\" image-rendering=\"optimizeSpeed\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(png.base64EncodedString())\"/>")
    }

    func beginClip(_ rect: PlotRect) {
        clipCount += 1
        body.append("<clipPath id=\"clip\(clipCount)\"><rect x=\"\(number(rect.x))\" y=\"\(number(rect.y))\" width=\"\(number(rect.width))\" height=\"\(number(rect.height))\"/></clipPath>")
        body.append("<g clip-path=\"url(#clip\(clipCount))\">")
    }

    func endClip() { body.append("</g>") }

    func document(sizing: SVGSizing) -> String {
        let size: String
        switch sizing {
        case .points:
            size = "width=\"\(number(width))pt\" height=\"\(number(height))pt\""
        case .fitting:
            // As wide as the output area but never wider than the figure's own size
            // (1 pt = 4/3 CSS px); the viewBox keeps the aspect ratio.
            size = "width=\"100%\" style=\"max-width:\(number(width * 4 / 3))px;height:auto\""
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" \(size) viewBox=\"0 0 \(number(width)) \(number(height))\" font-family=\"\(TextMetrics.family), sans-serif\">\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
    }
}

/// How an SVG document states its size.
public enum SVGSizing: Sendable {
    /// The figure's size in points: for files opened on their own or placed in a report.
    case points
    /// Width 100 % of the container, at most the figure's size: for notebook output areas.
    case fitting
}

func xmlEscaped(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(character)
        }
    }
    return out
}
