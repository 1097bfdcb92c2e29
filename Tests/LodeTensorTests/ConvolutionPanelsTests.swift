import XCTest
@testable import LodeTensor

/// im2col convolutions with the whole batch in one panel (`ConvolutionPanels.batch`) against an
/// independent double-precision direct convolution and against per-group panels, on the shapes
/// that take them (strided 3×3, strided 1×1 projections, the ViT patch embedding, odd sizes), and
/// bit for bit on 1, 2 and 3 threads.
final class ConvolutionPanelsTests: XCTestCase {
    override func tearDown() {
        Convolution.algorithm = .automatic
        Convolution.panels = .automatic
        super.tearDown()
    }

    /// (batch, input channels, output channels, kernel, stride, padding, height, width)
    private let shapes: [(Int, Int, Int, Int, Int, Int, Int, Int)] = [
        (5, 6, 7, 3, 2, 1, 8, 8), (3, 4, 9, 1, 2, 0, 7, 5), (4, 5, 8, 4, 4, 0, 12, 8), (2, 3, 2, 3, 1, 0, 5, 6),
        (9, 16, 12, 3, 2, 1, 5, 9), (1, 1, 1, 3, 3, 2, 4, 4),
    ]

    /// y = W ⋆ x + b and, for the upstream gradient g, dx, dW and db, in Double.
    private func reference(_ x: Tensor, _ w: Tensor, _ b: Tensor, _ g: Tensor, stride: Int, padding: Int)
        -> [[Double]] {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]), (o, k) = (w.shape[0], w.shape[2])
        let (oh, ow) = (g.shape[2], g.shape[3])
        var y = [Double](repeating: 0, count: g.count), dx = [Double](repeating: 0, count: x.count)
        var dw = [Double](repeating: 0, count: w.count), db = [Double](repeating: 0, count: o)
        for s in 0..<n { for oc in 0..<o { for yy in 0..<oh { for xx in 0..<ow {
            let out = ((s * o + oc) * oh + yy) * ow + xx, go = Double(g.pointer[out])
            var acc = Double(b.pointer[oc])
            db[oc] += go
            for ci in 0..<c { for i in 0..<k { for j in 0..<k {
                let iy = yy * stride - padding + i, ix = xx * stride - padding + j
                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                let xi = ((s * c + ci) * h + iy) * wd + ix, wi = ((oc * c + ci) * k + i) * k + j
                acc += Double(w.pointer[wi]) * Double(x.pointer[xi])
                dx[xi] += Double(w.pointer[wi]) * go
                dw[wi] += Double(x.pointer[xi]) * go
            } } }
            y[out] = acc
        } } } }
        return [y, dx, dw, db]
    }

    private func run(_ panels: ConvolutionPanels, _ x: Tensor, _ w: Tensor, _ b: Tensor, _ g: Tensor, stride: Int,
                     padding: Int) throws -> [[Float]] {
        Convolution.algorithm = .im2col
        Convolution.panels = panels
        let (xs, ws, bs) = (x.copied(), w.copied(), b.copied())
        for t in [xs, ws, bs] { t.requiresGrad = true }
        let y = try conv2d(xs, weight: ws, bias: bs, stride: stride, padding: padding)
        try y.backward(gradient: g)
        return [y.scalars, xs.grad?.scalars ?? [], ws.grad?.scalars ?? [], bs.grad?.scalars ?? []]
    }

    private func tensors(_ i: Int) throws -> (Tensor, Tensor, Tensor, Tensor, Int, Int) {
        let (n, c, o, k, stride, padding, h, w) = shapes[i]
        let seed = UInt64(20 * i)
        let (oh, ow) = ((h + 2 * padding - k) / stride + 1, (w + 2 * padding - k) / stride + 1)
        return (try Tensor.normal([n, c, h, w], seed: seed + 1), try Tensor.normal([o, c, k, k], standardDeviation: 0.5, seed: seed + 2),
                try Tensor.normal([o], seed: seed + 3), try Tensor.normal([n, o, oh, ow], seed: seed + 4), stride, padding)
    }

    /// Both layouts match the reference to 1e-5 of its largest entry (float sums of up to
    /// C·k² products), and each other to the same bound.
    func testBatchPanelsMatchDirectReferenceAndGroups() throws {
        for i in shapes.indices {
            let (x, w, b, g, stride, padding) = try tensors(i)
            let want = reference(x, w, b, g, stride: stride, padding: padding)
            let batch = try run(.batch, x, w, b, g, stride: stride, padding: padding)
            let groups = try run(.groups, x, w, b, g, stride: stride, padding: padding)
            for (r, name) in ["output", "dx", "dW", "db"].enumerated() {
                let scale = max(1, want[r].map(abs).max() ?? 0)
                XCTAssertEqual(batch[r].count, want[r].count, "\(name) of shape \(i)")
                for (j, value) in batch[r].enumerated() {
                    XCTAssertEqual(Double(value), want[r][j], accuracy: 1e-5 * scale, "batch \(name) [\(j)] of shape \(i)")
                    XCTAssertEqual(value, groups[r][j], accuracy: Float(1e-5 * scale), "batch against groups \(name) [\(j)] of shape \(i)")
                }
            }
        }
    }

    func testBatchPanelsAreBitIdenticalOnAnyThreadCount() throws {
        let before = Threads.count
        defer { Threads.set(before) }
        for i in [0, 4] {
            let (x, w, b, g, stride, padding) = try tensors(i)
            Threads.set(1)
            let one = try run(.batch, x, w, b, g, stride: stride, padding: padding)
            for count in [2, 3] {
                Threads.set(count)
                let other = try run(.batch, x, w, b, g, stride: stride, padding: padding)
                for r in 0..<4 {
                    XCTAssertEqual(one[r].map(\.bitPattern), other[r].map(\.bitPattern), "result \(r) of shape \(i) on \(count) threads")
                }
            }
        }
    }
}
