import Foundation

extension Figure {
    /// MIME bundle for notebook front ends: PNG (base64) for consoles and exports, SVG that
    /// scales down to the output area's width, and a one-line text summary.
    public func mimeBundle(scale: Double = 2) throws -> [String: String] {
        ["image/png": try pngData(scale: scale).base64EncodedString(),
         "image/svg+xml": try svg(sizing: .fitting),
         "text/plain": summary]
    }

    /// e.g. `<figure "ROC curves (validation set)", 1 panel, 520x480 pt>`
    public var summary: String {
        let name = title.map { "\"\($0)\", " } ?? ""
        let panelText = panels.count == 1 ? "1 panel" : "\(panels.count) panels"
        return "<figure \(name)\(panelText), \(Int(width))x\(Int(height)) pt>"
    }
}
