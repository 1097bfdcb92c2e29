import Dispatch
import Foundation

/// Worker count for parallel loops: the machine's active cores.
let parallelWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// Splits 0..<count into at most `parallelWorkers` contiguous chunks of at least `grain` items
/// and runs them concurrently. Chunks never overlap, so writes to disjoint ranges are race-free.
func parallelRange(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = min(parallelWorkers, max(1, count / max(grain, 1)))
    if chunks <= 1 {
        body(0..<count)
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = count * c / chunks, hi = count * (c + 1) / chunks
        if lo < hi { body(lo..<hi) }
    }
}

/// Like `parallelRange` but tells each chunk its worker index (for per-worker scratch buffers).
func parallelChunks(_ count: Int, grain: Int = 1, _ body: (_ worker: Int, Range<Int>) -> Void) -> Int {
    guard count > 0 else { return 0 }
    let chunks = min(parallelWorkers, max(1, count / max(grain, 1)))
    if chunks <= 1 {
        body(0, 0..<count)
        return 1
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = count * c / chunks, hi = count * (c + 1) / chunks
        if lo < hi { body(c, lo..<hi) }
    }
    return chunks
}
