import Foundation

/// One recorded op: the tensors it read and how to turn d(root)/d(output) into
/// d(root)/d(input) for each of them (`nil` for inputs that need no gradient).
final class GradNode {
    let inputs: [Tensor]
    let backward: (Tensor) throws -> [Tensor?]

    init(inputs: [Tensor], backward: @escaping (Tensor) throws -> [Tensor?]) {
        self.inputs = inputs
        self.backward = backward
    }
}

/// How many `noGrad` scopes enclose the current thread (per thread, so a data-loading or
/// mapping thread in a no-grad scope never switches recording off for the training thread).
private let noGradKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

private var gradientRecordingDepth: Int {
    get { Int(bitPattern: pthread_getspecific(noGradKey)) }
    set { pthread_setspecific(noGradKey, UnsafeRawPointer(bitPattern: newValue)) }
}

/// Runs `body` without recording anything on the tape (inference, optimiser updates); nests.
public func noGrad<T>(_ body: () throws -> T) rethrows -> T {
    gradientRecordingDepth += 1
    defer { gradientRecordingDepth -= 1 }
    return try body()
}

public var isGradientRecordingEnabled: Bool { gradientRecordingDepth == 0 }

extension Tensor {
    /// Wraps a freshly computed result, recording `backward` when any input is followed by the tape.
    /// Backward closures must capture storages or inputs, never the result itself (no cycles).
    static func result(_ shape: [Int], _ storage: TensorStorage, inputs: [Tensor],
                       backward: @escaping (Tensor) throws -> [Tensor?]) -> Tensor {
        let out = Tensor(shape: shape, storage: storage)
        if gradientRecordingDepth == 0, inputs.contains(where: { $0.tracksGradient }) {
            out.node = GradNode(inputs: inputs, backward: backward)
        }
        return out
    }

    static func result(_ out: Tensor, inputs: [Tensor],
                       backward: @escaping (Tensor) throws -> [Tensor?]) -> Tensor {
        result(out.shape, out.storage, inputs: inputs, backward: backward)
    }

    /// Reverse-mode pass from this tensor: d(self)/d(leaf) is added to each `requiresGrad`
    /// leaf's `grad`. Without `gradient` the tensor must hold one value (seed 1). The recorded
    /// graph is freed afterwards, so call `backward` once per forward pass.
    public func backward(gradient: Tensor? = nil) throws {
        let seed: Tensor
        if let g = gradient {
            guard g.shape == shape else {
                throw TensorError.shapes("backward", "gradient shape differs from the tensor", g.shape, shape)
            }
            seed = g
        } else {
            guard count == 1 else {
                throw TensorError(op: "backward", "needs a gradient for a non-scalar tensor of shape \(shape)")
            }
            seed = Tensor.ones(shape)
        }
        guard tracksGradient else {
            throw TensorError(op: "backward", "the tensor is not on the tape (no input requires a gradient, or it was made under noGrad)")
        }
        let order = topologicalOrder()
        var grads: [ObjectIdentifier: GradientSlot] = [ObjectIdentifier(self): GradientSlot(seed)]
        try noGrad {
            for t in order.reversed() {
                guard let slot = grads.removeValue(forKey: ObjectIdentifier(t)) else { continue }
                if t.requiresGrad { t.accumulateLeafGradient(slot.tensor, owned: slot.owned) }
                guard let node = t.node else { continue }
                let inputGrads = try node.backward(slot.tensor)
                for (input, g) in zip(node.inputs, inputGrads) {
                    guard let g, input.tracksGradient else { continue }
                    if g.shape != input.shape {
                        throw TensorError.shapes("backward", "internal gradient shape mismatch", g.shape, input.shape)
                    }
                    let key = ObjectIdentifier(input)
                    if let existing = grads[key] { grads[key] = existing.adding(g) } else { grads[key] = GradientSlot(g) }
                }
            }
        }
        for t in order { t.node = nil }
    }

    /// Tensors reachable through the tape, inputs before the ops that used them (iterative DFS,
    /// so deep graphs cannot overflow the stack).
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while let (t, next) = stack.popLast() {
            let inputs = t.node?.inputs ?? []
            if next < inputs.count {
                stack.append((t, next + 1))
                let child = inputs[next]
                if child.tracksGradient, visited.insert(ObjectIdentifier(child)).inserted {
                    stack.append((child, 0))
                }
            } else {
                order.append(t)
            }
        }
        return order
    }

    private func accumulateLeafGradient(_ g: Tensor, owned: Bool) {
        if let existing = grad {
            addInPlace(existing, g)
        } else {
            grad = owned ? g.detached() : g.copied()
        }
    }

    /// Clears the accumulated gradient.
    public func zeroGrad() { grad = nil }
}

/// A gradient being summed during backward. The first contribution may share storage with
/// another tensor, so the first addition writes a new tensor; later ones add in place.
private struct GradientSlot {
    var tensor: Tensor
    var owned: Bool

    init(_ t: Tensor) { tensor = t; owned = false }

    func adding(_ g: Tensor) -> GradientSlot {
        if owned {
            addInPlace(tensor, g)
            return self
        }
        // One pass writing the sum into a fresh tensor (not a copy, then an addition).
        var s = GradientSlot(added(tensor, g))
        s.owned = true
        return s
    }
}

/// a + b, elementwise, same shape, into a new tensor (off the tape).
func added(_ a: Tensor, _ b: Tensor) -> Tensor {
    let out = Tensor(uninitialized: a.shape)
    let pa = a.pointer, pb = b.pointer, po = out.pointer
    parallelRange(a.count, grain: 1 << 16) { r in
        for i in r { po[i] = pa[i] + pb[i] }
    }
    return out
}

/// target += source, elementwise, same shape.
func addInPlace(_ target: Tensor, _ source: Tensor) {
    let n = target.count
    let a = target.pointer, b = source.pointer
    parallelRange(n, grain: 1 << 16) { r in
        for i in r { a[i] += b[i] }
    }
}
