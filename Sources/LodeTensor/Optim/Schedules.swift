import Foundation

/// A learning rate as a function of the step (0-based): set `optimizer.learningRate =
/// schedule.learningRate(step: i)` before step i.
public protocol LearningRateSchedule {
    func learningRate(step: Int) -> Float
}

public struct ConstantSchedule: LearningRateSchedule {
    public var value: Float
    public init(_ value: Float) { self.value = value }
    public func learningRate(step: Int) -> Float { value }
}

/// Cosine annealing from `maximum` to `minimum` over `steps` (torch CosineAnnealingLR with
/// T_max = steps); stays at `minimum` afterwards.
public struct CosineSchedule: LearningRateSchedule {
    public var maximum: Float, minimum: Float, steps: Int
    public init(maximum: Float, minimum: Float, steps: Int) {
        self.maximum = maximum
        self.minimum = minimum
        self.steps = max(steps, 1)
    }
    public func learningRate(step: Int) -> Float {
        let t = Double(min(max(step, 0), steps)) / Double(steps)
        return Float(Double(minimum) + Double(maximum - minimum) * (1 + Foundation.cos(Double.pi * t)) / 2)
    }
}

/// Multiplies the rate by `factor` every `every` steps (torch StepLR).
public struct StepDecaySchedule: LearningRateSchedule {
    public var initial: Float, every: Int, factor: Float
    public init(initial: Float, every: Int, factor: Float = 0.1) {
        self.initial = initial
        self.every = max(every, 1)
        self.factor = factor
    }
    public func learningRate(step: Int) -> Float {
        initial * Float(Foundation.pow(Double(factor), Double(max(step, 0) / every)))
    }
}
