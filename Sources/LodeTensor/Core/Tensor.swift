/// A dense, contiguous (row-major) Float32 tensor; images are NCHW.
///
/// `Tensor` is a reference type like a PyTorch tensor: the autodiff tape links results to the
/// tensors they came from, and `grad` accumulates on the leaf itself. Ops never mutate their
/// inputs; the few in-place updates (optimisers, running statistics) say so in their names.
public final class Tensor {
    public let shape: [Int]
    public let storage: TensorStorage
    /// Marks a leaf whose gradient `backward()` accumulates into `grad`.
    public var requiresGrad: Bool
    /// Accumulated d(root)/d(self) for leaves with `requiresGrad`; `nil` until a backward pass.
    public var grad: Tensor?
    /// The op that produced this tensor when it was recorded on the tape; freed after backward.
    var node: GradNode?

    public init(shape: [Int], storage: TensorStorage, requiresGrad: Bool = false) {
        precondition(ShapeMath.count(shape) <= storage.count, "storage smaller than shape")
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// A tensor holding `scalars` in row-major order. Throws if the counts disagree.
    public convenience init(shape: [Int], scalars: [Float], requiresGrad: Bool = false) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError(op: "Tensor", "negative size in shape \(shape)")
        }
        guard ShapeMath.count(shape) == scalars.count else {
            throw TensorError(op: "Tensor", "shape \(shape) holds \(ShapeMath.count(shape)) values but \(scalars.count) were given")
        }
        let s = TensorStorage(count: scalars.count)
        scalars.withUnsafeBufferPointer { s.pointer.update(from: $0.baseAddress!, count: scalars.count) }
        self.init(shape: shape, storage: s, requiresGrad: requiresGrad)
    }

    /// A 1-D tensor of `scalars`.
    public convenience init(_ scalars: [Float], requiresGrad: Bool = false) {
        let s = TensorStorage(count: scalars.count)
        scalars.withUnsafeBufferPointer { if let b = $0.baseAddress { s.pointer.update(from: b, count: scalars.count) } }
        self.init(shape: [scalars.count], storage: s, requiresGrad: requiresGrad)
    }

    /// A rank-0 tensor.
    public convenience init(scalar: Float, requiresGrad: Bool = false) {
        self.init(shape: [], storage: TensorStorage(repeating: scalar, count: 1), requiresGrad: requiresGrad)
    }

    /// An uninitialised tensor of `shape` (internal: every caller writes all elements).
    init(uninitialized shape: [Int]) {
        self.shape = shape
        self.storage = TensorStorage(count: ShapeMath.count(shape))
        self.requiresGrad = false
    }

    public var rank: Int { shape.count }
    public var count: Int { ShapeMath.count(shape) }
    /// Row-major element strides (every tensor is contiguous).
    public var strides: [Int] { ShapeMath.strides(shape) }
    public var pointer: UnsafeMutablePointer<Float> { storage.pointer }
    /// The values in row-major order (a copy).
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }
    /// The value of a one-element tensor.
    public var item: Float { storage.pointer[0] }

    /// True when the tape follows this tensor (a requiresGrad leaf or a recorded result).
    public var tracksGradient: Bool { requiresGrad || node != nil }

    /// The same values, cut from the tape (shares storage).
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// A copy with its own storage, off the tape.
    public func copied() -> Tensor { Tensor(shape: shape, storage: storage.copy()) }

    /// Overwrites this tensor's values in place (no tape; for optimisers, checkpoints and buffers).
    public func assign(_ other: Tensor) throws {
        guard other.shape == shape else {
            throw TensorError.shapes("assign", "shape mismatch", shape, other.shape)
        }
        storage.pointer.update(from: other.storage.pointer, count: count)
    }

    /// Value at a multi-index (for tests and small reads).
    public subscript(indices: Int...) -> Float {
        var offset = 0
        let st = strides
        for (i, v) in indices.enumerated() { offset += v * st[i] }
        return storage.pointer[offset]
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 8 ? ", …" : "")])"
    }
}

import Foundation
