import Foundation

/// The one random stream of Lode: RandomStream (Vigna), a 64-bit generator whose sequence depends
/// only on its seed, so every machine draws the same numbers for the same seed. Every random
/// choice in every layer (weight initialisation, surveys, splits, negatives, augmentation,
/// k-means starts, SHAP coalitions, tree baselines) draws from a `RandomStream`.
///
/// Seeding rule: `RandomStream(seed: s)` starts from state `s`; its first draw is RandomStream's
/// first output from `s`. `skipping: n` discards the first `n` draws (LodeGeo's streams start one
/// draw in, which keeps the built-in survey and every LodeGeo result as they were).
///
/// Sub-streams: `derived("negatives")` gives an independent stream for one part of a command,
/// seeded from the parent's current state xor a stable 64-bit FNV-1a hash of the name (times an
/// odd constant), two draws in. A numeric salt works the same way without the hash. Deriving does
/// not advance the parent, so adding a sub-stream never shifts the numbers of another.
public struct RandomStream: RandomNumberGenerator, Sendable {
    private var state: UInt64
    /// The partner of the last `gaussian()` pair, returned by the next call.
    private var spareGaussian: Double?

    public init(seed: UInt64, skipping draws: Int = 0) {
        state = seed &+ UInt64(max(draws, 0)) &* 0x9E37_79B9_7F4A_7C15
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUnit()
    }

    /// Uniform integer in 0..<bound (bound > 0).
    public mutating func index(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// Index drawn with probability proportional to `weights` (non-negative, not all zero).
    public mutating func index(weights: [Double], total: Double) -> Int {
        var target = nextUnit() * total
        for (i, w) in weights.enumerated() {
            target -= w
            if target < 0 { return i }
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }

    /// Standard normal by Box–Muller, one value per two draws (the partner is not kept, so a value
    /// depends only on how many draws came before): what tensor initialisation uses.
    public mutating func nextNormal() -> Double {
        let u1 = 1 - nextUnit(), u2 = nextUnit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Standard normal by Box–Muller with the pair's partner kept for the next call (no draw is
    /// wasted): what LodeGeo's surveys and noise use.
    public mutating func gaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        var u = nextUnit()
        while u <= 1e-300 { u = nextUnit() }
        let v = nextUnit()
        let radius = (-2 * Foundation.log(u)).squareRoot()
        let angle = 2 * Double.pi * v
        spareGaussian = radius * Foundation.sin(angle)
        return radius * Foundation.cos(angle)
    }

    /// An independent sub-stream for the part of a command called `name` (see the type's doc).
    public func derived(_ name: String) -> RandomStream {
        derived(RandomStream.stableHash(name))
    }

    /// An independent sub-stream keyed by a number (see the type's doc).
    public func derived(_ salt: UInt64) -> RandomStream {
        RandomStream(seed: state ^ (salt &* 0xD1B5_4A32_D192_ED03), skipping: 2)
    }

    /// 64-bit FNV-1a of the UTF-8 bytes: fixed across runs and machines (Swift's `hashValue` is not).
    public static func stableHash(_ name: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }

    /// A random ordering of 0..<count (Fisher–Yates from the last index down).
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<max(count, 0))
        if order.count > 1 {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, index(below: i + 1))
            }
        }
        return order
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
        var rng = RandomStream(seed: seed)
        return try uniform(shape, low: low, high: high, using: &rng)
    }

    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, using rng: inout RandomStream) throws -> Tensor {
        guard high >= low else { throw TensorError(op: "uniform", "high \(high) below low \(low)") }
        return try filled(shape, "uniform") { Float(Double(low) + Double(high - low) * rng.nextUnit()) }
    }

    /// Normal values with the given mean and standard deviation.
    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1, seed: UInt64) throws -> Tensor {
        var rng = RandomStream(seed: seed)
        return try normal(shape, mean: mean, standardDeviation: standardDeviation, using: &rng)
    }

    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                              using rng: inout RandomStream) throws -> Tensor {
        try filled(shape, "normal") { Float(Double(mean) + Double(standardDeviation) * rng.nextNormal()) }
    }

    /// Normal values redrawn until they fall in [low, high] (absolute bounds, as PyTorch's
    /// `trunc_normal_(std=…, a=-2, b=2)`).
    public static func truncatedNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                       low: Float = -2, high: Float = 2, using rng: inout RandomStream) throws -> Tensor {
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
        var rng = RandomStream(seed: seed)
        return try truncatedNormal(shape, mean: mean, standardDeviation: standardDeviation, low: low, high: high, using: &rng)
    }
}

/// A random ordering of 0..<count from a fresh stream.
public func permutation(_ count: Int, seed: UInt64) -> [Int] {
    var rng = RandomStream(seed: seed)
    return rng.permutation(count)
}
