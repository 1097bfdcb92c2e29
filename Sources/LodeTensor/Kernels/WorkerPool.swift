import CLodeKernels
import Foundation

/// Lode's own threads for its parallel loops (`parallelChunks`, GEMM's split). GCD's
/// `concurrentPerform` wakes its threads anew for every loop, and they arrive late: on a
/// two-core machine it ran a loop of 120 µs only 1.1× faster than one core, one of 2.4 ms 1.6×.
/// These threads stay awake between the loops of a pass (spinning for `spinSeconds`, then
/// sleeping until the next loop), so the same loops ran 1.96× faster, and a training step whose
/// ops are thousands of such loops spends its time on both cores.
///
/// The calling thread takes part. Chunks are handed out one at a time from a single atomic
/// word: the job's generation (bits 32 and up), its chunk count (bits 16–31) and the next
/// chunk (bits 0–15), so a thread can only claim a chunk of the job it read, and it reads the
/// job's closure only after claiming one, while the caller still waits for that chunk. A loop
/// started while the pool runs another (a nested loop, or a second thread's) runs on its caller
/// alone: the cores are busy already.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()
    /// How long an idle worker keeps looking for the next loop before it sleeps.
    static let spinSeconds = 2e-4

    /// Chunks one job can have (16 bits of the word each for the count and the next chunk).
    static let chunkLimit = 1 << 16
    /// generation << 32 | count << 16 | next chunk.
    private let word = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    /// Chunks of the current job finished.
    private let finished = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    /// 1 while a caller runs a job.
    private let busy = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    private var job: ((Int) -> Void)?
    private var generation = 0
    private var threads = 0
    private let wake = NSCondition()

    private init() {
        for p in [word, finished, busy] { p.initialize(to: 0) }
    }

    /// Runs body(0..<count) over the cores (`parallelWorkers` of them, the caller one) and
    /// returns when every call has.
    func run(_ count: Int, _ body: (Int) -> Void) {
        // More calls than the word can count: contiguous runs of them as the chunks.
        if count >= Self.chunkLimit {
            let chunks = Self.chunkLimit / 2
            run(chunks) { c in for i in (count * c / chunks)..<(count * (c + 1) / chunks) { body(i) } }
            return
        }
        var idle = 0
        guard count > 1, parallelWorkers > 1, lode_atomic_compare_exchange(busy, &idle, 1) != 0 else {
            for i in 0..<count { body(i) }
            return
        }
        defer { lode_atomic_store(busy, 0) }
        startThreads(parallelWorkers - 1)
        withoutActuallyEscaping(body) { body in
            job = body
            lode_atomic_store(finished, 0)
            // 31 bits of generation keep the word positive; after 2³¹ jobs it starts again, which
            // at worst leaves a worker asleep through one job whose caller then does it alone.
            generation = (generation + 1) & 0x7fff_ffff
            lode_atomic_store(word, generation << 32 | count << 16)
            wake.lock()
            wake.broadcast()
            wake.unlock()
            work()
            while lode_atomic_load(finished) < count { lode_spin_pause() }
            job = nil
        }
    }

    /// Claims and runs chunks of the current job until none is left.
    private func work() {
        var seen = lode_atomic_load(word)
        while true {
            let count = (seen >> 16) & 0xffff, next = seen & 0xffff
            guard next < count else { return }
            // On failure `seen` becomes the word as it is now (maybe a newer job's).
            if lode_atomic_compare_exchange(word, &seen, seen + 1) != 0 {
                runChunk(next)
                lode_atomic_add(finished, 1)
                seen = lode_atomic_load(word)
            }
        }
    }

    /// One chunk, in its own frame so the closure's reference is dropped before it counts as finished.
    @inline(never) private func runChunk(_ i: Int) {
        job?(i)
    }

    private func startThreads(_ wanted: Int) {
        while threads < wanted {
            let index = threads
            let thread = Thread { [unowned self] in self.serve(index) }
            thread.name = "lode-worker-\(index + 1)"
            thread.stackSize = 1 << 23
            thread.start()
            threads += 1
        }
    }

    /// A worker's life: wait for a job of a newer generation, help with it, repeat.
    private func serve(_ index: Int) {
        var seen = 0
        while true {
            var spun = 0, since = DispatchTime.now().uptimeNanoseconds
            while lode_atomic_load(word) >> 32 == seen {
                lode_spin_pause()
                spun += 1
                guard spun & 255 == 0 else { continue }
                let now = DispatchTime.now().uptimeNanoseconds
                if Double(now - since) < Self.spinSeconds * 1e9 { continue }
                wake.lock()
                while lode_atomic_load(word) >> 32 == seen { wake.wait() }
                wake.unlock()
                since = DispatchTime.now().uptimeNanoseconds
            }
            seen = lode_atomic_load(word) >> 32
            // Fewer threads asked for (Threads.set) than the pool has: the extra ones stay out.
            if index < parallelWorkers - 1 { work() }
        }
    }
}
