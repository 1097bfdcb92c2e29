import XCTest
@testable import LodeTensor

/// The same inputs give the same floats, bit for bit, however the cores share the work: the
/// parallel kernels keep partial sums per chunk of work, never per core.
final class DeterminismTests: XCTestCase {
    /// A full reduction over many chunks adds every chunk (each core runs several chunks).
    func testFullSumOverManyChunksIsExact() throws {
        let n = 1 << 20
        XCTAssertGreaterThan(chunkCount(n, grain: 1 << 15), parallelWorkers)
        let ones = Tensor.ones([n])
        XCTAssertEqual(try ones.sum().item, Float(n))
        let ramp = try Tensor(shape: [n], scalars: (0..<n).map { Float($0 % 7) })
        let expected = (0..<n).reduce(0) { $0 + $1 % 7 }
        XCTAssertEqual(try ramp.sum().item, Float(expected))
        XCTAssertEqual(try ramp.max().item, 6)
    }

    /// Convolution, layer normalisation and the fused spatial-attention convolution: forward
    /// and every gradient, twenty times over, identical bits each time.
    func testParallelGradientsAreBitIdenticalRunToRun() throws {
        var rng = RandomStream(seed: 11)
        let x = try Tensor.normal([32, 16, 12, 12], using: &rng)
        let w = try Tensor.normal([24, 16, 3, 3], standardDeviation: 0.1, using: &rng)
        let b = try Tensor.normal([24], using: &rng)
        let tokens = try Tensor.normal([32, 17, 40], using: &rng)
        let gamma = try Tensor.normal([40], using: &rng), beta = try Tensor.normal([40], using: &rng)
        let pooled = try Tensor.normal([32, 2, 12, 12], using: &rng)
        let tap = try Tensor.normal([1, 2, 7, 7], standardDeviation: 0.1, using: &rng)
        let leaves = [x, w, b, tokens, gamma, beta, pooled, tap]

        func run() throws -> [[Float]] {
            for leaf in leaves { leaf.requiresGrad = true; leaf.grad = nil }
            let conv = try conv2d(x, weight: w, bias: b, stride: 1, padding: 1)
            let strided = try conv2d(x, weight: w, bias: nil, stride: 2, padding: 1)
            let normed = try layerNorm(tokens, weight: gamma, bias: beta)
            let attention = try singleOutputConv2d(pooled, weight: tap, padding: 3)
            let loss = try (conv * conv).sum() + strided.sum() + (normed * normed).sum() + (attention * attention).sum()
            try loss.backward()
            return [conv.scalars, normed.scalars, attention.scalars, [loss.item]] + leaves.map { $0.grad?.scalars ?? [] }
        }
        let first = try run()
        XCTAssertTrue(first.allSatisfy { !$0.isEmpty })
        for attempt in 1..<20 {
            let again = try run()
            for (i, (a, b)) in zip(first, again).enumerated() {
                XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "result \(i) differs on run \(attempt)")
            }
        }
    }
}
