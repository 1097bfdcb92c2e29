import Foundation

/// Deterministic random numbers: every random choice in LodeGeo takes a seed, and the same seed
/// gives the same numbers on every machine (SplitMix64, which needs no platform support).
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    private var spareGaussian: Double?

    public init(seed: UInt64) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// Uniform integer in 0..<bound (bound > 0).
    public mutating func index(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// Standard normal by the Box-Muller transform (pairs cached so no draw is wasted).
    public mutating func gaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        var u = uniform()
        while u <= 1e-300 { u = uniform() }
        let v = uniform()
        let radius = (-2 * log(u)).squareRoot()
        let angle = 2 * Double.pi * v
        spareGaussian = radius * sin(angle)
        return radius * cos(angle)
    }

    /// A derived generator, so independent parts of a computation do not share one stream.
    public func derived(_ salt: UInt64) -> SeededGenerator {
        var copy = SeededGenerator(seed: state ^ (salt &* 0xD1B5_4A32_D192_ED03))
        _ = copy.next()
        return copy
    }

    /// Fisher-Yates shuffle of indices 0..<count.
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        if count < 2 { return order }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = index(below: i + 1)
            order.swapAt(i, j)
        }
        return order
    }
}

