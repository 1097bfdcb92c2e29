import CLodeKernels
import Foundation
import XCTest
@testable import LodeTensor

/// The vector kernels behind exp, sigmoid, tanh, erf and GELU (forward and backward), checked on
/// every dispatch path this CPU can run against the scalar libm result in Double rounded to Float.
/// Bound: exp, sigmoid, tanh and erf at most 1 ulp on ~1e6-point sweeps over each function's
/// useful range (they compute in double and round once, so they are usually correctly rounded);
/// GELU and its derivative, computed in float, at most 4 ulp over ~4.4e6 floats of the whole
/// range. Every kernel is bit-identical across paths.
final class TranscendentalKernelTests: XCTestCase {
    typealias Kernel = (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void

    /// Distance in representable floats (0 and -0 are the same; NaN matches NaN only).
    static func ulps(_ a: Float, _ b: Float) -> Int64 {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : .max }
        func ordered(_ f: Float) -> Int64 {
            let bits = Int64(Int32(bitPattern: f.bitPattern))
            return bits < 0 ? Int64(Int32.min) - bits : bits
        }
        return Swift.abs(ordered(a) - ordered(b))
    }

    /// `count` points evenly over [lo, hi], then the same number log-spaced over ±[1e-9, 1] (both
    /// signs) so tiny inputs, where relative accuracy is hardest, are covered too.
    static func sweep(_ lo: Double, _ hi: Double, count: Int = 1 << 19) -> [Float] {
        let even = (0..<count).map { Float(lo + (hi - lo) * Double($0) / Double(count - 1)) }
        let small = (0..<count).map { i -> Float in
            let magnitude = 1e-9 * Foundation.pow(1e9, Double(i) / Double(count - 1))
            return Float(i % 2 == 0 ? magnitude : -magnitude)
        }
        return even + small
    }

    static func run(_ kernel: Kernel, _ x: [Float]) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in kernel(px.baseAddress!, py.baseAddress!, x.count) }
        }
        return y
    }

    static var paths: [Int32] {
        (0..<Int32(LODE_CPU_PATH_COUNT)).filter { lode_cpu_path_available($0) != 0 }
    }

    /// Runs `kernel` on every available path; asserts the bound against `reference` and that the
    /// paths agree bit for bit. Returns the worst distance seen.
    @discardableResult
    func check(_ name: String, _ kernel: Kernel, inputs: [Float], maxUlps: Int64 = 1,
               reference: (Double) -> Double, file: StaticString = #filePath, line: UInt = #line) -> Int64 {
        checkSweep(name, kernel, inputs: inputs, expected: inputs.map { Float(reference(Double($0))) },
                   maxUlps: maxUlps, file: file, line: line)
    }

    static let specials: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, 1e30, -1e30,
                                    .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                    .leastNonzeroMagnitude, -.leastNormalMagnitude, 1e-40]

    func testPathsAreDetected() {
        XCTAssertEqual(lode_cpu_path_available(Int32(LODE_CPU_PORTABLE)), 1)
        XCTAssertEqual(lode_cpu_path_available(Int32(LODE_CPU_PATH_COUNT)), 0)
        XCTAssertEqual(lode_cpu_use_path(-1), -1)
        XCTAssertEqual(lode_cpu_path_available(lode_cpu_path()), 1)
        XCTAssertEqual(lode_cpu_path_named("portable"), Int32(LODE_CPU_PORTABLE))
        XCTAssertEqual(lode_cpu_path_named("avx2"), Int32(LODE_CPU_AVX2))
        XCTAssertEqual(lode_cpu_path_named("avx512"), Int32(LODE_CPU_AVX512))
        XCTAssertEqual(lode_cpu_path_named("haswell"), -1)
        // Unless LODE_CPU asks otherwise, the best path the CPU has is the one in use.
        if ProcessInfo.processInfo.environment["LODE_CPU"] == nil {
            XCTAssertEqual(lode_cpu_path(), Self.paths.last!)
        }
    }

    func testExp() {
        check("exp", { lode_exp($0, $1, $2) }, inputs: Self.sweep(-104, 89) + Self.specials) { Foundation.exp($0) }
        // The softmax form subtracts in float first.
        check("exp shifted", { lode_exp_shifted($0, $1, $2, 3.25) }, inputs: Self.sweep(-100, 92)) {
            Foundation.exp(Double(Float($0) - 3.25))
        }
    }

    func testSigmoid() {
        check("sigmoid", { lode_sigmoid($0, $1, $2) }, inputs: Self.sweep(-110, 110) + Self.specials) {
            $0.isNaN ? $0 : 1 / (1 + Foundation.exp(-$0))
        }
    }

    func testTanh() {
        check("tanh", { lode_tanh($0, $1, $2) }, inputs: Self.sweep(-12, 12) + Self.specials) { Foundation.tanh($0) }
    }

    func testErf() {
        check("erf", { lode_erf($0, $1, $2) }, inputs: Self.sweep(-5, 5) + Self.specials) { Foundation.erf($0) }
    }

    /// x·Φ(x) with Φ from erfc in Double (no cancellation for negative x); GELU(−∞) is −0.
    static func geluReference(_ x: Double) -> Double {
        if x == -.infinity { return -0.0 }
        return x * 0.5 * Foundation.erfc(-x / 2.0.squareRoot())
    }

    /// Φ(x) + x·φ(x) in Double: its absolute error (~1e-17) stays far below a float ulp of the
    /// result even next to its zero at x ≈ −0.7518, where the nearest floats give ~5e-9.
    static func geluDerivativeReference(_ x: Double) -> Double {
        if x.isInfinite { return x > 0 ? 1 : 0 }
        return 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) + x * Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    }

    /// The GELU kernels compute in float (e^(−x²/2) and fitted rationals, see
    /// Sources/CLodeKernels/GELU.h), so they are not always correctly rounded; this is their bound
    /// for both, relative to the result (in subnormal steps where the result is subnormal).
    /// scripts/gelu_exhaustive.c checks every float with |x| <= 16: at most 4 ulp (GELU on 10
    /// inputs of 2.2e9, its derivative on 1476), 2 ulp or less on all but 1.3e5.
    static let geluMaxUlps: Int64 = 4

    /// ~4.4 million floats over GELU's whole range: every 509th bit pattern of each sign up to
    /// |x| = 16 (so every binade, subnormal inputs, results that are subnormal near x = −14, and
    /// the underflow to −0), log-spaced |x| in [16, 1e4], every float within 4096 steps of the
    /// derivative's zero at −0.7517915, and the specials (±0, ±∞, NaN, huge).
    static let geluInputs: [Float] = {
        var x: [Float] = []
        let top = Float(16).bitPattern
        for sign: UInt32 in [0, 0x8000_0000] {
            for bits in stride(from: UInt32(0), through: top, by: 509) { x.append(Float(bitPattern: bits | sign)) }
        }
        for i in 0..<(1 << 15) {
            let magnitude = Float(16 * Foundation.pow(625.0, Double(i) / Double((1 << 15) - 1)))
            x += [magnitude, -magnitude]
        }
        let root = Float(-0.7517915).bitPattern
        for step in -4096...4096 { x.append(Float(bitPattern: UInt32(Int64(root) + Int64(step)))) }
        return x + specials + [-1e4, 1e4, -14.3, -13.5, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
    }()

    /// Runs `kernel` on every available path against `expected` (computed once), asserting
    /// `maxUlps` and bit-identical paths; returns the worst distance.
    @discardableResult
    func checkSweep(_ name: String, _ kernel: Kernel, inputs: [Float], expected: [Float], maxUlps: Int64,
                    file: StaticString = #filePath, line: UInt = #line) -> Int64 {
        let start = lode_cpu_path()
        defer { XCTAssertEqual(lode_cpu_use_path(start), 0) }
        var first: [Float]?
        var worst: Int64 = 0
        for path in Self.paths {
            XCTAssertEqual(lode_cpu_use_path(path), 0)
            let y = Self.run(kernel, inputs)
            let pathName = String(cString: lode_cpu_path_name(path))
            for i in inputs.indices {
                let distance = Self.ulps(y[i], expected[i])
                worst = max(worst, distance)
                if distance > maxUlps {
                    XCTFail("\(name) [\(pathName)] at \(inputs[i]): \(y[i]) vs \(expected[i]) (\(distance) ulp)", file: file, line: line)
                    return distance
                }
            }
            if let first {
                XCTAssertTrue(zip(first, y).allSatisfy { $0.bitPattern == $1.bitPattern },
                              "\(name): path \(pathName) differs from path \(Self.paths[0])", file: file, line: line)
            } else {
                first = y
            }
        }
        return worst
    }

    func testGELU() {
        let x = Self.geluInputs
        XCTAssertGreaterThan(x.count, 4_000_000)
        let expected = x.map { Float(Self.geluReference(Double($0))) }
        let worst = checkSweep("gelu", { lode_gelu($0, $1, $2) }, inputs: x, expected: expected, maxUlps: Self.geluMaxUlps)
        // Most results are correctly rounded; the bound is for the rare worst case.
        let exact = zip(Self.run({ lode_gelu($0, $1, $2) }, x), expected).filter { Self.ulps($0, $1) == 0 }.count
        XCTAssertGreaterThan(Double(exact) / Double(x.count), 0.85, "worst \(worst) ulp")
        // Signs and specials exactly: −0 stays −0, −∞ and large negative x give −0, NaN stays NaN.
        let specials: [Float] = [-0.0, 0, -.infinity, .infinity, -1e4, -15.5, .nan, -.leastNonzeroMagnitude]
        let y = Self.run({ lode_gelu($0, $1, $2) }, specials)
        XCTAssertEqual(y[0].bitPattern, (-0.0 as Float).bitPattern)
        XCTAssertEqual(y[1].bitPattern, (0.0 as Float).bitPattern)
        XCTAssertEqual(y[2].bitPattern, (-0.0 as Float).bitPattern)
        XCTAssertEqual(y[3], .infinity)
        XCTAssertEqual(y[4].bitPattern, (-0.0 as Float).bitPattern)
        XCTAssertEqual(y[5].bitPattern, (-0.0 as Float).bitPattern)
        XCTAssertTrue(y[6].isNaN)
        XCTAssertEqual(y[7].bitPattern, (-0.0 as Float).bitPattern) // −2^-149 / 2 rounds to even, −0
    }

    func testGELUBackward() {
        let x = Self.geluInputs
        let ones = [Float](repeating: 1, count: x.count)
        let derivative: Kernel = { x, d, n in ones.withUnsafeBufferPointer { lode_gelu_backward(x, $0.baseAddress!, d, n) } }
        let expected = x.map { Float(Self.geluDerivativeReference(Double($0))) }
        checkSweep("gelu'", derivative, inputs: x, expected: expected, maxUlps: Self.geluMaxUlps)
        // Finite everywhere (no ∞·0): the derivative is 1 at +∞ and 0 at −∞.
        let infinite = Self.run(derivative, [.infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude])
        XCTAssertEqual(infinite, [1, 0, 1, 0])
        // The gradient multiplies the derivative (rounded to float) by g.
        let xs: [Float] = [-1.5, 0.25, 2], g: [Float] = [2, -3, 0.5]
        var out = [Float](repeating: 0, count: 3)
        var d = [Float](repeating: 0, count: 3)
        lode_gelu_backward(xs, g, &out, 3)
        lode_gelu_backward(xs, [1, 1, 1], &d, 3)
        for i in 0..<3 {
            XCTAssertEqual(out[i], g[i] * d[i])
            XCTAssertLessThanOrEqual(Self.ulps(d[i], Float(Self.geluDerivativeReference(Double(xs[i])))), Self.geluMaxUlps)
        }
    }

    /// Every length's tail (the part shorter than a vector) goes through the same arithmetic.
    func testTailsMatchWholeVectors() {
        let x = (0..<37).map { Float($0) * 0.37 - 6 }
        let whole = Self.run({ lode_gelu($0, $1, $2) }, x)
        for n in 1...x.count {
            let part = Self.run({ lode_gelu($0, $1, $2) }, Array(x[0..<n]))
            XCTAssertEqual(part, Array(whole[0..<n]), "length \(n)")
        }
    }

    /// The Tensor ops use the kernels (forward and backward) and match the Double references.
    func testTensorOpsUseKernels() throws {
        let values: [Float] = [-7, -2.5, -0.001, 0, 0.3, 1.75, 9]
        let x = tensor([7], values)
        let sigmoid = x.sigmoid().scalars, tanh = x.tanh().scalars, gelu = x.gelu().scalars, exp = x.exp().scalars
        for (i, v) in values.enumerated() {
            let d = Double(v)
            XCTAssertEqual(sigmoid[i], Float(1 / (1 + Foundation.exp(-d))))
            XCTAssertEqual(tanh[i], Float(Foundation.tanh(d)))
            XCTAssertLessThanOrEqual(Self.ulps(gelu[i], Float(Self.geluReference(d))), Self.geluMaxUlps)
            XCTAssertEqual(exp[i], Float(Foundation.exp(d)))
        }
        let softmax = try tensor([1, 3], [1, 2, 3]).softmax().scalars
        let total = Foundation.exp(-2.0) + Foundation.exp(-1.0) + 1
        XCTAssertEqual(softmax[2], Float(1 / total), accuracy: 1e-7)
        XCTAssertEqual(softmax[0], Float(Foundation.exp(-2.0) / total), accuracy: 1e-7)
    }
}
