/// How a model is trained (defaults: PAPER §4 — Adam β1 0.9, batch 32, 50 epochs, cosine
/// learning rate per step from 1e-5 down to 1e-6).
public struct TrainingOptions: Codable, Equatable, Sendable {
    public enum Schedule: String, Codable, Sendable { case cosine, constant }

    public var epochs = 50
    public var batchSize = 32
    public var maximumLearningRate: Float = 1e-5
    public var minimumLearningRate: Float = 1e-6
    public var schedule = Schedule.cosine
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    /// Seed of the batch order (the weights take their own seed when the model is built).
    public var seed: UInt64 = 0
    /// Stop when validation AUC has not improved for this many epochs (nil: never).
    public var earlyStoppingPatience: Int?
    /// Where the best model (by validation AUC) is written, if anywhere.
    public var bestCheckpointPath: String?
    /// Where the full training state is written after every epoch (for resuming), if anywhere.
    public var checkpointPath: String?

    public init() {}

    func validate() throws {
        guard epochs >= 0, batchSize > 0 else { throw NNError("training: epochs must be ≥ 0 and batch size positive") }
        guard maximumLearningRate > 0, minimumLearningRate >= 0, minimumLearningRate <= maximumLearningRate else {
            throw NNError("training: learning rates must satisfy 0 ≤ minimum ≤ maximum, maximum > 0")
        }
        if let p = earlyStoppingPatience, p < 1 { throw NNError("training: early-stopping patience must be at least 1") }
    }
}

/// Figures of one finished epoch.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var validationAUC: Double?
    public var learningRate: Float
    public var seconds: Double
}

/// Everything training has recorded so far.
public struct TrainingHistory: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable { case running, completed, earlyStopped, interrupted }

    public var epochs: [EpochRecord] = []
    public var bestEpoch: Int?
    public var bestValidationAUC: Double?
    public var status = Status.running

    public init() {}
}

/// What a trainer reports while it runs (one observer protocol for the REPL and the kernel).
public enum TrainingEvent {
    /// After each optimisation step: 0-based epoch and step within it, the batch loss, the
    /// throughput so far and the estimated seconds left for the whole run.
    case step(epoch: Int, step: Int, stepsPerEpoch: Int, loss: Float, samplesPerSecond: Double, etaSeconds: Double)
    case epochFinished(EpochRecord)
    case checkpointWritten(path: String)
}

public protocol TrainingObserver: AnyObject {
    func training(_ event: TrainingEvent)
}
