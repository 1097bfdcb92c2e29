import XCTest
import LodeTensor
@testable import LodeNN

/// The fused attention kernels against the generic LodeTensor ops they replace (which the
/// tensor core checks against PyTorch): same values and same gradients.
final class FusedKernelTests: XCTestCase {
    /// Values and input gradients of `f` for a fixed upstream gradient.
    func run(_ inputs: [Tensor], seed: UInt64, _ f: ([Tensor]) throws -> Tensor) throws -> (Tensor, [Tensor]) {
        let leaves = inputs.map { t -> Tensor in let c = t.copied(); c.requiresGrad = true; return c }
        let y = try f(leaves)
        try y.backward(gradient: Tensor.normal(y.shape, seed: seed))
        return (y, leaves.map { $0.grad ?? Tensor.zeros($0.shape) })
    }

    func assertSame(_ a: (Tensor, [Tensor]), _ b: (Tensor, [Tensor]), _ what: String) {
        XCTAssertNil(agrees(a.0, b.0, absolute: 1e-5), what + " forward")
        for (i, (ga, gb)) in zip(a.1, b.1).enumerated() { XCTAssertNil(agrees(ga, gb, absolute: 1e-4), what + " gradient \(i)") }
    }

    func testPerChannelAndPerPixelScalingMatchBroadcastProducts() throws {
        let x = try Tensor.normal([3, 5, 6, 7], seed: 1)
        let s = try Tensor.normal([3, 5], seed: 2), a = try Tensor.normal([3, 1, 6, 7], seed: 3)
        assertSame(try run([x, s], seed: 4) { try $0[0].scaledPerChannel($0[1]) },
                   try run([x, s], seed: 4) { try $0[0] * $0[1].reshaped([3, 5, 1, 1]) }, "per channel")
        assertSame(try run([x, a], seed: 5) { try $0[0].scaledPerPixel($0[1]) },
                   try run([x, a], seed: 5) { try $0[0] * $0[1] }, "per pixel")
    }

    func testChannelMeanMaxSharesTiedMaximaLikeTheGenericOp() throws {
        let x = try Tensor.normal([2, 4, 5, 5], seed: 6)
        // Channel 3 repeats channel 1, so every pixel where channel 1 wins has a tie.
        (x.pointer + 3 * 25).update(from: x.pointer + 25, count: 25)
        (x.pointer + 100 + 3 * 25).update(from: x.pointer + 100 + 25, count: 25)
        assertSame(try run([x], seed: 7) { try fusedChannelMeanMax($0[0]) },
                   try run([x], seed: 7) { try channelMeanMax($0[0]) }, "channel mean/max")
    }

    func testSingleOutputConvMatchesIm2colConvolution() throws {
        for (k, p, hw) in [(7, 3, 8), (3, 1, 4), (7, 3, 4), (3, 0, 6)] {
            let x = try Tensor.normal([3, 2, hw, hw], seed: 8), w = try Tensor.normal([1, 2, k, k], standardDeviation: 0.3, seed: 9)
            assertSame(try run([x, w], seed: 10) { try singleOutputConv2d($0[0], weight: $0[1], padding: p) },
                       try run([x, w], seed: 10) { try conv2d($0[0], weight: $0[1], padding: p) }, "conv k\(k) p\(p) \(hw)×\(hw)")
        }
    }

    /// The fused attention core against the composition it replaced: permute the packed qkv into
    /// heads, slice q, k, v, softmax(q·kᵀ/√d)·v, merge the heads. Odd sizes (7 tokens, head
    /// width 3) so a stride or offset slip cannot hide.
    func testSelfAttentionCoreMatchesTheComposedOps() throws {
        for (b, n, heads, hd) in [(2, 7, 3, 3), (1, 5, 1, 4), (3, 65, 2, 8)] {
            let d = heads * hd
            let qkv = try Tensor.normal([b, n, 3 * d], seed: 11)
            let composed: ([Tensor]) throws -> Tensor = { t in
                let split = try t[0].reshaped([b, n, 3, heads, hd]).permuted([2, 0, 3, 1, 4])
                func part(_ i: Int) throws -> Tensor { try split.sliced(axis: 0, range: i..<(i + 1)).reshaped([b, heads, n, hd]) }
                let mixed = try matmul(attentionWeights(queries: part(0), keys: part(1)), part(2))
                return try mixed.transposed(1, 2).reshaped([b, n, d])
            }
            assertSame(try run([qkv], seed: 12) { try selfAttentionCore($0[0], heads: heads) },
                       try run([qkv], seed: 12, composed), "attention core b\(b) n\(n) h\(heads)×\(hd)")
        }
        XCTAssertThrowsError(try selfAttentionCore(Tensor.zeros([2, 3, 10]), heads: 2))
    }

    /// The first-query core against the full core's first row, values and gradients (the full
    /// core's other rows get no upstream gradient), on the same odd sizes.
    func testFirstQueryAttentionCoreMatchesTheFullCoresFirstRow() throws {
        for (b, n, heads, hd) in [(2, 7, 3, 3), (1, 5, 1, 4), (3, 65, 2, 8), (2, 1, 2, 2)] {
            let d = heads * hd
            let qkv = try Tensor.normal([b, n, 3 * d], seed: 13)
            assertSame(try run([qkv], seed: 14) { try firstQueryAttentionCore($0[0], heads: heads) },
                       try run([qkv], seed: 14) { try selfAttentionCore($0[0], heads: heads).sliced(axis: 1, range: 0..<1) },
                       "first query b\(b) n\(n) h\(heads)×\(hd)")
        }
        XCTAssertThrowsError(try firstQueryAttentionCore(Tensor.zeros([2, 3, 10]), heads: 2))
    }

    /// An encoder block's first-token pass against its full pass read at token 0, both norm
    /// placements: the same output and the same gradients for the input and every parameter.
    func testEncoderBlockFirstTokenMatchesTheFullBlockAtTokenZero() throws {
        for norm in [ModelConfig.NormPlacement.post, .pre] {
            var rng = RandomStream(seed: 15)
            let block = try EncoderBlock(dimension: 12, heads: 3, mlpHidden: 20, norm: norm, rng: &rng)
            let x = try Tensor.normal([3, 9, 12], seed: 16)
            let upstream = try Tensor.normal([3, 1, 12], seed: 17)
            func pass(_ f: (Tensor) throws -> Tensor) throws -> (Tensor, [Tensor]) {
                for p in block.parameters() { p.grad = nil }
                let leaf = x.copied()
                leaf.requiresGrad = true
                let y = try f(leaf)
                try y.backward(gradient: upstream)
                return (y, [leaf.grad ?? Tensor.zeros(x.shape)] + block.parameters().map { $0.grad ?? Tensor.zeros($0.shape) })
            }
            let fast = try pass { try block.firstToken($0) }
            let full = try pass { try block($0).sliced(axis: 1, range: 0..<1) }
            XCTAssertEqual(fast.0.shape, [3, 1, 12])
            assertSame(fast, full, "\(norm.rawValue)-norm block")
        }
    }
}
