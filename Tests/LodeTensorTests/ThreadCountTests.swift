import XCTest
@testable import LodeTensor

/// The same inputs give the same floats, bit for bit, on 1, 2 or 3 threads: partial sums are
/// kept per block of fixed size, never per thread, for the ops of the ViT branch (attention,
/// layer norm, GELU, softmax, bias gradients), full sums and Adam.
final class ThreadCountTests: XCTestCase {
    /// Runs `body` with each thread count and asserts every returned array is bitwise equal.
    func assertSameOnAnyThreadCount(_ body: () throws -> [[Float]], file: StaticString = #filePath, line: UInt = #line) throws {
        let before = Threads.count
        defer { Threads.set(before) }
        Threads.set(1)
        let one = try body()
        XCTAssertTrue(one.allSatisfy { !$0.isEmpty }, file: file, line: line)
        for count in [2, 3] {
            Threads.set(count)
            let other = try body()
            for (i, (a, b)) in zip(one, other).enumerated() {
                XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "result \(i) differs on \(count) threads", file: file, line: line)
            }
        }
    }

    /// Attention, layer norm, GELU and a linear layer over a ViT-sized batch of tokens: outputs
    /// and every gradient.
    func testViTBlockIsBitIdenticalOnAnyThreadCount() throws {
        var rng = RandomStream(seed: 5)
        let tokens = try Tensor.normal([16, 65, 32], using: &rng)
        let qkv = try Tensor.normal([96, 32], standardDeviation: 0.2, using: &rng), qkvBias = try Tensor.normal([96], using: &rng)
        let projection = try Tensor.normal([32, 32], standardDeviation: 0.2, using: &rng), projectionBias = try Tensor.normal([32], using: &rng)
        let gamma = try Tensor.normal([32], using: &rng), beta = try Tensor.normal([32], using: &rng)
        let hidden = try Tensor.normal([64, 32], standardDeviation: 0.2, using: &rng), hiddenBias = try Tensor.normal([64], using: &rng)
        let leaves = [tokens, qkv, qkvBias, projection, projectionBias, gamma, beta, hidden, hiddenBias]
        try assertSameOnAnyThreadCount {
            for leaf in leaves { leaf.requiresGrad = true; leaf.grad = nil }
            let attended = try multiHeadSelfAttention(tokens, qkvWeight: qkv, qkvBias: qkvBias, projectionWeight: projection,
                                                      projectionBias: projectionBias, heads: 4)
            let normed = try layerNorm(attended + tokens, weight: gamma, bias: beta)
            let mlp = try linear(normed, weight: hidden, bias: hiddenBias).gelu()
            let logits = try mlp.mean(axis: 1).logSoftmax(axis: -1)
            let loss = try (logits * logits).sum() + mlp.sum()
            try loss.backward()
            return [attended.scalars, normed.scalars, mlp.scalars, [loss.item]] + leaves.map { $0.grad?.scalars ?? [] }
        }
    }

    /// A full sum over many blocks and a bias gradient ([rows, 48] summed to [48]) equal the sums
    /// worked out in Double (to float rounding), and do not change with the thread count.
    func testLongSumsMatchDoubleAndIgnoreThreadCount() throws {
        var rng = RandomStream(seed: 9)
        let long = try Tensor.normal([300_001], using: &rng)
        let rows = try Tensor.normal([3000, 48], using: &rng)
        let expectedTotal = long.scalars.reduce(0.0) { $0 + Double($1) }
        let values = rows.scalars
        let expectedColumns = (0..<48).map { j in (0..<3000).reduce(0.0) { $0 + Double(values[$1 * 48 + j]) } }
        try assertSameOnAnyThreadCount {
            let total = try long.sum().item
            XCTAssertEqual(Double(total), expectedTotal, accuracy: 0.05)
            let columns = try rows.sum(axis: 0).scalars
            for (got, want) in zip(columns, expectedColumns) { XCTAssertEqual(Double(got), want, accuracy: 1e-3) }
            return [[total], columns]
        }
    }

    /// Adam over parameters of many sizes (below and above one piece of 32 768 values): the
    /// update matches the formula worked out in Double, and the thread count changes nothing.
    func testAdamStepMatchesFormulaOnAnyThreadCount() throws {
        let sizes = [3, 40, 70_000, 1]
        try assertSameOnAnyThreadCount {
            var rng = RandomStream(seed: 3)
            let parameters = try sizes.map { try Tensor.normal([$0], using: &rng) }
            let gradients = try sizes.map { try Tensor.normal([$0], using: &rng) }
            let start = parameters.map(\.scalars)
            let adam = Adam(parameters: parameters, learningRate: 0.01)
            for (p, g) in zip(parameters, gradients) { p.grad = g }
            adam.step()
            for (p, (before, g)) in zip(parameters, zip(start, gradients.map(\.scalars))) {
                // First step: m̂ = g, v̂ = g², so the move is lr·g / (|g| + ε).
                for (i, value) in p.scalars.enumerated() {
                    let move = 0.01 * Double(g[i]) / (Swift.abs(Double(g[i])) + 1e-8)
                    XCTAssertEqual(Double(value), Double(before[i]) - move, accuracy: 1e-6)
                }
            }
            return parameters.map(\.scalars)
        }
    }
}
