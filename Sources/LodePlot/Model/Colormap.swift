import Foundation

/// Maps 0...1 to a colour. Both maps are computed in OKLab so equal steps in value look like
/// equal steps in colour, and lightness changes monotonically (readable in grey print).
public enum Colormap: String, Sendable, CaseIterable {
    /// Dark blue-violet through teal and green to yellow, like viridis.
    case sequential
    /// Blue through near-white to red, for signed values (SHAP, correlation).
    case diverging

    public func color(at t: Double) -> Color {
        let u = t.isFinite ? min(max(t, 0), 1) : 0
        switch self {
        case .sequential:
            let lightness = 0.31 + 0.62 * u
            let chroma = 0.14 - 0.19 * u + 0.23 * u * u
            let hue = 295 - 190 * u
            return .oklch(lightness: lightness, chroma: chroma, hue: hue)
        case .diverging:
            // Each half runs from a saturated end to the neutral centre.
            let d = abs(u - 0.5) * 2
            let lightness = 0.97 - 0.47 * d
            let chroma = 0.17 * pow(d, 0.8)
            return .oklch(lightness: lightness, chroma: chroma, hue: u < 0.5 ? 255 : 27)
        }
    }

    /// 256 precomputed colours as 8-bit RGB, for images.
    func lookupTable() -> [(UInt8, UInt8, UInt8)] {
        (0..<256).map { i in
            let c = color(at: Double(i) / 255)
            return (UInt8((c.red * 255).rounded()), UInt8((c.green * 255).rounded()), UInt8((c.blue * 255).rounded()))
        }
    }
}
