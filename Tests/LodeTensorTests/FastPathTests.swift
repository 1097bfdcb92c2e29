import Foundation
import XCTest
@testable import LodeTensor

/// The specialised loops against a general path: channels read eight at a time against each
/// channel alone, and so on. The results must be the same floats, bit for bit, so every
/// comparison is exact.
final class FastPathTests: XCTestCase {
    func assertIdentical(_ a: Tensor?, _ b: Tensor?, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let a, let b else { return XCTFail(what + ": missing", file: file, line: line) }
        XCTAssertEqual(a.shape, b.shape, what, file: file, line: line)
        let same = a.scalars.map(\.bitPattern) == b.scalars.map(\.bitPattern)
        XCTAssertTrue(same, what + ": values differ", file: file, line: line)
    }

    /// Channel `ch` of x [N, C, H, W] as [N, 1, H, W].
    func channel(_ x: Tensor, _ ch: Int) -> Tensor {
        let (n, c, hw) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        var values: [Float] = []
        for s in 0..<n { values += Array(UnsafeBufferPointer(start: x.pointer + (s * c + ch) * hw, count: hw)) }
        return try! Tensor(shape: [n, 1, x.shape[2], x.shape[3]], scalars: values)
    }

    /// BatchNorm sums eight channels side by side; each channel must come out as if it were
    /// normalised alone (13 channels: a full group and a partial one; odd plane sizes).
    func testBatchNormChannelGroupsMatchEachChannelAlone() throws {
        for (shape, thenReLU, training) in [([3, 13, 5, 7], true, true), ([2, 13, 3, 3], false, true), ([4, 9, 1, 5], true, false)] {
            let c = shape[1]
            let x = try Tensor.normal(shape, seed: 1) * 2 + 0.3, w = try Tensor.normal([c], seed: 2) + 1
            let b = try Tensor.normal([c], seed: 3), upstream = try Tensor.normal(shape, seed: 4)
            let variances = try Tensor.normal([c], seed: 5).abs() + 0.5
            func run(_ x: Tensor, _ w: Tensor, _ b: Tensor, _ up: Tensor, _ rv: Tensor) throws -> [Tensor?] {
                let leaves = [x, w, b].map { t -> Tensor in let l = t.copied(); l.requiresGrad = true; return l }
                let rm = Tensor.zeros(w.shape), rvar = rv.copied()
                let f = thenReLU ? batchNorm2dReLU : batchNorm2d
                let y = try f(leaves[0], leaves[1], leaves[2], rm, rvar, training, 0.1, 1e-5)
                try y.backward(gradient: up)
                return [y, leaves[0].grad, leaves[1].grad, leaves[2].grad, rm, rvar]
            }
            let all = try run(x, w, b, upstream, variances)
            for ch in 0..<c {
                func at(_ t: Tensor) throws -> Tensor { try Tensor(shape: [1], scalars: [t.pointer[ch]]) }
                let alone = try run(channel(x, ch), at(w), at(b), channel(upstream, ch), at(variances))
                let what = "\(shape) relu \(thenReLU) training \(training) channel \(ch)"
                assertIdentical(channel(all[0]!, ch), alone[0], what + " output")
                assertIdentical(channel(all[1]!, ch), alone[1], what + " input gradient")
                for (k, name) in [(2, "weight gradient"), (3, "bias gradient"), (4, "running mean"), (5, "running variance")] {
                    assertIdentical(try at(all[k]!), alone[k], what + " " + name)
                }
            }
        }
    }

    /// The per-channel scaling's gradient sums eight planes side by side; each must equal the
    /// plane's own dot product in order.
    func testPerChannelScaleGradientMatchesPlainDotProducts() throws {
        let x = try Tensor.normal([3, 11, 5, 3], seed: 6), s = try Tensor.normal([3, 11], seed: 7)
        let g = try Tensor.normal([3, 11, 5, 3], seed: 8)
        let leaf = s.copied(); leaf.requiresGrad = true
        try x.scaledPerChannel(leaf).backward(gradient: g)
        var want = [Float](repeating: 0, count: 33)
        for plane in 0..<33 {
            var acc: Float = 0
            for i in 0..<15 { acc += g.pointer[plane * 15 + i] * x.pointer[plane * 15 + i] }
            want[plane] = acc
        }
        assertIdentical(leaf.grad, try Tensor(shape: [3, 11], scalars: want), "scale gradient")
    }

    /// Row-major index of `index` in `shape`, with broadcast (size-1) axes read at 0; `index`
    /// has the output's rank and `shape` is aligned to its end.
    func offset(_ index: [Int], in shape: [Int]) -> Int {
        let lead = index.count - shape.count
        var o = 0
        for (d, n) in shape.enumerated() { o = o * n + (n == 1 ? 0 : index[lead + d]) }
        return o
    }

    /// Every binary op over same-shape, scalar, per-channel, trailing-vector and two-sided
    /// broadcasts (odd sizes; some large enough to be split over the cores) against a plain
    /// loop over output indices.
    func testBinaryOpsMatchAnIndexLoop() throws {
        let cases: [([Int], [Int])] = [([3, 5, 7], [3, 5, 7]), ([3, 5, 7], [1]), ([1], [4, 3]), ([2, 9, 5, 3], [1, 9, 1, 1]),
                                       ([2, 9, 5, 3], [2, 9, 1, 1]), ([4, 7, 5], [5]), ([6, 1, 1, 1], [1, 4, 3, 3]),
                                       ([2, 1, 9], [2, 8, 1]), ([97, 31, 13], [97, 1, 1]), ([40, 2000], [2000]), ([300, 211], [211])]
        let ops: [(String, (Tensor, Tensor) throws -> Tensor, (Float, Float) -> Float)] = [
            ("+", { try $0 + $1 }, { $0 + $1 }), ("-", { try $0 - $1 }, { $0 - $1 }), ("*", { try $0 * $1 }, { $0 * $1 }),
            ("/", { try $0 / $1 }, { $0 / $1 }), ("max", { try Tensor.maximum($0, $1) }, { Swift.max($0, $1) }),
            ("min", { try Tensor.minimum($0, $1) }, { Swift.min($0, $1) }), (">", { try $0 .> $1 }, { $0 > $1 ? 1 : 0 }),
            ("==", { try $0 .== $1 }, { $0 == $1 ? 1 : 0 })]
        for (k, (sa, sb)) in cases.enumerated() {
            let a = try Tensor.normal(sa, seed: UInt64(10 + k)), b = try Tensor.normal(sb, seed: UInt64(40 + k)) + 0.1
            // A few equal values, so the comparisons see ties.
            if a.count == b.count { for i in stride(from: 0, to: a.count, by: 5) { a.pointer[i] = b.pointer[i] } }
            let rank = max(sa.count, sb.count)
            let pa = [Int](repeating: 1, count: rank - sa.count) + sa, pb = [Int](repeating: 1, count: rank - sb.count) + sb
            let shape = zip(pa, pb).map { max($0, $1) }
            for (name, op, f) in ops {
                let got = try op(a, b)
                var want = [Float](repeating: 0, count: shape.reduce(1, *))
                var index = [Int](repeating: 0, count: rank)
                for i in want.indices {
                    var rem = i
                    for d in stride(from: rank - 1, through: 0, by: -1) { index[d] = rem % shape[d]; rem /= shape[d] }
                    want[i] = f(a.pointer[offset(index, in: sa)], b.pointer[offset(index, in: sb)])
                }
                assertIdentical(got, try Tensor(shape: shape, scalars: want), "\(sa) \(name) \(sb)")
            }
        }
    }

    /// Sums over trailing axes (a spatial mean) combine four outputs side by side; each must be
    /// the plain sum in index order, for output counts that are and are not multiples of four.
    func testTrailingSumsMatchPlainLoops() throws {
        for (shape, axes) in [([2, 5, 3, 7], [2, 3]), ([3, 6, 4, 4], [0, 2, 3]), ([1, 3, 1, 9], [3]), ([32, 64, 8, 8], [2, 3])] {
            let x = try Tensor.normal(shape, seed: 77)
            let got = try x.sum(axes: axes)
            // x viewed as [A, O, B]: A before the kept block, B after it.
            let keptFirst = (0..<shape.count).first { !axes.contains($0) }!
            let keptLast = (0..<shape.count).last { !axes.contains($0) }!
            let a = shape[..<keptFirst].reduce(1, *), o = shape[keptFirst...keptLast].reduce(1, *), b = shape[(keptLast + 1)...].reduce(1, *)
            var want = [Float](repeating: 0, count: o)
            for j in 0..<o {
                var acc: Float = 0
                for i in 0..<a { for k in 0..<b { acc += x.pointer[(i * o + j) * b + k] } }
                want[j] = acc
            }
            XCTAssertEqual(got.count, o)
            XCTAssertEqual(got.scalars.map(\.bitPattern), want.map(\.bitPattern), "sum of \(shape) over \(axes)")
        }
    }

    /// Adam updates sixteen values at a time, then the tail one by one: 37 values (two vectors
    /// and a tail), two steps, plain, with L2 decay and decoupled, against the rule written out
    /// per value in PyTorch's order.
    func testAdamVectorsMatchTheRuleValueByValue() throws {
        for (wd, decoupled) in [(Float(0), false), (0.1, false), (0.01, true)] {
            let start = try Tensor.normal([37], seed: 90)
            let p = start.copied(); p.requiresGrad = true
            let adam = Adam(parameters: [p], learningRate: 0.01, weightDecay: wd, decoupledWeightDecay: decoupled)
            var want = start.scalars, m = [Float](repeating: 0, count: 37), v = m
            for step in 1...2 {
                let g = try Tensor.normal([37], seed: UInt64(90 + step))
                p.grad = g
                adam.step()
                let bc1 = Float(1 - Foundation.pow(Double(Float(0.9)), Double(step)))
                let bc2Sqrt = Float((1 - Foundation.pow(Double(Float(0.999)), Double(step))).squareRoot())
                let (lr, b1, b2, eps): (Float, Float, Float, Float) = (0.01, 0.9, 0.999, 1e-8)
                for i in 0..<37 {
                    var gi = g.pointer[i]
                    if decoupled { want[i] *= 1 - lr * wd } else { gi += wd * want[i] }
                    m[i] = b1 * m[i] + (1 - b1) * gi
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi
                    want[i] -= lr / bc1 * m[i] / (v[i].squareRoot() / bc2Sqrt + eps)
                }
            }
            assertIdentical(p, try Tensor(shape: [37], scalars: want), "Adam wd \(wd) decoupled \(decoupled)")
        }
    }

    /// relu(body + shortcut) in one pass against the two ops in turn: values and both inputs'
    /// gradients, bit for bit (zero signs included), over an odd size split over the cores.
    func testResidualReLUMatchesSumThenReLU() throws {
        let body = try Tensor.normal([3, 7, 41, 67], seed: 60), shortcut = try Tensor.normal([3, 7, 41, 67], seed: 61)
        let upstream = try Tensor.normal([3, 7, 41, 67], seed: 62)
        func run(_ fused: Bool) throws -> [Tensor?] {
            let a = body.copied(), b = shortcut.copied()
            a.requiresGrad = true; b.requiresGrad = true
            let y = fused ? try residualReLU(a, b) : try (a + b).relu()
            try y.backward(gradient: upstream)
            return [y, a.grad, b.grad]
        }
        let (fused, composed) = (try run(true), try run(false))
        XCTAssertGreaterThan(fused[0]!.scalars.filter { $0 == 0 }.count, 1000, "the ReLU clips about half")
        for (k, name) in ["output", "body gradient", "shortcut gradient"].enumerated() { assertIdentical(fused[k], composed[k], name) }
    }

    /// relu(x · map + shortcut) in one pass against scaledPerPixel, the sum and the ReLU in
    /// turn: values and the three inputs' gradients, bit for bit.
    func testScaledResidualReLUMatchesTheOpsInTurn() throws {
        for shape in [[3, 5, 7, 9], [2, 16, 33, 31]] {
            let mapShape = [shape[0], 1, shape[2], shape[3]]
            let x = try Tensor.normal(shape, seed: 63), map = try Tensor.normal(mapShape, seed: 64)
            let shortcut = try Tensor.normal(shape, seed: 65), upstream = try Tensor.normal(shape, seed: 66)
            func run(_ fused: Bool) throws -> [Tensor?] {
                let leaves = [x, map, shortcut].map { t -> Tensor in let l = t.copied(); l.requiresGrad = true; return l }
                let y = fused ? try residualReLU(leaves[0], scaledPerPixelBy: leaves[1], leaves[2])
                              : try (leaves[0].scaledPerPixel(leaves[1]) + leaves[2]).relu()
                try y.backward(gradient: upstream)
                return [y] + leaves.map(\.grad)
            }
            let (fused, composed) = (try run(true), try run(false))
            for (k, name) in ["output", "x gradient", "map gradient", "shortcut gradient"].enumerated() {
                assertIdentical(fused[k], composed[k], "\(shape) " + name)
            }
        }
    }
}
