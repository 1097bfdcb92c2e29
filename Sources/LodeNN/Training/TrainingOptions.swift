/// How a model is trained (defaults: PAPER §4 — Adam β1 0.9, batch 32, 50 epochs, cosine
/// learning rate per step from 1e-5 down to 1e-6, plain cross-entropy, no weight decay).
public struct TrainingOptions: Codable, Equatable, Sendable {
    public enum Schedule: String, Codable, Sendable, CaseIterable {
        /// The maximum rate throughout.
        case constant
        /// Cosine decay per step from the maximum to the minimum rate.
        case cosine
        /// A linear rise from the minimum to the maximum over `warmupSteps`, then cosine decay.
        case warmupCosine = "warmup_cosine"
    }

    /// torch.optim.Adam, AdamW (decoupled weight decay) or SGD with momentum.
    public enum OptimizerKind: String, Codable, Sendable, CaseIterable { case adam, adamw, sgd }

    public var epochs = 50
    public var batchSize = 32
    public var maximumLearningRate: Float = 1e-5
    public var minimumLearningRate: Float = 1e-6
    public var schedule = Schedule.cosine
    public var warmupSteps = 0
    public var optimizer = OptimizerKind.adam
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    /// L2 penalty (Adam, SGD) or decoupled decay (AdamW).
    public var weightDecay: Float = 0
    /// SGD momentum.
    public var momentum: Float = 0.9
    /// Cross-entropy target smoothing ε (0: one-hot targets).
    public var labelSmoothing: Float = 0
    /// Cross-entropy weight per class (nil: all 1).
    public var classWeights: [Float]?
    /// Seed of the batch order (the weights take their own seed when the model is built).
    public var seed: UInt64 = 0
    /// Stop when validation AUC has not improved for this many epochs (nil: never).
    public var earlyStoppingPatience: Int?
    /// Where the best model (by validation AUC) is written, if anywhere.
    public var bestCheckpointPath: String?
    /// Where the full training state is written after every epoch (for resuming), if anywhere.
    public var checkpointPath: String?

    public init() {}

    public func validate() throws {
        guard epochs >= 1 else { throw NNError("training: epochs is \(epochs); train at least one epoch") }
        guard batchSize > 0 else { throw NNError("training: batch size is \(batchSize); it must be positive") }
        guard maximumLearningRate > 0, minimumLearningRate >= 0, minimumLearningRate <= maximumLearningRate,
              maximumLearningRate.isFinite else {
            throw NNError("training: learning rates must satisfy 0 ≤ minimum ≤ maximum, maximum > 0")
        }
        guard warmupSteps >= 0 else { throw NNError("training: warm-up steps must be ≥ 0") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw NNError("training: weight decay is \(weightDecay); it must be ≥ 0") }
        guard momentum >= 0, momentum < 1 else { throw NNError("training: momentum is \(momentum); it must be in [0, 1)") }
        guard labelSmoothing >= 0, labelSmoothing < 1 else {
            throw NNError("training: label smoothing is \(labelSmoothing); it must be in [0, 1)")
        }
        if let w = classWeights, !w.allSatisfy({ $0.isFinite && $0 >= 0 }) || w.allSatisfy({ $0 == 0 }) {
            throw NNError("training: class weights \(w) must be finite, non-negative and not all zero")
        }
        if let p = earlyStoppingPatience, p < 1 { throw NNError("training: early-stopping patience must be at least 1") }
    }

    // Options saved by earlier versions lack the newer fields: each field falls back to its default.
    enum CodingKeys: String, CodingKey {
        case epochs, batchSize, maximumLearningRate, minimumLearningRate, schedule, warmupSteps, optimizer, beta1, beta2,
             epsilon, weightDecay, momentum, labelSmoothing, classWeights, seed, earlyStoppingPatience, bestCheckpointPath,
             checkpointPath
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingOptions()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T { try c.decodeIfPresent(T.self, forKey: key) ?? fallback }
        epochs = try value(.epochs, d.epochs)
        batchSize = try value(.batchSize, d.batchSize)
        maximumLearningRate = try value(.maximumLearningRate, d.maximumLearningRate)
        minimumLearningRate = try value(.minimumLearningRate, d.minimumLearningRate)
        schedule = try value(.schedule, d.schedule)
        warmupSteps = try value(.warmupSteps, d.warmupSteps)
        optimizer = try value(.optimizer, d.optimizer)
        beta1 = try value(.beta1, d.beta1)
        beta2 = try value(.beta2, d.beta2)
        epsilon = try value(.epsilon, d.epsilon)
        weightDecay = try value(.weightDecay, d.weightDecay)
        momentum = try value(.momentum, d.momentum)
        labelSmoothing = try value(.labelSmoothing, d.labelSmoothing)
        classWeights = try c.decodeIfPresent([Float].self, forKey: .classWeights)
        seed = try value(.seed, d.seed)
        earlyStoppingPatience = try c.decodeIfPresent(Int.self, forKey: .earlyStoppingPatience)
        bestCheckpointPath = try c.decodeIfPresent(String.self, forKey: .bestCheckpointPath)
        checkpointPath = try c.decodeIfPresent(String.self, forKey: .checkpointPath)
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
