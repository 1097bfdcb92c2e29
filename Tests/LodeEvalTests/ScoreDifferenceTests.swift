import XCTest
@testable import LodeEval
import LodeTensor

final class ScoreDifferenceTests: XCTestCase {
    func testIdenticalMapsDifferByNothing() throws {
        let p = [0.2, 0.9, 0.55, 0.71]
        let d = try scoreDifference(p, p)
        XCTAssertEqual(d.difference, 0)
        XCTAssertEqual(d.low, 0)
        XCTAssertEqual(d.high, 0)
        XCTAssertEqual(d.wins, 0.5)
    }

    func testAConstantGapHasNoSpread() throws {
        let b = [0.1, 0.4, 0.6, 0.3, 0.8]
        let d = try scoreDifference(b.map { $0 + 0.05 }, b)
        XCTAssertEqual(d.difference, 0.05, accuracy: 1e-12)
        XCTAssertEqual(d.low, 0.05, accuracy: 1e-12)
        XCTAssertEqual(d.high, 0.05, accuracy: 1e-12)
        XCTAssertEqual(d.wins, 1)
    }

    /// Against normal theory: for many deposits the bootstrap interval of a mean is close to
    /// mean ± z * s / sqrt(n) (z = 1.6449 for 90 %; s with divisor n, as the bootstrap resamples).
    func testIntervalMatchesTheNormalApproximationForManyDeposits() throws {
        var random = RandomStream(seed: 7)
        let n = 400
        let b = (0..<n).map { _ in random.nextUnit() }
        let a = b.map { $0 + 0.05 + 0.2 * random.gaussian() }
        let d = try scoreDifference(a, b, level: 0.9, rounds: 20_000, seed: 3)
        let gaps = zip(a, b).map { $0 - $1 }
        let mean = gaps.reduce(0, +) / Double(n)
        let s = (gaps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
        let half = 1.6449 * s / Double(n).squareRoot()
        XCTAssertEqual(d.difference, mean, accuracy: 1e-12)
        XCTAssertEqual(d.low, mean - half, accuracy: 0.1 * half)
        XCTAssertEqual(d.high, mean + half, accuracy: 0.1 * half)
    }

    func testTheSameSeedGivesTheSameInterval() throws {
        let a = [0.9, 0.4, 0.75, 0.6, 0.99, 0.3], b = [0.8, 0.5, 0.7, 0.65, 0.9, 0.2]
        XCTAssertEqual(try scoreDifference(a, b, seed: 5), try scoreDifference(a, b, seed: 5))
        XCTAssertNotEqual(try scoreDifference(a, b, seed: 5).low, try scoreDifference(a, b, seed: 6).low)
    }

    func testMismatchedDepositsAreRefused() {
        XCTAssertThrowsError(try scoreDifference([0.5, 0.6], [0.5])) { error in
            XCTAssertTrue("\(error)".contains("2 and 1 deposits"), "\(error)")
        }
        XCTAssertThrowsError(try scoreDifference([], []))
        XCTAssertThrowsError(try scoreDifference([0.5], [0.4], level: 1.5))
    }
}
