import Dispatch
import Foundation

/// Worker count for parallel loops: the machine's active cores.
let parallelWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// How many chunks `parallelRange` / `parallelChunks` split 0..<count into: a few more than
/// cores, so a core slowed by another process does not hold the rest back. It depends on the
/// count, the grain and the core count only, never on timing.
func chunkCount(_ count: Int, grain: Int = 1) -> Int {
    guard count > 0 else { return 0 }
    return parallelWorkers == 1 ? 1 : min(parallelWorkers * 4, max(1, count / max(grain, 1)))
}

/// Splits 0..<count into `chunkCount` contiguous chunks of at least `grain` items and runs them
/// on all cores. Chunks never overlap, so writes to disjoint ranges are race-free.
func parallelRange(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
    parallelChunks(count, grain: grain) { _, range in body(range) }
}

/// Like `parallelRange`, but each chunk also gets its index (< chunkCount(count, grain)).
/// Partial results kept per chunk and combined in chunk order give the same floats, bit for
/// bit, whichever core ran which chunk: the same seed gives the same numbers. (Partials kept
/// per worker would not: which chunks a worker pulls depends on timing.)
/// Returns the number of chunks.
@discardableResult
func parallelChunks(_ count: Int, grain: Int = 1, _ body: (_ chunk: Int, Range<Int>) -> Void) -> Int {
    let chunks = chunkCount(count, grain: grain)
    guard chunks > 0 else { return 0 }
    if chunks == 1 {
        body(0, 0..<count)
        return 1
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = count * c / chunks, hi = count * (c + 1) / chunks
        if lo < hi { body(c, lo..<hi) }
    }
    return chunks
}
