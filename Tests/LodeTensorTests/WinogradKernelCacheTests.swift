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

    /// With room for three kernels: five layers run in turn keep some cached (plain LRU would
    /// evict each just before its next use), and once the weights change for good (a training
    /// step), the new ones take the place of the old within some rounds.
    func testBudgetKeepsPartOfALargeModelAndStaleEntriesLeave() throws {
        Convolution.algorithm = .winograd4x4
        let savedBudget = WinogradKernelCache.budget
        defer { WinogradKernelCache.budget = savedBudget }
        // 9 original floats per pair, and 36 transformed matrices of 16 × 16, each one cache line
        // (16 floats) longer (`positionStride`).
        WinogradKernelCache.budget = 3 * (9 * 16 * 16 + 36 * (16 * 16 + 16))
        WinogradKernelCache.shared.removeAll()
        let x = try Tensor.normal([2, 16, 8, 8], seed: 4)
        let layers = try (0..<5).map { try Tensor.normal([16, 16, 3, 3], standardDeviation: 0.2, seed: 20 + UInt64($0)) }
        func round(_ weights: [Tensor]) throws -> Int {
            let before = WinogradKernelCache.shared.hits
            for w in weights {
                let y = try noGrad { try conv2d(x, weight: w, padding: 1) }
                XCTAssertEqual(bits(y), bits(try uncached(x, w, nil)), "cached or not, the same floats")
            }
            return WinogradKernelCache.shared.hits - before
        }
        XCTAssertEqual(try round(layers), 0, "first round: all misses")
        XCTAssertGreaterThan(try round(layers), 0, "second round: part of the five stays cached")
        XCTAssertGreaterThan(try round(layers), 0, "and keeps being hit")
        let updated = try (0..<3).map { try Tensor.normal([16, 16, 3, 3], standardDeviation: 0.2, seed: 40 + UInt64($0)) }
        var lastRound = 0
        for _ in 0..<10 { lastRound = try round(updated) }
        XCTAssertEqual(lastRound, 3, "after some rounds the three new kernels are all cached")
    }
}
