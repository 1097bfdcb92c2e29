import Foundation
import LodeTensor

/// Adam (PyTorch's update rule) whose moments are addressable by parameter key, so a
/// checkpoint can hold them and training resumes exactly.
public final class CheckpointableAdam: Optimizer {
    public let keys: [String]
    public let parameters: [Tensor]
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public private(set) var stepCount = 0
    /// First and second moments, one per parameter (zeros until the first step).
    public let firstMoments: [Tensor]
    public let secondMoments: [Tensor]

    public init(model: Module, learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        let named = model.namedParameters()
        keys = named.map(\.key)
        parameters = named.map(\.tensor)
        firstMoments = parameters.map { Tensor.zeros($0.shape) }
        secondMoments = parameters.map { Tensor.zeros($0.shape) }
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public func step() {
        stepCount += 1
        let t = Double(stepCount)
        let bc1 = Float(1 - pow(Double(beta1), t)), bc2Sqrt = Float((1 - pow(Double(beta2), t)).squareRoot())
        let (b1, b2, eps, stepSize) = (beta1, beta2, epsilon, learningRate / bc1)
        for (i, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            let pp = p.pointer, pg = grad.pointer, pm = firstMoments[i].pointer, pv = secondMoments[i].pointer
            // Large tensors are split over the cores (elements are independent).
            let chunk = 1 << 16, chunks = (p.count + chunk - 1) / chunk
            let update = { (c: Int) in
                for j in (c * chunk)..<min(p.count, (c + 1) * chunk) {
                    let g = pg[j]
                    pm[j] = b1 * pm[j] + (1 - b1) * g
                    pv[j] = b2 * pv[j] + (1 - b2) * g * g
                    pp[j] -= stepSize * pm[j] / (pv[j].squareRoot() / bc2Sqrt + eps)
                }
            }
            if chunks > 1 { DispatchQueue.concurrentPerform(iterations: chunks, execute: update) } else { update(0) }
        }
    }

    /// Moments as "optimizer.m.<key>" / "optimizer.v.<key>".
    func stateTensors() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (i, k) in keys.enumerated() {
            out["optimizer.m." + k] = firstMoments[i]
            out["optimizer.v." + k] = secondMoments[i]
        }
        return out
    }

    /// Restores moments and the step count, checking every key and shape first.
    func restore(_ file: SafetensorsFile, stepCount: Int, source: String) throws {
        var pairs: [(Tensor, Tensor)] = []
        for (i, k) in keys.enumerated() {
            for (name, target) in [("optimizer.m." + k, firstMoments[i]), ("optimizer.v." + k, secondMoments[i])] {
                guard let a = file[name] else { throw NNError("\(source): missing optimiser state '\(name)'") }
                guard a.shape == target.shape else {
                    throw NNError("\(source): optimiser state '\(name)' has shape \(a.shape), expected \(target.shape)")
                }
                pairs.append((target, a.tensor()))
            }
        }
        for (target, value) in pairs { try target.assign(value) }
        self.stepCount = stepCount
    }
}
