import Dispatch
import Foundation

/// Worker count for parallel loops: LODE_THREADS when set (read once, at first use), otherwise
/// the machine's active cores; `Threads.set` changes it (the language's `threads(n)`).
nonisolated(unsafe) var parallelWorkers = Threads.fromEnvironment()

/// How many cores Lode's tensor work (parallel loops and GEMM) is spread over.
public enum Threads {
    public static var count: Int { parallelWorkers }

    /// Sets the count (at least 1) for the ops that start from now on; the chunking of reductions
    /// follows it, so results are reproducible for a given count.
    public static func set(_ count: Int) {
        parallelWorkers = max(1, count)
        GEMM.workers = parallelWorkers
    }

    /// LODE_THREADS, a positive whole number; anything else is refused with a warning.
    static func fromEnvironment() -> Int {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        guard let text = ProcessInfo.processInfo.environment["LODE_THREADS"], !text.isEmpty else { return cores }
        return parsed(text, cores: cores) { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) }
    }

    /// The thread count a LODE_THREADS value asks for (cores when it is not a positive whole number).
    static func parsed(_ text: String, cores: Int, warn: (String) -> Void) -> Int {
        guard let count = Int(text.trimmingCharacters(in: .whitespaces)), count > 0 else {
            warn("LODE_THREADS=\(text) is not a positive whole number; using \(cores) threads (the cores)")
            return cores
        }
        if count > cores { warn("LODE_THREADS=\(count) is more than the \(cores) cores; the extra threads share them") }
        return count
    }
}

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
    WorkerPool.shared.run(chunks) { c in
        let lo = count * c / chunks, hi = count * (c + 1) / chunks
        if lo < hi { body(c, lo..<hi) }
    }
    return chunks
}
