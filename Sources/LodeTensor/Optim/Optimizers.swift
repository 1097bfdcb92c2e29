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

/// Stochastic gradient descent with optional momentum, dampening, Nesterov and L2 weight decay
/// (torch.optim.SGD): b ← μ·b + (1−dampening)·g (b = g on the first step), p ← p − lr·b.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public var momentum: Float
    public var dampening: Float
    public var weightDecay: Float
    public var nesterov: Bool
    private var buffers: [ObjectIdentifier: Tensor] = [:]

    public init(parameters: [Tensor], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    public func step() {
        for p in parameters {
            guard let grad = p.grad else { continue }
            let n = p.count, pp = p.pointer, pg = grad.pointer
            let (lr, mu, damp, wd, nest) = (learningRate, momentum, dampening, weightDecay, nesterov)
            if mu == 0 {
                parallelRange(n, grain: 1 << 15) { r in
                    for i in r { pp[i] -= lr * (pg[i] + wd * pp[i]) }
                }
                continue
            }
            let key = ObjectIdentifier(p)
            let first = buffers[key] == nil
            let buffer = buffers[key] ?? Tensor.zeros(p.shape)
            buffers[key] = buffer
            let pb = buffer.pointer
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
public final class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    /// AdamW: decay the weights directly (p ← p·(1 − lr·wd)) instead of adding wd·p to g.
    public let decoupledWeightDecay: Bool
    public private(set) var stepCount = 0
    private var moments: [ObjectIdentifier: (m: Tensor, v: Tensor)] = [:]

    public init(parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    public func step() {
        stepCount += 1
        let t = Double(stepCount)
        let bc1 = Float(1 - Foundation.pow(Double(beta1), t)), bc2Sqrt = Float((1 - Foundation.pow(Double(beta2), t)).squareRoot())
        let (lr, b1, b2, eps, wd, decoupled) = (learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay)
        let stepSize = lr / bc1
        for p in parameters {
            guard let grad = p.grad else { continue }
            let key = ObjectIdentifier(p)
            let state = moments[key] ?? (Tensor.zeros(p.shape), Tensor.zeros(p.shape))
            moments[key] = state
            let pp = p.pointer, pg = grad.pointer, pm = state.m.pointer, pv = state.v.pointer
            parallelRange(p.count, grain: 1 << 15) { r in
                for i in r {
                    var g = pg[i]
                    if decoupled { pp[i] *= 1 - lr * wd } else if wd != 0 { g += wd * pp[i] }
                    pm[i] = b1 * pm[i] + (1 - b1) * g
                    pv[i] = b2 * pv[i] + (1 - b2) * g * g
                    pp[i] -= stepSize * pm[i] / (pv[i].squareRoot() / bc2Sqrt + eps)
                }
            }
        }
    }
}

/// AdamW with PyTorch's defaults (weight decay 0.01).
public func AdamW(parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                  epsilon: Float = 1e-8, weightDecay: Float = 0.01) -> Adam {
    Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
         weightDecay: weightDecay, decoupledWeightDecay: true)
}
