import Foundation
import LodeTensor

/// A Late-Triassic intrusion: an ellipse (centre, semi-axes in metres, orientation in radians).
public struct Intrusion: Sendable {
    public var centre: SIMD2<Double>
    public var semiMajor: Double
    public var semiMinor: Double
    public var angle: Double

    /// Approximate signed distance to the contact: negative inside, positive outside (metres).
    public func contactDistance(_ p: SIMD2<Double>) -> Double {
        let d = p - centre
        let u = d.x * cos(angle) + d.y * sin(angle), v = -d.x * sin(angle) + d.y * cos(angle)
        let r = ((u / semiMajor) * (u / semiMajor) + (v / semiMinor) * (v / semiMinor)).squareRoot()
        return (r - 1) * (semiMajor * semiMinor).squareRoot()
    }

    public func boundary(points: Int = 48) -> [SIMD2<Double>] {
        (0...points).map { k in
            let t = 2 * Double.pi * Double(k) / Double(points)
            let u = semiMajor * cos(t), v = semiMinor * sin(t)
            return centre + SIMD2(u * cos(angle) - v * sin(angle), u * sin(angle) + v * cos(angle))
        }
    }
}

/// A smooth Gaussian random field with unit variance: a sum of random plane waves with
/// wavelengths between `shortest` and `longest` metres (spatially correlated variation).
struct RandomField {
    var wavevectors: [SIMD2<Double>]
    var phases: [Double]

    init(random: inout RandomStream, waves: Int = 48, shortest: Double = 4000, longest: Double = 40000) {
        wavevectors = (0..<waves).map { _ in
            let wavelength = exp(random.uniform(log(shortest), log(longest)))
            let direction = random.uniform(0, Double.pi)
            return SIMD2(cos(direction), sin(direction)) * (2 * Double.pi / wavelength)
        }
        phases = (0..<waves).map { _ in random.uniform(0, 2 * Double.pi) }
    }

    func value(_ p: SIMD2<Double>) -> Double {
        var s = 0.0
        for k in wavevectors.indices { s += cos((wavevectors[k] * p).sum() + phases[k]) }
        return s * (2.0 / Double(wavevectors.count)).squareRoot()
    }
}

/// Lithological domains: nearest seed after a smooth warp of the coordinates (irregular contacts).
struct Domains {
    var seeds: [SIMD2<Double>]
    var lithology: [Int]
    var warpX: RandomField
    var warpY: RandomField

    func domain(_ p: SIMD2<Double>) -> Int {
        let q = p + SIMD2(warpX.value(p), warpY.value(p)) * 2500
        var best = 0, bestDistance = Double.infinity
        for (i, s) in seeds.enumerated() {
            let d = ((q - s) * (q - s)).sum()
            if d < bestDistance { bestDistance = d; best = i }
        }
        return best
    }

    func lithology(_ p: SIMD2<Double>) -> Int { lithology[domain(p)] }
}

/// A deposit of the synthetic survey with the structure that controls it.
struct SyntheticDeposit {
    var position: SIMD2<Double>
    var kind: String
    /// Unit vector along the controlling fault (halo elongation).
    var strike: SIMD2<Double>
    var strength: Double
    var alongSpread: Double
    var acrossSpread: Double
}

enum FaultBuilder {
    /// A sinuous polyline through `origin` along `direction`, from -reach to +reach metres.
    static func sinuous(origin: SIMD2<Double>, direction: SIMD2<Double>, reach: Double, step: Double,
                        amplitude: Double, wavelength: Double, random: inout RandomStream) -> [SIMD2<Double>] {
        let normal = SIMD2(-direction.y, direction.x)
        let phase = random.uniform(0, 2 * Double.pi)
        let phase2 = random.uniform(0, 2 * Double.pi)
        let count = Int(2 * reach / step) + 1
        return (0..<count).map { k in
            let s = -reach + Double(k) * step
            let offset = amplitude * sin(2 * Double.pi * s / wavelength + phase)
                + 0.35 * amplitude * sin(2 * Double.pi * s / (wavelength * 0.37) + phase2)
            return origin + direction * s + normal * offset
        }
    }

    /// Proper intersection point of segments p1-p2 and q1-q2, if any.
    static func intersection(_ p1: SIMD2<Double>, _ p2: SIMD2<Double>, _ q1: SIMD2<Double>, _ q2: SIMD2<Double>) -> SIMD2<Double>? {
        let r = p2 - p1, s = q2 - q1
        let denominator = r.x * s.y - r.y * s.x
        if abs(denominator) < 1e-12 { return nil }
        let qp = q1 - p1
        let t = (qp.x * s.y - qp.y * s.x) / denominator
        let u = (qp.x * r.y - qp.y * r.x) / denominator
        guard t >= 0, t <= 1, u >= 0, u <= 1 else { return nil }
        return p1 + r * t
    }
}
