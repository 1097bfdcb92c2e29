import Foundation

/// Transformed Winograd kernels kept between calls whose weights do not change: at inference a
/// map or a SHAP run convolves thousands of batches with the same weights, and transforming a
/// 512×512 kernel again for each batch writes 16 or 36 floats per weight. Entries are matched by
/// the weights' bits and the per-output-channel scale folded in (a BatchNorm's; copies are kept
/// and compared), never by address: an optimiser updates weights in place, and a checkpoint
/// loads new ones into the same tensors. A hit gives exactly the floats a fresh transform would. Beyond `budget` floats the least recently used entry goes,
/// unless it was used within the last 4·entries lookups; then the new entry is not kept. A model
/// whose layers need up to four times the budget so keeps a fixed part of them cached, where
/// plain LRU would evict each entry just before its next use; weights that changed for good
/// (training went on) stop being used and leave within a few passes.
final class WinogradKernelCache: @unchecked Sendable {
    static let shared = WinogradKernelCache()
    /// Floats the cache may hold (weights and transforms): 256 MB. SSGSNet's paper configuration
    /// needs 47.2 M (189 MB) with F(4×4) throughout at inference, three quarters of it for the
    /// 512-channel layers.
    nonisolated(unsafe) static var budget = 1 << 26

    private final class Entry {
        let tile, o, c: Int
        let weights: UnsafeMutableBufferPointer<Float>
        /// The per-output-channel scale the kernels were multiplied by (empty: none).
        let scale: [Float]
        let kernel: UnsafeMutableBufferPointer<Float>
        var lastUse = 0

        init(tile: Int, o: Int, c: Int, scale: [Float], kernelFloats: Int) {
            (self.tile, self.o, self.c, self.scale) = (tile, o, c, scale)
            weights = .allocate(capacity: 9 * o * c)
            kernel = .allocate(capacity: kernelFloats)
        }
        var floats: Int { weights.count + scale.count + kernel.count }
        deinit {
            weights.deallocate()
            kernel.deallocate()
        }

        /// Whether this entry was made from these weights and scale, bit for bit.
        func holds(tile: Int, o: Int, c: Int, weight: UnsafePointer<Float>, scale other: UnsafePointer<Float>?) -> Bool {
            guard self.tile == tile, self.o == o, self.c == c, (other == nil) == scale.isEmpty else { return false }
            if let other, memcmp(scale, other, o * MemoryLayout<Float>.size) != 0 { return false }
            return memcmp(weights.baseAddress!, weight, 9 * o * c * MemoryLayout<Float>.size) == 0
        }
    }

    private var entries: [Entry] = []
    private var clock = 0
    private let lock = NSLock()
    /// Lookups answered from the cache (for tests).
    private(set) var hits = 0

    /// Runs `body` with the transformed kernels (kernelFloats floats) of the 3×3 weights `weight`
    /// [O, C, 3, 3] (times `scale` [O] per output channel when given, which `transform` applies),
    /// made by `transform` only when no entry holds these exact weights and scale.
    func with<T>(tile: Int, kernelFloats: Int, o: Int, c: Int, weight: UnsafePointer<Float>, scale: UnsafePointer<Float>? = nil,
                 transform: (UnsafeMutablePointer<Float>) -> Void, _ body: (UnsafePointer<Float>) -> T) -> T {
        lock.lock()
        clock += 1
        if let hit = entries.first(where: { $0.holds(tile: tile, o: o, c: c, weight: weight, scale: scale) }) {
            hit.lastUse = clock
            hits += 1
            lock.unlock()
            // The local reference keeps the entry alive even if another thread evicts it now.
            return withExtendedLifetime(hit) { body(hit.kernel.baseAddress!) }
        }
        lock.unlock()
        let entry = Entry(tile: tile, o: o, c: c, scale: scale.map { Array(UnsafeBufferPointer(start: $0, count: o)) } ?? [],
                          kernelFloats: kernelFloats)
        entry.weights.baseAddress!.update(from: weight, count: 9 * o * c)
        transform(entry.kernel.baseAddress!)
        insert(entry)
        return withExtendedLifetime(entry) { body(entry.kernel.baseAddress!) }
    }

    private func insert(_ entry: Entry) {
        guard entry.floats <= Self.budget else { return }
        lock.lock()
        defer { lock.unlock() }
        entry.lastUse = clock
        entries.append(entry)
        var held = entries.reduce(0) { $0 + $1.floats }
        while held > Self.budget, let oldest = entries.indices.min(by: { entries[$0].lastUse < entries[$1].lastUse }) {
            let victim = entries[oldest] === entry || clock - entries[oldest].lastUse < 4 * entries.count
                ? entries.count - 1 : oldest
            held -= entries[victim].floats
            entries.remove(at: victim)
            if victim == entries.count { break }  // the new entry itself left: the rest stay
        }
    }

    /// Drops every entry (tests; memory back after a mapping session).
    func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll()
        hits = 0
    }
}
