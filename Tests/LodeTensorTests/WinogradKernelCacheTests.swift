import XCTest
@testable import LodeTensor

/// The transformed-kernel cache of inference convolutions: a hit gives the very floats a fresh
/// transform gives, weights changed in place are never answered from a stale entry, and training
/// (weights whose gradient is recorded) does not use it.
final class WinogradKernelCacheTests: XCTestCase {
    override func tearDown() {
        Convolution.algorithm = .automatic
        WinogradKernelCache.shared.removeAll()
        super.tearDown()
    }

    private func bits(_ t: Tensor) -> [UInt32] { (0..<t.count).map { t.pointer[$0].bitPattern } }

    /// The output with the weight followed by the tape (so nothing is cached).
    private func uncached(_ x: Tensor, _ w: Tensor, _ b: Tensor?) throws -> Tensor {
        let tracked = w.copied()
        tracked.requiresGrad = true
        return try conv2d(x, weight: tracked, bias: b, padding: 1)
    }

    func testHitsGiveTheSameFloatsAndChangedWeightsMiss() throws {
        for algorithm in [ConvolutionAlgorithm.winograd, .winograd4x4] {
            Convolution.algorithm = algorithm
            WinogradKernelCache.shared.removeAll()
            let x = try Tensor.normal([3, 24, 9, 10], seed: 1)
            let w = try Tensor.normal([16, 24, 3, 3], standardDeviation: 0.3, seed: 2), b = try Tensor.normal([16], seed: 3)
            let expected = bits(try uncached(x, w, b))
            XCTAssertEqual(WinogradKernelCache.shared.hits, 0, "\(algorithm): training-style calls do not use the cache")
            let first = try noGrad { try conv2d(x, weight: w, bias: b, padding: 1) }
            let second = try noGrad { try conv2d(x, weight: w, bias: b, padding: 1) }
            XCTAssertEqual(WinogradKernelCache.shared.hits, 1, "\(algorithm): the second inference call is a hit")
            XCTAssertEqual(bits(first), expected, "\(algorithm): miss")
            XCTAssertEqual(bits(second), expected, "\(algorithm): hit")
            // An in-place update (as an optimiser makes) at the last weight: a miss, new values.
            w.pointer[w.count - 1] += 0.25
            let changed = try noGrad { try conv2d(x, weight: w, bias: b, padding: 1) }
            XCTAssertEqual(WinogradKernelCache.shared.hits, 1, "\(algorithm): changed weights miss")
            XCTAssertEqual(bits(changed), bits(try uncached(x, w, b)), "\(algorithm): changed weights")
            XCTAssertNotEqual(bits(changed), expected, "\(algorithm): the change shows in the output")
            // Both weight sets now sit in the cache; the first is found again after changing back.
            w.pointer[w.count - 1] -= 0.25
            let back = try noGrad { try conv2d(x, weight: w, bias: b, padding: 1) }
            XCTAssertEqual(bits(back), bits(try uncached(x, w, b)), "\(algorithm): weights changed back")
        }
    }

    func testOldestEntriesLeaveBeyondTheBudget() throws {
        Convolution.algorithm = .winograd4x4
        // 36·O·C + 9·O·C floats each: 180 channels make about 1.46 M, so twelve exceed 16 M.
        let x = try Tensor.normal([1, 180, 8, 8], seed: 4)
        var weights: [Tensor] = []
        for k in 0..<12 {
            let w = try Tensor.normal([180, 180, 3, 3], standardDeviation: 0.05, seed: 10 + UInt64(k))
            weights.append(w)
            _ = try noGrad { try conv2d(x, weight: w, padding: 1) }
        }
        let hitsBefore = WinogradKernelCache.shared.hits
        _ = try noGrad { try conv2d(x, weight: weights[11], padding: 1) }
        XCTAssertEqual(WinogradKernelCache.shared.hits, hitsBefore + 1, "the newest entry stays")
        let y = try noGrad { try conv2d(x, weight: weights[0], padding: 1) }
        XCTAssertEqual(WinogradKernelCache.shared.hits, hitsBefore + 1, "the oldest entry was evicted")
        XCTAssertEqual(bits(y), bits(try uncached(x, weights[0], nil)), "recomputed after eviction")
    }
}
