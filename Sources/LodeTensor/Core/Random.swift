import Foundation

/// SplitMix64: a tiny 64-bit generator whose sequence depends only on the seed (no platform
/// RNG), so every machine draws the same numbers for the same seed.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal by Box–Muller (one draw per call; the pair's partner is not cached so a
    /// value depends only on how many draws came before).
    public mutating func nextNormal() -> Double {
        let u1 = 1 - nextUnit(), u2 = nextUnit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}

extension Tensor {
    private static func checked(_ shape: [Int], _ op: String) throws -> Int {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError(op: op, "negative size in shape \(shape)") }
        return ShapeMath.count(shape)
    }

    private static func filled(_ shape: [Int], _ op: String, _ draw: () -> Float) throws -> Tensor {
        let n = try checked(shape, op)
        let t = Tensor(uninitialized: shape)
        for i in 0..<n { t.pointer[i] = draw() }
        return t
    }

    /// Uniform values in [low, high).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, seed: UInt64) throws -> Tensor {
        var rng = SplitMix64(seed: seed)
        return try uniform(shape, low: low, high: high, using: &rng)
    }

    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, using rng: inout SplitMix64) throws -> Tensor {
        guard high >= low else { throw TensorError(op: "uniform", "high \(high) below low \(low)") }
        return try filled(shape, "uniform") { Float(Double(low) + Double(high - low) * rng.nextUnit()) }
    }

    /// Normal values with the given mean and standard deviation.
    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1, seed: UInt64) throws -> Tensor {
        var rng = SplitMix64(seed: seed)
        return try normal(shape, mean: mean, standardDeviation: standardDeviation, using: &rng)
    }

    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                              using rng: inout SplitMix64) throws -> Tensor {
        try filled(shape, "normal") { Float(Double(mean) + Double(standardDeviation) * rng.nextNormal()) }
    }

    /// Normal values redrawn until they fall in [low, high] (absolute bounds, as PyTorch's
    /// `trunc_normal_(std=…, a=-2, b=2)`).
    public static func truncatedNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                       low: Float = -2, high: Float = 2, using rng: inout SplitMix64) throws -> Tensor {
        guard high > low, Double(low) < Double(mean) + 6 * Double(standardDeviation),
              Double(high) > Double(mean) - 6 * Double(standardDeviation) else {
            throw TensorError(op: "truncatedNormal", "bounds [\(low), \(high)] leave no mass around mean \(mean)")
        }
        return try filled(shape, "truncatedNormal") {
            while true {
                let v = Double(mean) + Double(standardDeviation) * rng.nextNormal()
                if v >= Double(low) && v <= Double(high) { return Float(v) }
            }
        }
    }

    public static func truncatedNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                       low: Float = -2, high: Float = 2, seed: UInt64) throws -> Tensor {
        var rng = SplitMix64(seed: seed)
        return try truncatedNormal(shape, mean: mean, standardDeviation: standardDeviation, low: low, high: high, using: &rng)
    }
}

/// A random ordering of 0..<count (Fisher–Yates driven by SplitMix64).
public func permutation(_ count: Int, using rng: inout SplitMix64) -> [Int] {
    var p = Array(0..<max(count, 0))
    if p.count > 1 {
        for i in stride(from: p.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            p.swapAt(i, j)
        }
    }
    return p
}

public func permutation(_ count: Int, seed: UInt64) -> [Int] {
    var rng = SplitMix64(seed: seed)
    return permutation(count, using: &rng)
}
