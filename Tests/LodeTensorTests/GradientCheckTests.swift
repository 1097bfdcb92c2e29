import XCTest
@testable import LodeTensor

/// Central-difference checks of every differentiable op: the analytic vector-Jacobian product
/// of L = Σ f(x)·r (r fixed random) against (L(x+ε) − L(x−ε)) / 2ε, summed in Double.
final class GradientCheckTests: XCTestCase {
    private func randn(_ shape: [Int], _ seed: UInt64, scale: Float = 1) throws -> Tensor {
        try Tensor.normal(shape, standardDeviation: scale, seed: seed)
    }

    /// Distinct values at least 0.1 apart (so max/relu/abs kinks are far from ±ε).
    private func spread(_ shape: [Int], _ seed: UInt64) -> Tensor {
        let n = ShapeMath.count(shape)
        let order = permutation(n, seed: seed)
        return tensor(shape, order.map { (Float($0) - Float(n) / 2 + 0.5) * 0.1 + 0.013 })
    }

    private func check(_ name: String, _ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Double = 1e-2,
                       file: StaticString = #filePath, line: UInt = #line,
                       _ f: ([Tensor]) throws -> Tensor) throws {
        let xs = inputs.map { t -> Tensor in let c = t.copied(); c.requiresGrad = true; return c }
        let out = try f(xs)
        let r = try Tensor.normal(out.shape, seed: 99)
        func loss() throws -> Double {
            let y = try noGrad { try f(xs) }
            var s = 0.0
            for i in 0..<y.count { s += Double(y.pointer[i]) * Double(r.pointer[i]) }
            return s
        }
        try out.backward(gradient: r)
        for (k, x) in xs.enumerated() {
            guard let g = x.grad else { XCTFail("\(name): no gradient for input \(k)", file: file, line: line); continue }
            XCTAssertEqual(g.shape, x.shape, file: file, line: line)
            let step = Swift.max(1, x.count / 16)
            for i in stride(from: 0, to: x.count, by: step) {
                let saved = x.pointer[i]
                x.pointer[i] = saved + epsilon
                let plus = try loss()
                x.pointer[i] = saved - epsilon
                let minus = try loss()
                x.pointer[i] = saved
                let numeric = (plus - minus) / (2 * Double(epsilon))
                let analytic = Double(g.pointer[i])
                XCTAssertLessThanOrEqual(Swift.abs(numeric - analytic), tolerance * Swift.max(1, Swift.abs(numeric)),
                                         "\(name): input \(k)[\(i)] numeric \(numeric) analytic \(analytic)", file: file, line: line)
            }
        }
    }

    func testBroadcastingArithmetic() throws {
        let a = try randn([2, 3, 4], 1), b = try randn([3, 1], 2), c = try randn([4], 3)
        let positive = try randn([3, 1], 4).abs() + 0.5
        try check("add", [a, b]) { try $0[0] + $0[1] }
        try check("sub", [a, c]) { try $0[0] - $0[1] }
        try check("mul", [a, b]) { try $0[0] * $0[1] }
        try check("div", [a, positive]) { try $0[0] / $0[1] }
        try check("scalar ops", [a]) { (2 - $0[0] * 3 + 1) / 4 }
        try check("scalar over tensor", [positive]) { 2 / $0[0] }
        try check("neg", [a]) { -$0[0] }
        try check("maximum", [spread([2, 3, 4], 1), spread([3, 1], 2)]) { try Tensor.maximum($0[0], $0[1]) }
        try check("minimum", [spread([2, 3, 4], 3), spread([4], 4)]) { try Tensor.minimum($0[0], $0[1]) }
        let cond = try randn([3, 4], 5) .> Tensor(scalar: 0)
        try check("where", [a, c]) { try Tensor.where(cond, $0[0], $0[1]) }
    }

    func testUnary() throws {
        let x = try randn([3, 5], 6), s = spread([3, 5], 7), pos = try randn([3, 5], 8).abs() + 0.3
        try check("exp", [x]) { $0[0].exp() }
        try check("log", [pos]) { $0[0].log() }
        try check("sqrt", [pos]) { $0[0].sqrt() }
        try check("abs", [s]) { $0[0].abs() }
        try check("pow", [pos]) { $0[0].pow(2.5) }
        try check("squared", [x]) { $0[0].squared() }
        try check("clamp", [s]) { $0[0].clamped(min: -0.3, max: 0.35) }
        try check("relu", [s]) { $0[0].relu() }
        try check("gelu", [x * 2]) { $0[0].gelu() }
        try check("sigmoid", [x * 3]) { $0[0].sigmoid() }
        try check("tanh", [x]) { $0[0].tanh() }
    }

    func testReductionsOverSeveralAxes() throws {
        let x = try randn([2, 3, 4, 5], 9)
        try check("sum all", [x]) { try $0[0].sum() }
        try check("sum leading", [x]) { try $0[0].sum(axes: [0, 1]) }
        try check("sum trailing keep", [x]) { try $0[0].sum(axes: [2, 3], keepingDimensions: true) }
        try check("sum outer", [x]) { try $0[0].sum(axes: [0, 2, 3]) }
        try check("sum interleaved", [x]) { try $0[0].sum(axes: [1, 3]) }
        try check("mean", [x]) { try $0[0].mean(axes: [0, 2], keepingDimensions: true) }
        try check("variance", [x]) { try $0[0].variance(axes: [1, 3]) }
        let s = spread([2, 3, 4, 5], 10)
        try check("max", [s]) { try $0[0].max(axes: [1, 3]) }
        try check("max keep", [s]) { try $0[0].max(axes: [0], keepingDimensions: true) }
        try check("min", [s]) { try $0[0].min(axes: [2]) }
        try check("channelMeanMax", [s]) { try channelMeanMax($0[0]) }
        try check("globalAveragePool", [x]) { try globalAveragePool($0[0]) }
    }

    func testMovement() throws {
        let x = try randn([2, 3, 4], 11), y = try randn([2, 2, 4], 12)
        try check("reshape", [x]) { try $0[0].reshaped(6, -1).transposed() }
        try check("permute", [x]) { try $0[0].permuted(2, 0, 1) }
        try check("expand", [try randn([3, 1], 13)]) { try $0[0].expanded(to: [2, 3, 4]) }
        try check("concat", [x, y]) { try Tensor.concatenated([$0[0], $0[1]], axis: 1) }
        try check("slice", [x]) { try $0[0].sliced(axis: 2, range: 1..<3) }
        try check("pad", [x]) { try $0[0].padded([(0, 1), (2, 0), (1, 1)], value: 0.5) }
        try check("flip", [x]) { try $0[0].flipped(axes: [0, 2]) }
        try check("rot90", [x]) { try $0[0].rotated90(times: 1) }
        try check("rot90 x3", [x]) { try $0[0].rotated90(times: 3, axes: (0, 2)) }
        try check("unsqueeze+flatten", [x]) { try $0[0].unsqueezed(axis: 1).flattened(startAxis: 2) }
    }

    func testMatrixProducts() throws {
        try check("matmul 2d", [try randn([3, 4], 14), try randn([4, 5], 15)]) { try matmul($0[0], $0[1]) }
        try check("matmul batched", [try randn([2, 3, 4], 16), try randn([2, 4, 5], 17)]) { try matmul($0[0], $0[1]) }
        try check("matmul shared", [try randn([2, 3, 4], 18), try randn([4, 5], 19)]) { try matmul($0[0], $0[1]) }
        try check("matmul broadcast", [try randn([2, 1, 3, 4], 20), try randn([3, 4, 2], 21)]) { try matmul($0[0], $0[1]) }
        try check("linear", [try randn([2, 3, 4], 22), try randn([5, 4], 23), try randn([5], 24)]) {
            try linear($0[0], weight: $0[1], bias: $0[2])
        }
    }

    func testConvolutionAndPooling() throws {
        let x = try randn([2, 3, 6, 5], 25)
        try check("conv s1 p1", [x, try randn([4, 3, 3, 3], 26, scale: 0.3)]) { try conv2d($0[0], weight: $0[1], padding: 1) }
        try check("conv s2 p1 bias", [x, try randn([2, 3, 3, 3], 27, scale: 0.3), try randn([2], 28)]) {
            try conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1)
        }
        try check("conv 1x1 s2", [x, try randn([3, 3, 1, 1], 29)]) { try conv2d($0[0], weight: $0[1], stride: 2) }
        try check("conv 7x7 p3", [x, try randn([1, 3, 7, 7], 30, scale: 0.2)]) { try conv2d($0[0], weight: $0[1], padding: 3) }
        try check("maxpool", [spread([2, 2, 4, 6], 31)]) { try maxPool2d($0[0], kernelSize: 2) }
        try check("maxpool overlapping", [spread([1, 2, 5, 5], 32)]) { try maxPool2d($0[0], kernelSize: 3, stride: 2) }
    }

    func testNormalisationSoftmaxLosses() throws {
        let x = try randn([3, 2, 3, 4], 33) * 2 + 1
        try check("batchnorm train", [x, try randn([2], 34), try randn([2], 35)]) {
            try batchNorm2d($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVariance: nil, training: true)
        }
        let rm = try randn([2], 36), rv = try randn([2], 37).abs() + 0.5
        try check("batchnorm eval", [x, try randn([2], 38), try randn([2], 39)]) {
            try batchNorm2d($0[0], weight: $0[1], bias: $0[2], runningMean: rm, runningVariance: rv, training: false)
        }
        try check("layernorm", [try randn([2, 3, 6], 40) * 3, try randn([6], 41), try randn([6], 42)]) {
            try layerNorm($0[0], weight: $0[1], bias: $0[2])
        }
        // 37 wide: two 16-lane blocks and a tail; without and with the affine part.
        try check("layernorm wide", [try randn([2, 3, 37], 51) * 3, try randn([37], 52), try randn([37], 53)]) {
            try layerNorm($0[0], weight: $0[1], bias: $0[2])
        }
        try check("layernorm plain", [try randn([4, 32], 54) * 2]) { try layerNorm($0[0], weight: nil, bias: nil) }
        let z = try randn([2, 3, 5], 43) * 2
        try check("softmax last", [z]) { try $0[0].softmax() }
        try check("softmax middle", [z]) { try $0[0].softmax(axis: 1) }
        try check("logSoftmax", [z]) { try $0[0].logSoftmax(axis: -1) }
        try check("crossEntropy", [try randn([4, 3], 44) * 2]) { try crossEntropy(logits: $0[0], labels: [2, 0, 1, 2]) }
        try check("attention", [try randn([2, 4, 6], 45), try randn([18, 6], 46, scale: 0.4), try randn([18], 47),
                                try randn([6, 6], 48, scale: 0.4), try randn([6], 49)]) {
            try multiHeadSelfAttention($0[0], qkvWeight: $0[1], qkvBias: $0[2], projectionWeight: $0[3], projectionBias: $0[4], heads: 2)
        }
        try check("attention core", [try randn([2, 5, 12], 50)]) { try selfAttentionCore($0[0], heads: 2) }
        try check("first-query attention core", [try randn([2, 5, 12], 55)]) { try firstQueryAttentionCore($0[0], heads: 2) }
    }
}
