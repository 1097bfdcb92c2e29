import XCTest
import LodeTensor
@testable import LodeNN

/// BatchNorm folded into the preceding convolution at inference, against the two run in turn
/// (LodeTensor checks each of them against PyTorch): same outputs and gradients.
final class BatchNormFoldingTests: XCTestCase {
    /// A BatchNorm with non-trivial affine weights and running statistics.
    private func evaluatedNorm(_ channels: Int, seed: UInt64) throws -> BatchNorm2d {
        let bn = BatchNorm2d(channels)
        let values = try Tensor.normal([4, channels], seed: seed)
        for ch in 0..<channels {
            bn.weight.pointer[ch] = 1 + 0.5 * values.pointer[ch]
            bn.bias.pointer[ch] = values.pointer[channels + ch]
            bn.runningMean.pointer[ch] = values.pointer[2 * channels + ch]
            bn.runningVariance.pointer[ch] = 0.2 + abs(values.pointer[3 * channels + ch])
        }
        bn.eval()
        return bn
    }

    func testFoldedMatchesUnfoldedWithGradients() throws {
        // (input channels, output channels, kernel, stride, padding, bias): 3×3 (Winograd when
        // wide enough), strided, 1×1 projection, with and without a conv bias.
        for (c, o, k, stride, padding, hasBias) in [(3, 5, 3, 1, 1, false), (32, 32, 3, 1, 1, true), (4, 6, 3, 2, 1, true), (6, 8, 1, 2, 0, false)] {
            let bn = try evaluatedNorm(o, seed: UInt64(o))
            let x = try Tensor.normal([3, c, 8, 8], seed: 1), w = try Tensor.normal([o, c, k, k], standardDeviation: 0.3, seed: 2)
            let b = try Tensor.normal([o], seed: 3)
            let inputs = hasBias ? [x, w, b, bn.weight, bn.bias] : [x, w, bn.weight, bn.bias]
            func run(_ folded: Bool) throws -> (Tensor, [Tensor]) {
                let leaves = inputs.map { t -> Tensor in let l = t.copied(); l.requiresGrad = true; return l }
                let bias = hasBias ? leaves[2] : nil
                let (gamma, beta) = (leaves[leaves.count - 2], leaves[leaves.count - 1])
                let y = folded
                    ? try conv2dBatchNormFolded(leaves[0], weight: leaves[1], bias: bias, stride: stride, padding: padding,
                                                normWeight: gamma, normBias: beta, runningMean: bn.runningMean,
                                                runningVariance: bn.runningVariance, epsilon: bn.epsilon)
                    : try batchNorm2d(conv2d(leaves[0], weight: leaves[1], bias: bias, stride: stride, padding: padding),
                                      weight: gamma, bias: beta, runningMean: bn.runningMean, runningVariance: bn.runningVariance,
                                      training: false, epsilon: bn.epsilon)
                try y.backward(gradient: Tensor.normal(y.shape, seed: 4))
                return (y, leaves.map { $0.grad ?? Tensor.zeros([0]) })
            }
            let (folded, unfolded) = (try run(true), try run(false))
            let what = "\(c)→\(o) k\(k) s\(stride)\(hasBias ? " bias" : "")"
            // Winograd's rounding (F(4×4) from 8×8 maps) is bounded by the largest entry, as in
            // WinogradTests: 1e-5 of it.
            let scale = max(1, (0..<unfolded.0.count).map { abs(unfolded.0.pointer[$0]) }.max() ?? 0)
            XCTAssertNil(agrees(folded.0, unfolded.0, absolute: 1e-5 * scale, relative: 1e-5), what + " output")
            // Gradients: F(4×4)'s weight gradient is held to 1e-5 of the largest entry against a
            // double-precision reference (WinogradTests); the BatchNorm weight's gradient sums
            // 9·C products of it, so 5e-5 of the largest entry here.
            for (i, (a, e)) in zip(folded.1, unfolded.1).enumerated() {
                let largest = max(1, (0..<e.count).map { abs(e.pointer[$0]) }.max() ?? 0)
                XCTAssertNil(agrees(a, e, absolute: 5e-5 * largest, relative: 1e-5), what + " gradient \(i)")
            }
        }
    }

    /// ConvBN, Sequential(conv, bn) and the residual block fold in evaluation mode only, and
    /// give what running their layers one by one gives.
    func testModulesFoldOnlyInEvaluation() throws {
        var rng = RandomStream(seed: 7)
        let convBN = try ConvBN(4, 6, kernelSize: 3, padding: 1, rng: &rng)
        let conv = try Conv2d(4, 6, kernelSize: 3, padding: 1, bias: true, rng: &rng)
        let sequential = Sequential([conv, try evaluatedNorm(6, seed: 9), ReLU()])
        let norm = try evaluatedNorm(6, seed: 8)
        for ch in 0..<6 {
            convBN.bn.runningMean.pointer[ch] = norm.runningMean.pointer[ch]
            convBN.bn.runningVariance.pointer[ch] = norm.runningVariance.pointer[ch]
            convBN.bn.weight.pointer[ch] = norm.weight.pointer[ch]
        }
        let x = try Tensor.normal([2, 4, 7, 9], seed: 10)
        convBN.eval()
        sequential.eval()
        try noGrad {
            XCTAssertNil(agrees(try convBN(x), try convBN.bn(convBN.conv(x)), absolute: 1e-5, relative: 1e-5), "ConvBN")
            let bn = try XCTUnwrap(sequential.layers[1].module as? BatchNorm2d)
            XCTAssertNil(agrees(try sequential(x), try bn(conv(x)).relu(), absolute: 1e-5, relative: 1e-5), "Sequential")
        }
        // Training mode uses the batch's statistics (not the running ones) and updates them.
        convBN.train()
        let before = convBN.bn.runningMean.pointer[0]
        let trained = try convBN(x)
        XCTAssertNotEqual(convBN.bn.runningMean.pointer[0], before, "training updates the running mean")
        let batchMean = (0..<(2 * 63)).reduce(Float(0)) { s, i in s + trained.pointer[(i / 63) * 6 * 63 + i % 63] } / 126
        XCTAssertEqual(batchMean, convBN.bn.bias.pointer[0], accuracy: 1e-4, "training normalises with the batch mean")
    }

    /// At inference the ReLU after a folded convolution is applied as the convolution writes
    /// (Winograd's output transform, or a pass after im2col); bit for bit the ReLU run after it,
    /// NaN included (to 0, as Tensor.relu). With a gradient recorded it runs as its own op.
    func testFoldedConvolutionWithReLUMatchesTheReLUAfterIt() throws {
        let saved = Convolution.algorithm
        defer { Convolution.algorithm = saved }
        // 32 → 48 channels, 3×3 stride 1 on 9×10: Winograd F(2×2) and F(4×4); stride 2: im2col.
        for (algorithm, stride) in [(ConvolutionAlgorithm.winograd, 1), (.winograd4x4, 1), (.automatic, 2), (.im2col, 1)] {
            Convolution.algorithm = algorithm
            let x = try Tensor.normal([3, 32, 9, 10], seed: 31)
            x.pointer[5] = .nan
            let w = try Tensor.normal([48, 32, 3, 3], standardDeviation: 0.1, seed: 32), b = try Tensor.normal([48], seed: 33)
            let bn = try evaluatedNorm(48, seed: 34)
            func folded(_ relu: Bool) throws -> Tensor {
                try conv2dBatchNormFolded(x, weight: w, bias: b, stride: stride, padding: 1, normWeight: bn.weight,
                                          normBias: bn.bias, runningMean: bn.runningMean, runningVariance: bn.runningVariance,
                                          epsilon: bn.epsilon, thenReLU: relu)
            }
            let (fused, after) = try noGrad { (try folded(true), try folded(false).relu()) }
            let label = "\(algorithm), stride \(stride)"
            XCTAssertEqual(fused.shape, after.shape, label)
            XCTAssertEqual(fused.scalars.map(\.bitPattern), after.scalars.map(\.bitPattern), label)
            XCTAssertGreaterThan(fused.scalars.filter { $0 == 0 }.count, fused.count / 10, label + ": the ReLU clips")
            XCTAssertFalse(fused.scalars.contains { $0.isNaN }, label + ": NaN becomes 0")
            // Recording a gradient: the ReLU's own op, so the gradient reaches x through its mask.
            let leaf = x.copied()
            leaf.requiresGrad = true
            let y = try conv2dBatchNormFolded(leaf, weight: w, bias: b, stride: stride, padding: 1, normWeight: bn.weight,
                                              normBias: bn.bias, runningMean: bn.runningMean,
                                              runningVariance: bn.runningVariance, epsilon: bn.epsilon, thenReLU: true)
            XCTAssertEqual(y.scalars.map(\.bitPattern), after.scalars.map(\.bitPattern), label + " (recording)")
            try y.sum().backward()
            XCTAssertNotNil(leaf.grad, label + ": gradient to x")
        }
    }

    /// At inference Winograd keeps the kernel with the norm's scale folded in, cached by the raw
    /// weights and that scale: the same weights under two norms, in turn and again, give each
    /// norm's own folded result bit for bit (the recording path folds a copy of W instead).
    func testCachedScaledKernelsFollowTheNorm() throws {
        let saved = Convolution.algorithm
        defer { Convolution.algorithm = saved }
        Convolution.algorithm = .automatic
        let x = try Tensor.normal([2, 32, 8, 8], seed: 41)
        let w = try Tensor.normal([40, 32, 3, 3], standardDeviation: 0.1, seed: 42)
        let norms = [try evaluatedNorm(40, seed: 43), try evaluatedNorm(40, seed: 44)]
        func folded(_ bn: BatchNorm2d, recording: Bool) throws -> [UInt32] {
            let input = x.copied()
            input.requiresGrad = recording
            let run = {
                try conv2dBatchNormFolded(input, weight: w, bias: nil, stride: 1, padding: 1, normWeight: bn.weight,
                                          normBias: bn.bias, runningMean: bn.runningMean,
                                          runningVariance: bn.runningVariance, epsilon: bn.epsilon)
            }
            return try (recording ? run() : noGrad(run)).scalars.map(\.bitPattern)
        }
        let want = try norms.map { try folded($0, recording: true) }
        XCTAssertNotEqual(want[0], want[1])
        for round in 0..<2 {
            for (i, bn) in norms.enumerated() { XCTAssertEqual(try folded(bn, recording: false), want[i], "norm \(i), round \(round)") }
        }
    }

    /// BatchNorm with the ReLU fused, training and evaluation, against the two ops in turn:
    /// outputs, input and affine gradients, and the running statistics it moves.
    func testFusedReLUMatchesComposition() throws {
        for training in [true, false] {
            let x = try Tensor.normal([4, 3, 5, 6], seed: 21) * 2 + 0.5
            let gamma = try Tensor.normal([3], seed: 22) + 1, beta = try Tensor.normal([3], seed: 23)
            let upstream = try Tensor.normal([4, 3, 5, 6], seed: 24)
            func run(_ fused: Bool) throws -> (Tensor, [Tensor], Tensor, Tensor) {
                let leaves = [x, gamma, beta].map { t -> Tensor in let l = t.copied(); l.requiresGrad = true; return l }
                let mean = try Tensor(shape: [3], scalars: [0.1, -0.2, 0.3]), variance = try Tensor(shape: [3], scalars: [0.5, 1.5, 2])
                let y = fused
                    ? try batchNorm2dReLU(leaves[0], weight: leaves[1], bias: leaves[2], runningMean: mean, runningVariance: variance,
                                          training: training)
                    : try batchNorm2d(leaves[0], weight: leaves[1], bias: leaves[2], runningMean: mean, runningVariance: variance,
                                      training: training).relu()
                try y.backward(gradient: upstream)
                return (y, leaves.map { $0.grad ?? Tensor.zeros([0]) }, mean, variance)
            }
            let (fused, composed) = (try run(true), try run(false))
            let mode = training ? "training" : "evaluation"
            XCTAssertNil(agrees(fused.0, composed.0, absolute: 0), mode + " output")
            XCTAssertGreaterThan((0..<fused.0.count).filter { fused.0.pointer[$0] == 0 }.count, 10, "the ReLU clips some values")
            for (i, (a, e)) in zip(fused.1, composed.1).enumerated() { XCTAssertNil(agrees(a, e, absolute: 1e-6), mode + " gradient \(i)") }
            XCTAssertNil(agrees(fused.2, composed.2, absolute: 0), mode + " running mean")
            XCTAssertNil(agrees(fused.3, composed.3, absolute: 0), mode + " running variance")
        }
    }

    /// Sequential(conv, bn, relu) in training mode fuses the ReLU and gives what its layers give one by one.
    func testSequentialFusesReLUInTraining() throws {
        var rng = RandomStream(seed: 31)
        let conv = try Conv2d(3, 4, kernelSize: 3, padding: 1, bias: false, rng: &rng)
        let (fusedNorm, plainNorm) = (BatchNorm2d(4), BatchNorm2d(4))
        let sequential = Sequential([conv, fusedNorm, ReLU()])
        let x = try Tensor.normal([2, 3, 6, 6], seed: 32)
        let y = try noGrad { try sequential(x) }
        let want = try noGrad { try plainNorm(conv(x)).relu() }
        XCTAssertNil(agrees(y, want, absolute: 0), "Sequential in training")
        XCTAssertNil(agrees(fusedNorm.runningMean, plainNorm.runningMean, absolute: 0), "running mean moved once")
    }
}
