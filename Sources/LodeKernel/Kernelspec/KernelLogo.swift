import Foundation

/// Lode's logo: a gold lode crystal on a dark rock disc, drawn at any size (the kernelspec
/// ships 32 and 64 px PNGs and an SVG).
enum KernelLogo {
    private static let rock: (Double, Double, Double) = (0x2b, 0x3a, 0x42)
    private static let gold: (Double, Double, Double) = (0xe0, 0xa9, 0x2e)

    static func png(size: Int) -> [UInt8] {
        var image = RGBAImage(width: size, height: size)
        let samples = 4  // 4 x 4 supersampling for smooth edges
        for y in 0..<size {
            for x in 0..<size {
                var colour = (0.0, 0.0, 0.0), coverage = 0.0
                for sy in 0..<samples {
                    for sx in 0..<samples {
                        // Unit coordinates centred on the disc.
                        let u = (Double(x) + (Double(sx) + 0.5) / Double(samples)) / Double(size) * 2 - 1
                        let v = (Double(y) + (Double(sy) + 0.5) / Double(samples)) / Double(size) * 2 - 1
                        guard u * u + v * v <= 0.94 * 0.94 else { continue }
                        let inCrystal = abs(u) / 0.42 + abs(v) / 0.62 <= 1
                        let inVein = abs(v + u * 0.55) < 0.07 && abs(u) <= 0.8
                        let paint = inCrystal || inVein ? gold : rock
                        colour.0 += paint.0; colour.1 += paint.1; colour.2 += paint.2
                        coverage += 1
                    }
                }
                guard coverage > 0 else { continue }
                let total = Double(samples * samples)
                image[x, y] = (UInt8(colour.0 / coverage), UInt8(colour.1 / coverage), UInt8(colour.2 / coverage),
                               UInt8((coverage / total * 255).rounded()))
            }
        }
        return image.pngEncoded()
    }

    static let svg = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 2 2" width="64" height="64">
      <circle r="0.94" fill="#2b3a42"/>
      <polygon points="0,-0.62 0.42,0 0,0.62 -0.42,0" fill="#e0a92e"/>
      <line x1="-0.8" y1="0.44" x2="0.8" y2="-0.44" stroke="#e0a92e" stroke-width="0.12"/>
    </svg>
    """
}
