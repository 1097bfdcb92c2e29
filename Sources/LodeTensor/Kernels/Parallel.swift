import Dispatch
import Foundation

/// Worker count for parallel loops: the machine's active cores.
let parallelWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// Splits 0..<count into contiguous chunks of at least `grain` items and runs them on all
/// cores. There are a few more chunks than cores so a core slowed by another process does not
/// hold the rest back. Chunks never overlap, so writes to disjoint ranges are race-free.
func parallelRange(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = min(parallelWorkers * 4, max(1, count / max(grain, 1)))
    if chunks <= 1 || parallelWorkers == 1 {
        body(0..<count)
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = count * c / chunks, hi = count * (c + 1) / chunks
        if lo < hi { body(lo..<hi) }
    }
}

/// Like `parallelRange`, but each chunk also gets the index (< parallelWorkers) of the worker
/// running it, for per-worker scratch or partial sums; workers pull chunks from a shared queue.
/// Returns how many worker slots were used.
@discardableResult
func parallelChunks(_ count: Int, grain: Int = 1, _ body: (_ worker: Int, Range<Int>) -> Void) -> Int {
    guard count > 0 else { return 0 }
    let chunks = min(parallelWorkers * 4, max(1, count / max(grain, 1)))
    if chunks <= 1 || parallelWorkers == 1 {
        body(0, 0..<count)
        return 1
    }
    let queue = ChunkQueue()
    let workers = min(parallelWorkers, chunks)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        while let c = queue.next(below: chunks) {
            let lo = count * c / chunks, hi = count * (c + 1) / chunks
            if lo < hi { body(w, lo..<hi) }
        }
    }
    return workers
}

/// A shared counter handing out chunk indices.
final class ChunkQueue: @unchecked Sendable {
    private var nextIndex = 0
    private let lock = NSLock()

    func next(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < limit else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }
}
