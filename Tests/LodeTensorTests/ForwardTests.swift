import XCTest
@testable import LodeTensor

/// Forward values against hand-computed results.
final class ForwardTests: XCTestCase {
    func testBroadcastingAndScalars() throws {
        let a = tensor([2, 3], [1, 2, 3, 4, 5, 6]), b = tensor([3], [10, 20, 30]), col = tensor([2, 1], [1, -1])
        XCTAssertEqual(try (a + b).scalars, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual(try (a * col).scalars, [1, 2, 3, -4, -5, -6])
        XCTAssertEqual(try (b - a).shape, [2, 3])
        XCTAssertEqual(try (a / col).scalars, [1, 2, 3, -4, -5, -6])
        XCTAssertEqual((1 - a * 2).scalars, [-1, -3, -5, -7, -9, -11])
        XCTAssertEqual(try Tensor.maximum(a, Tensor(scalar: 3.5)).scalars, [3.5, 3.5, 3.5, 4, 5, 6])
        XCTAssertEqual(try Tensor.minimum(a, b).scalars, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try (a .> Tensor(scalar: 3)).scalars, [0, 0, 0, 1, 1, 1])
        XCTAssertEqual(try (a .<= b).scalars, [1, 1, 1, 1, 1, 1])
        XCTAssertEqual(try Tensor.where(a .> Tensor(scalar: 2), a, -a).scalars, [-1, -2, 3, 4, 5, 6])
        XCTAssertEqual(a.clamped(min: 2, max: 4).scalars, [2, 2, 3, 4, 4, 4])
    }

    /// Layer norm over rows of 16-lane blocks plus a tail, against the definition in Double.
    func testLayerNormMatchesDoubleDefinition() throws {
        for d in [5, 16, 37, 256] {
            let x = try Tensor.normal([3, d], standardDeviation: 2, seed: 60), w = try Tensor.normal([d], seed: 61)
            let b = try Tensor.normal([d], seed: 62)
            let y = try layerNorm(x, weight: w, bias: b)
            for row in 0..<3 {
                let v = (0..<d).map { Double(x[row, $0]) }
                let mu = v.reduce(0, +) / Double(d)
                let variance = v.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(d)
                for i in 0..<d {
                    let want = (v[i] - mu) / (variance + 1e-5).squareRoot() * Double(w[i]) + Double(b[i])
                    XCTAssertEqual(Double(y[row, i]), want, accuracy: 2e-5, "d \(d) row \(row) column \(i)")
                }
            }
        }
    }

    func testActivations() throws {
        let x = tensor([4], [-2, -0.5, 0, 1.5])
        XCTAssertEqual(x.relu().scalars, [0, 0, 0, 1.5])
        // Exact GELU: x·Φ(x); Φ(1.5) = 0.9331928, Φ(−2) = 0.0227501.
        XCTAssertEqual(x.gelu().scalars[3], 1.5 * 0.9331928, accuracy: 1e-6)
        XCTAssertEqual(x.gelu().scalars[0], -2 * 0.0227501, accuracy: 1e-6)
        XCTAssertEqual(x.sigmoid().scalars[1], 1 / (1 + Foundation.exp(0.5)), accuracy: 1e-7)
        XCTAssertEqual(tensor([1], [-100]).sigmoid().item, 0, accuracy: 1e-30)
        XCTAssertEqual(x.tanh().scalars[3], Foundation.tanh(1.5), accuracy: 1e-7)
        XCTAssertEqual(tensor([2], [4, 9]).sqrt().scalars, [2, 3])
        XCTAssertEqual(tensor([2], [2, 3]).pow(3).scalars, [8, 27])
    }

    func testReductions() throws {
        let x = tensor([2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        XCTAssertEqual(try x.sum().item, 78)
        XCTAssertEqual(try x.sum(axes: [0]).scalars, [8, 10, 12, 14, 16, 18])
        XCTAssertEqual(try x.sum(axes: [0, 2]).scalars, [18, 26, 34] as [Float])
        XCTAssertEqual(try x.sum(axes: [1], keepingDimensions: true).shape, [2, 1, 2])
        XCTAssertEqual(try x.sum(axes: [1], keepingDimensions: true).scalars, [9, 12, 27, 30])
        XCTAssertEqual(try x.mean(axes: [-1]).scalars, [1.5, 3.5, 5.5, 7.5, 9.5, 11.5])
        XCTAssertEqual(try x.max(axes: [0, 1]).scalars, [11, 12])
        XCTAssertEqual(try x.min(axes: [2]).scalars, [1, 3, 5, 7, 9, 11])
        XCTAssertEqual(try tensor([4], [1, 2, 3, 6]).variance().item, 14.0 / 3.0, accuracy: 1e-6)
        XCTAssertEqual(try tensor([4], [1, 2, 3, 6]).variance(unbiased: false).item, 3.5, accuracy: 1e-6)
        let am = try tensor([2, 3], [1, 9, 2, 7, 3, 8]).argmax(axis: 1)
        XCTAssertEqual(am.indices, [1, 2])
        XCTAssertEqual(am.shape, [2])
    }

    func testMovement() throws {
        let x = tensor([2, 3], [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try x.transposed().scalars, [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(try x.reshaped(3, -1).shape, [3, 2])
        XCTAssertEqual(try x.flipped(axes: [1]).scalars, [3, 2, 1, 6, 5, 4])
        XCTAssertEqual(try x.rotated90().scalars, [3, 6, 2, 5, 1, 4])  // numpy.rot90
        XCTAssertEqual(try x.rotated90(times: 2).scalars, [6, 5, 4, 3, 2, 1])
        XCTAssertEqual(try x.sliced(axis: 1, range: 1..<3).scalars, [2, 3, 5, 6])
        XCTAssertEqual(try x.padded([(1, 0), (0, 1)]).scalars, [0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6, 0])
        XCTAssertEqual(try Tensor.concatenated([x, x * 10], axis: 1).scalars, [1, 2, 3, 10, 20, 30, 4, 5, 6, 40, 50, 60])
        XCTAssertEqual(try tensor([2, 1], [7, 8]).expanded(to: [2, 2]).scalars, [7, 7, 8, 8])
        XCTAssertEqual(try Tensor.arange(0, 5, step: 2).scalars, [0, 2, 4])
    }

    func testMatmulAgainstReferenceLoop() throws {
        let a = try Tensor.normal([3, 37, 19], seed: 4), b = try Tensor.normal([3, 19, 23], seed: 5)
        let c = try matmul(a, b)
        let want = Tensor.zeros([3, 37, 23])
        for i in 0..<3 {
            GEMM.referenceSgemm(transA: false, transB: false, m: 37, n: 23, k: 19, alpha: 1, a: a.pointer + i * 37 * 19, lda: 19,
                                b: b.pointer + i * 19 * 23, ldb: 23, beta: 0, c: want.pointer + i * 37 * 23, ldc: 23)
        }
        assertClose(c, want, tolerance: 1e-5)
        XCTAssertEqual(try matmul(tensor([1, 2], [1, 2]), tensor([2, 1], [3, 4])).item, 11)
    }

    /// Large products are split over the cores by rows or columns, transposed or not.
    func testSplitGEMMMatchesReference() throws {
        let x = try Tensor.normal([2000, 64], seed: 6), w = try Tensor.normal([96, 64], seed: 7)
        x.requiresGrad = true
        w.requiresGrad = true
        let y = try linear(x, weight: w)
        let g = try Tensor.normal([2000, 96], seed: 8)
        try y.backward(gradient: g)
        let wantY = Tensor.zeros([2000, 96]), wantGW = Tensor.zeros([96, 64]), wantGX = Tensor.zeros([2000, 64])
        GEMM.referenceSgemm(transA: false, transB: true, m: 2000, n: 96, k: 64, alpha: 1, a: x.pointer, lda: 64,
                            b: w.pointer, ldb: 64, beta: 0, c: wantY.pointer, ldc: 96)
        GEMM.referenceSgemm(transA: true, transB: false, m: 96, n: 64, k: 2000, alpha: 1, a: g.pointer, lda: 96,
                            b: x.pointer, ldb: 64, beta: 0, c: wantGW.pointer, ldc: 64)
        GEMM.referenceSgemm(transA: false, transB: false, m: 2000, n: 64, k: 96, alpha: 1, a: g.pointer, lda: 96,
                            b: w.pointer, ldb: 64, beta: 0, c: wantGX.pointer, ldc: 64)
        assertClose(y, wantY, tolerance: 1e-4, "y")
        assertClose(w.grad ?? wantGW * 0, wantGW, tolerance: 1e-3, "dW")
        assertClose(x.grad ?? wantGX * 0, wantGX, tolerance: 1e-4, "dX")
        // Short, wide C: split by columns, with a transposed B.
        let a = try Tensor.normal([8, 300], seed: 9), b = try Tensor.normal([3000, 300], seed: 10)
        let c = try matmul(a, b.transposed())
        let wantC = Tensor.zeros([8, 3000])
        GEMM.referenceSgemm(transA: false, transB: true, m: 8, n: 3000, k: 300, alpha: 1, a: a.pointer, lda: 300,
                            b: b.pointer, ldb: 300, beta: 0, c: wantC.pointer, ldc: 3000)
        assertClose(c, wantC, tolerance: 1e-4, "wide")
    }

    func testConvolutionByHand() throws {
        // 1 channel 3×3 input, 2×2 kernel of ones, padding 1, stride 2 → corner sums.
        let x = tensor([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let y = try conv2d(x, weight: Tensor.ones([1, 1, 2, 2]), bias: tensor([1], [0.5]), stride: 2, padding: 1)
        XCTAssertEqual(y.shape, [1, 1, 2, 2])
        XCTAssertEqual(y.scalars, [1.5, 5.5, 11.5, 28.5])
        let pooled = try maxPool2d(x, kernelSize: 2, stride: 1)
        XCTAssertEqual(pooled.scalars, [5, 6, 8, 9])
    }

    func testBatchNormUpdatesRunningStatisticsLikePyTorch() throws {
        // One channel with values 1…4 (batch 2, 1×2): mean 2.5, biased var 1.25, unbiased 5/3.
        let x = tensor([2, 1, 1, 2], [1, 2, 3, 4])
        let rm = tensor([1], [0]), rv = tensor([1], [1])
        let y = try batchNorm2d(x, weight: nil, bias: nil, runningMean: rm, runningVariance: rv, training: true)
        XCTAssertEqual(rm.item, 0.25, accuracy: 1e-7)
        XCTAssertEqual(rv.item, 0.9 + 0.1 * 5 / 3, accuracy: 1e-7)
        XCTAssertEqual(y.scalars[0], -1.5 / (1.25 + 1e-5).squareRoot(), accuracy: 1e-6)
        let e = try batchNorm2d(x, weight: nil, bias: nil, runningMean: rm, runningVariance: rv, training: false)
        XCTAssertEqual(e.scalars[3], (4 - 0.25) / (rv.item + 1e-5).squareRoot(), accuracy: 1e-6)
    }

    func testSoftmaxAndCrossEntropy() throws {
        let z = tensor([1, 3], [1, 2, 3])
        let e = [Foundation.exp(1.0), Foundation.exp(2.0), Foundation.exp(3.0)], s = e.reduce(0, +)
        for (i, v) in try z.softmax().scalars.enumerated() { XCTAssertEqual(Double(v), e[i] / s, accuracy: 1e-7) }
        XCTAssertEqual(Double(try z.logSoftmax().scalars[0]), Foundation.log(e[0] / s), accuracy: 1e-6)
        XCTAssertEqual(Double(try crossEntropy(logits: z, labels: [2]).item), -Foundation.log(e[2] / s), accuracy: 1e-6)
        // Large logits stay finite.
        XCTAssertEqual(try tensor([1, 2], [1000, 0]).softmax().scalars, [1, 0])
    }
}

import Foundation
