/// A reference-counted, uninitialised-at-birth Float32 buffer.
///
/// Tensors share a storage when a movement op needs no copy (reshape); hot loops work on the raw
/// pointer so there is no copy-on-write or bounds checking in the inner loops.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    public init(count: Int) {
        self.count = count
        pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
    }

    public convenience init(repeating value: Float, count: Int) {
        self.init(count: count)
        pointer.initialize(repeating: value, count: count)
    }

    /// A storage holding a copy of `count` floats from `source`.
    convenience init(copying source: UnsafePointer<Float>, count: Int) {
        self.init(count: count)
        pointer.update(from: source, count: count)
    }

    deinit { pointer.deallocate() }

    public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }

    func copy() -> TensorStorage {
        let s = TensorStorage(count: count)
        s.pointer.update(from: pointer, count: count)
        return s
    }
}
