import Foundation

/// An optimiser updates parameters in place from their accumulated `grad`, with PyTorch's
/// update rules. Parameters without a gradient are skipped (as PyTorch).
public protocol Optimizer: AnyObject {
    var parameters: [Tensor] { get }
    var learningRate: Float { get set }
    /// Applies one update from the current gradients.
    func step()
    /// Clears every parameter's gradient.
    func zeroGrad()
}

extension Optimizer {
    public func zeroGrad() { for p in parameters { p.grad = nil } }
}

/// An optimiser whose state is one tensor per parameter and slot (Adam's "m" and "v", SGD's
/// "momentum"), in the order of `parameters`, so a checkpoint can hold it under the
/// parameters' keys and training resumes exactly.
public protocol StatefulOptimizer: Optimizer {
    /// Steps taken so far.
    var stepCount: Int { get }
    /// The slot names, in a fixed order.
    var slotNames: [String] { get }
    /// The state of one slot, one tensor per parameter (zeros before the first step).
    func state(slot: String) -> [Tensor]
    /// Replaces the state: `slots[name][i]` for parameter i, shapes checked before anything changes.
    func restore(slots: [String: [Tensor]], stepCount: Int) throws
}

/// Shared by the optimisers: per-parameter state tensors, created on first use.
struct ParameterSlots {
    var tensors: [Tensor?]
    init(count: Int) { tensors = Array(repeating: nil, count: count) }

    mutating func tensor(_ i: Int, like p: Tensor) -> Tensor {
        if let t = tensors[i] { return t }
        let t = Tensor.zeros(p.shape)
        tensors[i] = t
        return t
    }

    func materialised(_ parameters: [Tensor]) -> [Tensor] {
        parameters.indices.map { tensors[$0] ?? Tensor.zeros(parameters[$0].shape) }
    }

    /// Checks every shape, then copies.
    static func restore(_ slots: inout [ParameterSlots], names: [String], from values: [String: [Tensor]],
                        parameters: [Tensor]) throws {
        for name in names {
            guard let given = values[name], given.count == parameters.count else {
                throw TensorError(op: "optimizer", "the saved state has no complete '\(name)' slot for \(parameters.count) parameters")
            }
            for (i, t) in given.enumerated() where t.shape != parameters[i].shape {
                throw TensorError(op: "optimizer", "saved '\(name)' state of parameter \(i) has shape \(t.shape), expected \(parameters[i].shape)")
            }
        }
        for (k, name) in names.enumerated() {
            for (i, t) in values[name]!.enumerated() { try slots[k].tensor(i, like: parameters[i]).assign(t) }
        }
    }
}

/// Stochastic gradient descent with optional momentum, dampening, Nesterov and L2 weight decay
/// (torch.optim.SGD): b ← μ·b + (1−dampening)·g (b = g on the first step), p ← p − lr·b.
public final class SGD: StatefulOptimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public var momentum: Float
    public var dampening: Float
    public var weightDecay: Float
    public var nesterov: Bool
    public private(set) var stepCount = 0
    private var buffers: [ParameterSlots]

    public init(parameters: [Tensor], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        buffers = [ParameterSlots(count: parameters.count)]
    }

    public var slotNames: [String] { ["momentum"] }
    public func state(slot: String) -> [Tensor] { buffers[0].materialised(parameters) }
    public func restore(slots: [String: [Tensor]], stepCount: Int) throws {
        // Before the first step there is no buffer yet (the first step starts it at g).
        if momentum == 0 || stepCount == 0 { self.stepCount = stepCount; return }
        try ParameterSlots.restore(&buffers, names: slotNames, from: slots, parameters: parameters)
        self.stepCount = stepCount
    }

    public func step() {
        stepCount += 1
        for (index, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            let n = p.count, pp = p.pointer, pg = grad.pointer
            let (lr, mu, damp, wd, nest) = (learningRate, momentum, dampening, weightDecay, nesterov)
            if mu == 0 {
                parallelRange(n, grain: 1 << 15) { r in
                    for i in r { pp[i] -= lr * (pg[i] + wd * pp[i]) }
                }
                continue
            }
            // The first step starts the buffer at g (torch.optim.SGD); a restored run continues it.
            let first = buffers[0].tensors[index] == nil
            let pb = buffers[0].tensor(index, like: p).pointer
            parallelRange(n, grain: 1 << 15) { r in
                for i in r {
                    let g = pg[i] + wd * pp[i]
                    pb[i] = first ? g : mu * pb[i] + (1 - damp) * g
                    pp[i] -= lr * (nest ? g + mu * pb[i] : pb[i])
                }
            }
        }
    }
}

/// Adam (torch.optim.Adam) and, with `decoupledWeightDecay`, AdamW (torch.optim.AdamW):
/// m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
/// p ← p − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε).
public final class Adam: StatefulOptimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    /// AdamW: decay the weights directly (p ← p·(1 − lr·wd)) instead of adding wd·p to g.
    public let decoupledWeightDecay: Bool
    public private(set) var stepCount = 0
    private var moments: [ParameterSlots]

    public init(parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        moments = [ParameterSlots(count: parameters.count), ParameterSlots(count: parameters.count)]
    }

    public var slotNames: [String] { ["m", "v"] }
    public func state(slot: String) -> [Tensor] { moments[slot == "m" ? 0 : 1].materialised(parameters) }
    public func restore(slots: [String: [Tensor]], stepCount: Int) throws {
        try ParameterSlots.restore(&moments, names: slotNames, from: slots, parameters: parameters)
        self.stepCount = stepCount
    }

    public func step() {
        stepCount += 1
        let t = Double(stepCount)
        let bc1 = Float(1 - Foundation.pow(Double(beta1), t)), bc2Sqrt = Float((1 - Foundation.pow(Double(beta2), t)).squareRoot())
        let (lr, b1, b2, eps, wd, decoupled) = (learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay)
        let stepSize = lr / bc1
        // Every parameter's update, cut into pieces of at most 32 768 values, in one parallel loop:
        // the many small tensors (biases, norms) share the cores with the large ones instead of
        // each running alone. Each value's update is independent, so the split changes nothing.
        var pieces: [AdamPiece] = []
        for (index, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            let pm = moments[0].tensor(index, like: p).pointer, pv = moments[1].tensor(index, like: p).pointer
            for start in stride(from: 0, to: p.count, by: 1 << 15) {
                pieces.append(AdamPiece(parameter: p.pointer, gradient: grad.pointer, mean: pm, variance: pv,
                                        range: start..<Swift.min(p.count, start + (1 << 15))))
            }
        }
        pieces.withUnsafeBufferPointer { all in
            parallelRange(all.count) { r in
                for piece in all[r] {
                    let (pp, pg, pm, pv) = (piece.parameter, piece.gradient, piece.mean, piece.variance)
                    // Sixteen values at a time in explicit vectors (the compiler does not vectorise
                    // the loop by itself: the four arrays might overlap, and sqrt may set errno),
                    // then the tail one by one; the same operations in the same order per value,
                    // so the same floats. The weight-decay choice is made outside the loops.
                    let keep = 1 - lr * wd
                    let whole = piece.range.lowerBound + piece.range.count / Lanes.scalarCount * Lanes.scalarCount
                    for i in stride(from: piece.range.lowerBound, to: whole, by: Lanes.scalarCount) {
                        var p = lanes(pp, i), g = lanes(pg, i)
                        if decoupled { p = p * keep } else if wd != 0 { g = g + wd * p }
                        let m = b1 * lanes(pm, i) + (1 - b1) * g
                        let v = b2 * lanes(pv, i) + (1 - b2) * g * g
                        store(m, pm, i); store(v, pv, i)
                        store(p - stepSize * m / (v.squareRoot() / bc2Sqrt + eps), pp, i)
                    }
                    @inline(__always) func update(_ i: Int, _ g: Float) {
                        pm[i] = b1 * pm[i] + (1 - b1) * g
                        pv[i] = b2 * pv[i] + (1 - b2) * g * g
                        pp[i] -= stepSize * pm[i] / (pv[i].squareRoot() / bc2Sqrt + eps)
                    }
                    if decoupled {
                        for i in whole..<piece.range.upperBound { pp[i] *= keep; update(i, pg[i]) }
                    } else if wd != 0 {
                        for i in whole..<piece.range.upperBound { update(i, pg[i] + wd * pp[i]) }
                    } else {
                        for i in whole..<piece.range.upperBound { update(i, pg[i]) }
                    }
                }
            }
        }
    }
}

/// A run of one parameter's values for Adam's update, with the tensors it reads and writes.
private struct AdamPiece {
    let parameter: UnsafeMutablePointer<Float>
    let gradient: UnsafeMutablePointer<Float>
    let mean: UnsafeMutablePointer<Float>
    let variance: UnsafeMutablePointer<Float>
    let range: Range<Int>
}

/// AdamW with PyTorch's defaults (weight decay 0.01).
public func AdamW(parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                  epsilon: Float = 1e-8, weightDecay: Float = 0.01) -> Adam {
    Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
         weightDecay: weightDecay, decoupledWeightDecay: true)
}
