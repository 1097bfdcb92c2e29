import CLodeKernels
import XCTest
@testable import LodeTensor

/// Winograd F(2×2, 3×3) and F(4×4, 3×3) against an independent double-precision direct convolution (forward,
/// input, weight and bias gradients) on odd and tiny shapes, against im2col, and by central
/// differences.
final class WinogradTests: XCTestCase {
    override func tearDown() {
        Convolution.algorithm = .automatic
        Convolution.panels = .automatic
        super.tearDown()
    }

    /// (batch, input channels, output channels, height, width): odd sizes, one channel, 1×1 and
    /// 2×2 maps, sizes that leave partial 4×4 tiles, a batch large enough for several groups, and
    /// rows wide enough for the transforms' 16-pixel transposed runs plus a tail, with channels
    /// that leave a partial block of lanes (19) or fill them (16).
    private let shapes: [(Int, Int, Int, Int, Int)] = [
        (1, 1, 1, 1, 1), (2, 1, 1, 5, 7), (3, 1, 4, 2, 2), (2, 3, 5, 6, 5), (1, 17, 9, 9, 4), (2, 2, 3, 3, 11),
        (9, 32, 32, 8, 8), (5, 40, 24, 7, 13), (2, 64, 16, 10, 6), (2, 19, 7, 6, 37), (1, 16, 16, 12, 32),
    ]

    /// y = W ⋆ x + b with padding 1 and, for the upstream gradient g, dx, dW and db, all in Double.
    private func reference(_ x: Tensor, _ w: Tensor, _ b: Tensor, _ g: Tensor) -> (y: [Double], dx: [Double], dw: [Double], db: [Double]) {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]), o = w.shape[0]
        var y = [Double](repeating: 0, count: n * o * h * wd), dx = [Double](repeating: 0, count: x.count)
        var dw = [Double](repeating: 0, count: w.count), db = [Double](repeating: 0, count: o)
        for s in 0..<n { for oc in 0..<o { for yy in 0..<h { for xx in 0..<wd {
            let out = ((s * o + oc) * h + yy) * wd + xx
            let go = Double(g.pointer[out])
            var acc = Double(b.pointer[oc])
            db[oc] += go
            for ci in 0..<c { for i in 0..<3 { for j in 0..<3 {
                let iy = yy + i - 1, ix = xx + j - 1
                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                let xi = ((s * c + ci) * h + iy) * wd + ix, wi = ((oc * c + ci) * 3 + i) * 3 + j
                acc += Double(w.pointer[wi]) * Double(x.pointer[xi])
                dx[xi] += Double(w.pointer[wi]) * go
                dw[wi] += Double(x.pointer[xi]) * go
            } } }
            y[out] = acc
        } } } }
        return (y, dx, dw, db)
    }

    /// Largest |a − b| over the scale of b's entries (the sums' magnitude sets float rounding).
    private func scaledError(_ a: Tensor, _ b: [Double]) -> Double {
        let scale = max(1, b.map(abs).max() ?? 0)
        var worst = 0.0
        for i in 0..<a.count { worst = max(worst, abs(Double(a.pointer[i]) - b[i]) / scale) }
        return worst
    }

    private func run(_ algorithm: ConvolutionAlgorithm, panels: ConvolutionPanels = .groups, _ x: Tensor, _ w: Tensor, _ b: Tensor,
                     _ g: Tensor) throws -> [Tensor] {
        Convolution.algorithm = algorithm
        Convolution.panels = panels
        let (xs, ws, bs) = (x.copied(), w.copied(), b.copied())
        for t in [xs, ws, bs] { t.requiresGrad = true }
        let y = try conv2d(xs, weight: ws, bias: bs, padding: 1)
        try y.backward(gradient: g)
        return [y, xs.grad ?? Tensor.zeros([0]), ws.grad ?? Tensor.zeros([0]), bs.grad ?? Tensor.zeros([0])]
    }

    /// Both algorithms agree with the double-precision reference to 1e-5 of the largest entry
    /// (float sums of up to 9·C products), and with each other to the same bound.
    func testMatchesDirectReferenceAndIm2col() throws {
        for (k, (n, c, o, h, wd)) in shapes.enumerated() {
            let seed = UInt64(10 * k)
            let x = try Tensor.normal([n, c, h, wd], seed: seed + 1)
            let w = try Tensor.normal([o, c, 3, 3], standardDeviation: 0.5, seed: seed + 2)
            let b = try Tensor.normal([o], seed: seed + 3)
            let g = try Tensor.normal([n, o, h, wd], seed: seed + 4)
            let ref = reference(x, w, b, g)
            let wino = try run(.winograd, x, w, b, g), direct = try run(.im2col, x, w, b, g)
            let wino4 = try run(.winograd4x4, x, w, b, g)
            let winoBatch = try run(.winograd, panels: .batch, x, w, b, g), wino4Batch = try run(.winograd4x4, panels: .batch, x, w, b, g)
            let label = "[\(n), \(c), \(h), \(wd)] → \(o)"
            for (name, i, want) in [("output", 0, ref.y), ("dx", 1, ref.dx), ("dW", 2, ref.dw), ("db", 3, ref.db)] {
                XCTAssertLessThanOrEqual(scaledError(wino[i], want), 1e-5, "Winograd \(name) \(label)")
                XCTAssertLessThanOrEqual(scaledError(wino4[i], want), 1e-5, "Winograd 4×4 \(name) \(label)")
                XCTAssertLessThanOrEqual(scaledError(winoBatch[i], want), 1e-5, "Winograd, batch panels \(name) \(label)")
                XCTAssertLessThanOrEqual(scaledError(wino4Batch[i], want), 1e-5, "Winograd 4×4, batch panels \(name) \(label)")
                XCTAssertLessThanOrEqual(scaledError(direct[i], want), 1e-5, "im2col \(name) \(label)")
                let other = (0..<direct[i].count).map { Double(direct[i].pointer[$0]) }
                XCTAssertLessThanOrEqual(scaledError(wino[i], other), 1e-5, "Winograd against im2col \(name) \(label)")
            }
        }
    }

    /// Central differences of L = Σ conv(x, W)·r through both Winograd paths (input and weight).
    /// At inference (no tape, transformed kernels cached) the automatic rule takes F(4×4) for
    /// 4×4 maps too, where training keeps F(2×2); both take F(4×4) for the thin stem and im2col
    /// below 8 input channels; the cached forward pass agrees with the double-precision
    /// reference, on a first call and on a cache hit.
    func testInferenceRuleAndItsCachedForwardPass() throws {
        XCTAssertEqual(Convolution.automaticInferenceChoice(inputChannels: 15, outputChannels: 64, height: 32, width: 32), .winograd4x4)
        XCTAssertEqual(Convolution.automaticChoice(inputChannels: 15, outputChannels: 64, height: 32, width: 32), .winograd4x4)
        XCTAssertEqual(Convolution.automaticChoice(inputChannels: 4, outputChannels: 64, height: 32, width: 32), .im2col)
        XCTAssertEqual(Convolution.automaticInferenceChoice(inputChannels: 512, outputChannels: 512, height: 4, width: 4), .winograd4x4)
        XCTAssertEqual(Convolution.automaticChoice(inputChannels: 512, outputChannels: 512, height: 4, width: 4), .winograd)
        XCTAssertEqual(Convolution.automaticInferenceChoice(inputChannels: 4, outputChannels: 64, height: 32, width: 32), .im2col)
        XCTAssertEqual(Convolution.automaticInferenceChoice(inputChannels: 64, outputChannels: 64, height: 3, width: 3), .im2col)
        Convolution.algorithm = .automatic
        for (k, (n, c, o, h, wd)) in [(3, 15, 32, 9, 7), (5, 40, 48, 4, 4)].enumerated() {
            let x = try Tensor.normal([n, c, h, wd], seed: UInt64(70 + k))
            let w = try Tensor.normal([o, c, 3, 3], standardDeviation: 0.5, seed: UInt64(80 + k))
            let b = try Tensor.normal([o], seed: UInt64(90 + k))
            let want = reference(x, w, b, Tensor.zeros([n, o, h, wd])).y
            for call in ["first", "cached"] {
                let y = try noGrad { try conv2d(x, weight: w, bias: b, padding: 1) }
                XCTAssertLessThanOrEqual(scaledError(y, want), 1e-5, "\(call) inference call [\(n), \(c), \(h), \(wd)] → \(o)")
            }
        }
    }

    func testFiniteDifferenceGradient() throws {
        for algorithm in [ConvolutionAlgorithm.winograd, .winograd4x4] {
            for panels in [ConvolutionPanels.groups, .batch] { try finiteDifferences(algorithm, panels) }
        }
    }

    private func finiteDifferences(_ algorithm: ConvolutionAlgorithm, _ panels: ConvolutionPanels) throws {
        Convolution.algorithm = algorithm
        Convolution.panels = panels
        let x = try Tensor.normal([3, 4, 5, 6], seed: 41), w = try Tensor.normal([3, 4, 3, 3], standardDeviation: 0.3, seed: 42)
        x.requiresGrad = true
        w.requiresGrad = true
        let r = try Tensor.normal([3, 3, 5, 6], seed: 43)
        try conv2d(x, weight: w, padding: 1).backward(gradient: r)
        func loss() throws -> Double {
            let y = try noGrad { try conv2d(x, weight: w, padding: 1) }
            return (0..<y.count).reduce(0.0) { $0 + Double(y.pointer[$1]) * Double(r.pointer[$1]) }
        }
        let epsilon: Float = 1e-2
        for t in [x, w] {
            guard let grad = t.grad else { return XCTFail("no gradient") }
            for i in stride(from: 0, to: t.count, by: 7) {
                let saved = t.pointer[i]
                t.pointer[i] = saved + epsilon
                let plus = try loss()
                t.pointer[i] = saved - epsilon
                let minus = try loss()
                t.pointer[i] = saved
                let numeric = (plus - minus) / (2 * Double(epsilon))
                XCTAssertEqual(Double(grad.pointer[i]), numeric, accuracy: 2e-3 * max(1, abs(numeric)),
                               "\(algorithm), \(panels) panels: entry \(i) of \(t.shape)")
            }
        }
    }

    /// The same inputs give the same floats, bit for bit (several groups feed the weight gradient).
    func testDeterministic() throws {
        let x = try Tensor.normal([19, 32, 9, 8], seed: 51), w = try Tensor.normal([32, 32, 3, 3], seed: 52)
        let b = try Tensor.normal([32], seed: 53), g = try Tensor.normal([19, 32, 9, 8], seed: 54)
        for algorithm in [ConvolutionAlgorithm.winograd, .winograd4x4] { for panels in [ConvolutionPanels.groups, .batch] {
            let first = try run(algorithm, panels: panels, x, w, b, g), second = try run(algorithm, panels: panels, x, w, b, g)
            for i in 0..<4 {
                XCTAssertEqual((0..<first[i].count).map { first[i].pointer[$0] }, (0..<second[i].count).map { second[i].pointer[$0] },
                               "\(algorithm), \(panels) panels: result \(i)")
            }
        } }
    }

    /// With batch panels every GEMM and every sum runs over fixed parts of the batch, so the
    /// output and all three gradients are the same floats on 1, 2 or 3 threads.
    func testBatchPanelsAreBitIdenticalOnAnyThreadCount() throws {
        let x = try Tensor.normal([11, 24, 4, 6], seed: 61), w = try Tensor.normal([20, 24, 3, 3], seed: 62)
        let b = try Tensor.normal([20], seed: 63), g = try Tensor.normal([11, 20, 4, 6], seed: 64)
        let before = Threads.count
        defer { Threads.set(before) }
        for algorithm in [ConvolutionAlgorithm.winograd, .winograd4x4] {
            Threads.set(1)
            let one = try run(algorithm, panels: .batch, x, w, b, g).map(\.scalars)
            for count in [2, 3] {
                Threads.set(count)
                let other = try run(algorithm, panels: .batch, x, w, b, g).map(\.scalars)
                for i in 0..<4 {
                    XCTAssertEqual(one[i].map(\.bitPattern), other[i].map(\.bitPattern), "\(algorithm) result \(i) on \(count) threads")
                }
            }
        }
    }

    /// The tile transforms and the products run in CLodeKernels on the CPU's path; every path
    /// gives the same floats (the same operations in the same order, the products' fused
    /// multiply-adds included), so results do not depend on the machine.
    func testEveryCPUPathGivesTheSameFloats() throws {
        // 37 wide: whole transposed runs of 4, 8 and 16 pixels and a tail on every path; 19
        // channels: a partial block of lanes on every path.
        let x = try Tensor.normal([3, 19, 9, 37], seed: 71), w = try Tensor.normal([6, 19, 3, 3], seed: 72)
        let b = try Tensor.normal([6], seed: 73), g = try Tensor.normal([3, 6, 9, 37], seed: 74)
        let saved = lode_cpu_path()
        defer { _ = lode_cpu_use_path(saved) }
        XCTAssertEqual(lode_cpu_use_path(Int32(LODE_CPU_PORTABLE)), 0)
        var expected: [[[Float]]] = []
        for algorithm in [ConvolutionAlgorithm.winograd, .winograd4x4] {
            expected.append(try run(algorithm, panels: .batch, x, w, b, g).map(\.scalars))
        }
        var checked = 0
        for path in [LODE_CPU_AVX2, LODE_CPU_AVX512] where lode_cpu_path_available(Int32(path)) == 1 {
            XCTAssertEqual(lode_cpu_use_path(Int32(path)), 0)
            for (k, algorithm) in [ConvolutionAlgorithm.winograd, .winograd4x4].enumerated() {
                let got = try run(algorithm, panels: .batch, x, w, b, g).map(\.scalars)
                for i in 0..<4 {
                    XCTAssertEqual(got[i].map(\.bitPattern), expected[k][i].map(\.bitPattern),
                                   "\(algorithm) result \(i) on \(String(cString: lode_cpu_path_name(Int32(path))))")
                }
            }
            checked += 1
        }
        print("Winograd transforms compared on \(checked) vector path(s) besides the portable one")
    }
}
