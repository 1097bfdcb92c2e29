import Foundation
import XCTest
@testable import LodeTensor

/// Lode's worker pool: every chunk of every job runs exactly once, back to back (the case the
/// pool is for), nested inside another job's chunk, and from several threads at once.
final class WorkerPoolTests: XCTestCase {
    func testEveryChunkRunsOnceInJobsBackToBack() {
        for count in [2, 3, 7, 8, 64, 1000] {
            let hits = UnsafeMutablePointer<Int>.allocate(capacity: count)
            defer { hits.deallocate() }
            for round in 0..<200 {
                hits.initialize(repeating: 0, count: count)
                WorkerPool.shared.run(count) { i in hits[i] += 1 + round }
                for i in 0..<count where hits[i] != 1 + round {
                    XCTFail("count \(count), round \(round): chunk \(i) ran \(hits[i]) (expected once, adding \(1 + round))")
                    return
                }
            }
        }
    }

    /// More calls than one job can count (1 << 16) run as contiguous runs of calls, each once.
    func testMoreCallsThanTheWordCountsRunOnceEach() {
        let count = 200_003
        let hits = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        defer { hits.deallocate() }
        hits.initialize(repeating: 0, count: count)
        WorkerPool.shared.run(count) { i in hits[i] += 1 }
        XCTAssertTrue(UnsafeBufferPointer(start: hits, count: count).allSatisfy { $0 == 1 })
    }

    func testNestedLoopsRunInsideTheirChunk() {
        let rows = 16, columns = 33
        let cells = UnsafeMutablePointer<Int>.allocate(capacity: rows * columns)
        defer { cells.deallocate() }
        cells.initialize(repeating: 0, count: rows * columns)
        parallelRange(rows) { r in
            for row in r { parallelRange(columns) { c in for column in c { cells[row * columns + column] += row * columns + column } } }
        }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: cells, count: rows * columns)), Array(0..<(rows * columns)))
    }

    func testCallersOnSeveralThreadsEachGetTheirOwnResults() {
        let callers = 4, count = 50
        let sums = UnsafeMutablePointer<Int>.allocate(capacity: callers * count)
        defer { sums.deallocate() }
        sums.initialize(repeating: 0, count: callers * count)
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            for round in 1...100 {
                WorkerPool.shared.run(count) { i in sums[caller * count + i] += round * (caller + 1) }
            }
        }
        for caller in 0..<callers {
            for i in 0..<count { XCTAssertEqual(sums[caller * count + i], 5050 * (caller + 1), "caller \(caller), chunk \(i)") }
        }
    }

    /// One thread asked for: every chunk runs on the caller.
    func testOneThreadRunsOnTheCaller() {
        let before = Threads.count
        defer { Threads.set(before) }
        Threads.set(1)
        let caller = pthread_self()
        var others = 0
        WorkerPool.shared.run(32) { _ in if pthread_equal(pthread_self(), caller) == 0 { others += 1 } }
        XCTAssertEqual(others, 0)
    }
}
