import CLodeKernels
import Foundation
import XCTest
@testable import LodeTensor

/// The vector kernels behind exp, sigmoid, tanh, erf and GELU (forward and backward), checked on
/// every dispatch path this CPU can run against the scalar libm result in Double rounded to Float.
/// Bound: at most 1 ulp on ~1e6-point sweeps over each function's useful range (they compute in
/// double and round once, so they are usually correctly rounded), and bit-identical across paths.
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
        let start = lode_cpu_path()
        defer { XCTAssertEqual(lode_cpu_use_path(start), 0) }
        var first: [Float]?
        var worst: Int64 = 0
        for path in Self.paths {
            XCTAssertEqual(lode_cpu_use_path(path), 0)
            let y = Self.run(kernel, inputs)
            let pathName = String(cString: lode_cpu_path_name(path))
            for (i, x) in inputs.enumerated() {
                let expected = Float(reference(Double(x)))
                let distance = Self.ulps(y[i], expected)
                worst = max(worst, distance)
                if distance > maxUlps {
                    XCTFail("\(name) [\(pathName)] at \(x): \(y[i]) vs \(expected) (\(distance) ulp)", file: file, line: line)
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

    func testGELU() {
        check("gelu", { lode_gelu($0, $1, $2) }, inputs: Self.sweep(-16, 8) + Self.specials, reference: Self.geluReference)
    }

    func testGELUBackward() {
        let ones = [Float](repeating: 1, count: 1 << 20 + Self.specials.count)
        let derivative: Kernel = { x, d, n in ones.withUnsafeBufferPointer { lode_gelu_backward(x, $0.baseAddress!, d, n) } }
        check("gelu'", derivative, inputs: Self.sweep(-40, 40) + Self.specials) { x in
            if x.isInfinite { return x > 0 ? 1 : 0 }
            return 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) + x * Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
        }
        // The gradient multiplies the derivative (rounded to float) by g.
        let x: [Float] = [-1.5, 0.25, 2], g: [Float] = [2, -3, 0.5]
        var out = [Float](repeating: 0, count: 3)
        lode_gelu_backward(x, g, &out, 3)
        for i in 0..<3 {
            let d = Double(x[i])
            let derivative = Float(0.5 * Foundation.erfc(-d / 2.0.squareRoot()) + d * Foundation.exp(-0.5 * d * d) / (2 * Double.pi).squareRoot())
            XCTAssertEqual(out[i], g[i] * derivative)
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
            XCTAssertEqual(gelu[i], Float(Self.geluReference(d)))
            XCTAssertEqual(exp[i], Float(Foundation.exp(d)))
        }
        let softmax = try tensor([1, 3], [1, 2, 3]).softmax().scalars
        let total = Foundation.exp(-2.0) + Foundation.exp(-1.0) + 1
        XCTAssertEqual(softmax[2], Float(1 / total), accuracy: 1e-7)
        XCTAssertEqual(softmax[0], Float(Foundation.exp(-2.0) / total), accuracy: 1e-7)
    }
}
