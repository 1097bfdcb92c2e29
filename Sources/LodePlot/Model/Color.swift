import Foundation

/// sRGB colour with straight (not premultiplied) alpha, components in 0...1.
public struct Color: Equatable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// From 0xRRGGBB.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }

    public func withAlpha(_ alpha: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: alpha) }

    public static let black = Color(hex: 0x000000)
    public static let white = Color(hex: 0xFFFFFF)
    public static let clear = Color(red: 0, green: 0, blue: 0, alpha: 0)
    /// Text and axis lines: near-black is softer in print than pure black.
    public static let ink = Color(hex: 0x262626)
    public static let grid = Color(hex: 0xE3E3E3)
    public static let muted = Color(hex: 0x8C8C8C)

    var svgHex: String {
        func byte(_ v: Double) -> Int { Int((min(max(v, 0), 1) * 255).rounded()) }
        return String(format: "#%02x%02x%02x", byte(red), byte(green), byte(blue))
    }

    /// Colour from OKLab lightness, chroma and hue (degrees); chroma is reduced until the
    /// colour fits in sRGB, so lightness (what the eye orders by) is kept exactly.
    public static func oklch(lightness: Double, chroma: Double, hue: Double, alpha: Double = 1) -> Color {
        let angle = hue * .pi / 180
        var low = 0.0, high = chroma
        if let inside = oklabToSRGB(lightness, chroma * cos(angle), chroma * sin(angle)) {
            return Color(red: inside.0, green: inside.1, blue: inside.2, alpha: alpha)
        }
        for _ in 0..<24 {
            let mid = (low + high) / 2
            if oklabToSRGB(lightness, mid * cos(angle), mid * sin(angle)) != nil { low = mid } else { high = mid }
        }
        let rgb = oklabToSRGB(lightness, low * cos(angle), low * sin(angle)) ?? (lightness, lightness, lightness)
        return Color(red: rgb.0, green: rgb.1, blue: rgb.2, alpha: alpha)
    }
}

/// OKLab (Björn Ottosson's published matrices) to gamma-encoded sRGB; nil when out of gamut.
func oklabToSRGB(_ l: Double, _ a: Double, _ b: Double) -> (Double, Double, Double)? {
    let l1 = l + 0.3963377774 * a + 0.2158037573 * b
    let m1 = l - 0.1055613458 * a - 0.0638541728 * b
    let s1 = l - 0.0894841775 * a - 1.2914855480 * b
    let (lc, mc, sc) = (l1 * l1 * l1, m1 * m1 * m1, s1 * s1 * s1)
    let linear = (4.0767416621 * lc - 3.3077115913 * mc + 0.2309699292 * sc,
                  -1.2684380046 * lc + 2.6097574011 * mc - 0.3413193965 * sc,
                  -0.0041960863 * lc - 0.7034186147 * mc + 1.7076147010 * sc)
    let tolerance = 1e-6
    for v in [linear.0, linear.1, linear.2] where v < -tolerance || v > 1 + tolerance { return nil }
    func encode(_ v: Double) -> Double {
        let c = min(max(v, 0), 1)
        return c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055
    }
    return (encode(linear.0), encode(linear.1), encode(linear.2))
}

/// Distinct series colours: evenly spread OKLCh hues at one lightness, so no series
/// stands out by brightness alone.
public enum Palette {
    static let hues: [Double] = [255, 40, 145, 320, 85, 195, 10, 280]

    public static func color(_ index: Int) -> Color {
        let hue = hues[index % hues.count]
        let lightness = index / hues.count % 2 == 0 ? 0.58 : 0.72
        return .oklch(lightness: lightness, chroma: 0.16, hue: hue)
    }
}
