import Foundation
import XCTest
@testable import LodeTensor

/// LODE_THREADS parsing and the thread count that parallel loops and GEMM follow.
final class ThreadsTests: XCTestCase {
    func testEnvironmentValueIsParsed() {
        var warnings: [String] = []
        XCTAssertEqual(Threads.parsed("3", cores: 8) { warnings.append($0) }, 3)
        XCTAssertEqual(Threads.parsed(" 2 ", cores: 8) { warnings.append($0) }, 2)
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(Threads.parsed("0", cores: 8) { warnings.append($0) }, 8)
        XCTAssertEqual(Threads.parsed("two", cores: 8) { warnings.append($0) }, 8)
        XCTAssertEqual(Threads.parsed("1.5", cores: 8) { warnings.append($0) }, 8)
        XCTAssertEqual(warnings.count, 3)
        XCTAssertTrue(warnings[1].contains("LODE_THREADS=two"), warnings[1])
        XCTAssertEqual(Threads.parsed("16", cores: 8) { warnings.append($0) }, 16)
        XCTAssertTrue(warnings.last!.contains("more than the 8 cores"), warnings.last!)
    }

    func testSetChangesChunkingAndGEMM() throws {
        let before = Threads.count
        defer { Threads.set(before) }
        Threads.set(3)
        XCTAssertEqual(Threads.count, 3)
        XCTAssertEqual(GEMM.workers, 3)
        XCTAssertEqual(chunkCount(1000), 12)  // four chunks per worker
        Threads.set(1)
        XCTAssertEqual(chunkCount(1000), 1)
        Threads.set(0)
        XCTAssertEqual(Threads.count, 1)
        // Results do not depend on the count for elementwise ops and GEMM (a sum within each output).
        let a = tensor([64, 48], (0..<3072).map { Float(($0 * 37) % 101) / 50 - 1 })
        let b = tensor([48, 32], (0..<1536).map { Float(($0 * 53) % 97) / 40 - 1.2 })
        let one = try matmul(a, b).gelu().scalars
        Threads.set(2)
        XCTAssertEqual(try matmul(a, b).gelu().scalars, one)
    }
}
