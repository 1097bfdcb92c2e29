import XCTest
@testable import LodeTensor

/// linear against a double-precision reference: y = x·Wᵀ + b and, for an upstream gradient g,
/// dx = g·W, dW = gᵀ·x, db = Σ g, on odd shapes (one row, one feature, widths that are not
/// multiples of a vector, rows that split unevenly over the cores).
final class LinearTests: XCTestCase {
    func testMatchesDoublePrecisionReference() throws {
        for (k, (rows, inF, outF)) in [(1, 1, 1), (47, 7, 17), (49, 33, 65), (100, 64, 3), (5, 130, 40)].enumerated() {
            let seed = UInt64(100 + 10 * k)
            let x = try Tensor.normal([rows, inF], seed: seed), w = try Tensor.normal([outF, inF], seed: seed + 1)
            let b = try Tensor.normal([outF], seed: seed + 2), g = try Tensor.normal([rows, outF], seed: seed + 3)
            let (xs, ws, bs) = (x.copied(), w.copied(), b.copied())
            for t in [xs, ws, bs] { t.requiresGrad = true }
            let y = try linear(xs, weight: ws, bias: bs)
            try y.backward(gradient: g)
            func at(_ t: Tensor, _ i: Int) -> Double { Double(t.pointer[i]) }
            var wantY = [Double](repeating: 0, count: rows * outF), wantX = [Double](repeating: 0, count: rows * inF)
            var wantW = [Double](repeating: 0, count: outF * inF), wantB = [Double](repeating: 0, count: outF)
            for r in 0..<rows { for o in 0..<outF {
                var acc = at(b, o)
                for i in 0..<inF {
                    acc += at(x, r * inF + i) * at(w, o * inF + i)
                    wantX[r * inF + i] += at(g, r * outF + o) * at(w, o * inF + i)
                    wantW[o * inF + i] += at(g, r * outF + o) * at(x, r * inF + i)
                }
                wantY[r * outF + o] = acc
                wantB[o] += at(g, r * outF + o)
            } }
            let label = "rows \(rows), \(inF) → \(outF)"
            for (name, got, want) in [("y", y, wantY), ("dx", xs.grad!, wantX), ("dW", ws.grad!, wantW), ("db", bs.grad!, wantB)] {
                XCTAssertEqual(got.count, want.count, name + " " + label)
                let scale = max(1, want.map(abs).max() ?? 0)
                let worst = (0..<want.count).map { abs(at(got, $0) - want[$0]) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst / scale, 2e-6, name + " " + label)
            }
        }
    }
}
