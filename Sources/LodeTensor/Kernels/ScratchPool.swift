import Foundation

/// Reusable scratch buffers for the heavy kernels (im2col columns, gradient panels), so a
/// training step does not map and fault in tens of megabytes per convolution.
final class ScratchPool: @unchecked Sendable {
    static let shared = ScratchPool()
    private var free: [UnsafeMutableBufferPointer<Float>] = []
    private let lock = NSLock()

    /// Lends a buffer of at least `count` floats for the duration of `body`.
    func with<T>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> T) rethrows -> T {
        let buffer = take(count)
        defer { give(buffer) }
        return try body(buffer.baseAddress!)
    }

    private func take(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
        lock.lock()
        defer { lock.unlock() }
        if let i = free.firstIndex(where: { $0.count >= count }) { return free.remove(at: i) }
        if !free.isEmpty { free.removeFirst().deallocate() }  // too small: replace it
        return UnsafeMutableBufferPointer<Float>.allocate(capacity: max(count, 1))
    }

    private func give(_ b: UnsafeMutableBufferPointer<Float>) {
        lock.lock()
        defer { lock.unlock() }
        free.append(b)
        free.sort { $0.count < $1.count }
        if free.count > 2 * parallelWorkers + 2 { free.removeFirst().deallocate() }
    }
}
