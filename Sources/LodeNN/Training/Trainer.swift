import Foundation
import LodeTensor

/// Trains a window classifier with Adam and cross-entropy, validating after every epoch.
///
/// State after any return or throw is consistent: the weights and Adam's moments include
/// exactly the steps counted in `position`, and `history` holds only finished epochs. An
/// interruption (`requestInterrupt`, from any thread) is honoured between batches; a later
/// `fit` (or a resumed checkpoint) continues from the same batch.
public final class Trainer {
    public let model: WindowClassifier
    public let options: TrainingOptions
    public let optimizer: CheckpointableAdam
    public private(set) var history = TrainingHistory()
    /// Finished epochs, and steps finished in the current one.
    public private(set) var position = (epoch: 0, step: 0)
    public weak var observer: TrainingObserver?

    /// Running sums of the unfinished epoch (so an interrupted epoch resumes with its figures).
    private var partial = PartialEpoch()
    private var bestState: [(key: String, tensor: Tensor)]?
    private let interruption = InterruptionFlag()

    public init(model: WindowClassifier, options: TrainingOptions = TrainingOptions()) throws {
        try options.validate()
        keepFreedMemoryForReuse()
        self.model = model
        self.options = options
        optimizer = CheckpointableAdam(model: model, learningRate: options.maximumLearningRate, beta1: options.beta1,
                                       beta2: options.beta2, epsilon: options.epsilon)
    }

    /// Asks a running `fit` to stop after the current batch (thread-safe).
    public func requestInterrupt() { interruption.set(true) }

    /// The learning rate of a global step (0-based) for a run of `totalSteps`.
    public func learningRate(step: Int, totalSteps: Int) -> Float {
        switch options.schedule {
        case .constant: return options.maximumLearningRate
        case .cosine:
            return CosineSchedule(maximum: options.maximumLearningRate, minimum: options.minimumLearningRate,
                                  steps: max(totalSteps - 1, 1)).learningRate(step: step)
        }
    }

    /// Trains until `options.epochs` are done, early stopping triggers, or an interruption.
    @discardableResult
    public func fit(train: WindowDataset, validation: WindowDataset? = nil) throws -> TrainingHistory {
        interruption.set(false)
        try checkData(train, "training")
        if let validation { try checkData(validation, "validation") }
        let stepsPerEpoch = (train.count + options.batchSize - 1) / options.batchSize
        let totalSteps = stepsPerEpoch * options.epochs
        let started = Date()
        var samplesThisRun = 0
        history.status = .running
        model.train()

        while position.epoch < options.epochs {
            let epoch = position.epoch
            let order = permutation(train.count, seed: options.seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
            partial.startedAt = Date()
            while position.step < stepsPerEpoch {
                if interruption.isSet {
                    history.status = .interrupted
                    return history
                }
                let step = position.step
                let slice = order[(step * options.batchSize)..<min(train.count, (step + 1) * options.batchSize)]
                let (x, y) = train.batch(slice)
                let global = epoch * stepsPerEpoch + step
                optimizer.learningRate = learningRate(step: global, totalSteps: totalSteps)
                optimizer.zeroGrad()
                let logits = try model(x)
                let loss = try crossEntropy(logits: logits, labels: y)
                guard loss.item.isFinite else {
                    throw NNError("training stopped: the loss became \(loss.item) at epoch \(epoch + 1), step \(step + 1) (learning rate \(optimizer.learningRate)); the weights are those before this step")
                }
                try loss.backward()
                optimizer.step()
                partial.add(loss: Double(loss.item), logits: logits, labels: y)
                position.step += 1
                samplesThisRun += y.count
                let elapsed = Date().timeIntervalSince(started)
                let rate = Double(samplesThisRun) / max(elapsed, 1e-9)
                let remaining = Double((totalSteps - global - 1) * options.batchSize) / max(rate, 1e-9)
                observer?.training(.step(epoch: epoch, step: step, stepsPerEpoch: stepsPerEpoch, loss: loss.item,
                                         samplesPerSecond: rate, etaSeconds: remaining))
            }
            try finishEpoch(validation: validation)
            if history.status == .earlyStopped { return history }
        }
        history.status = .completed
        return history
    }

    private func checkData(_ data: WindowDataset, _ role: String) throws {
        let c = model.config
        guard data.count > 0 else { throw NNError("\(role) data is empty") }
        guard data.channels == c.inputChannels, data.windowSize == c.window else {
            throw NNError("\(role) windows are \(data.channels) channels of \(data.windowSize)×\(data.windowSize) but \(model.kind.displayName) expects \(c.inputChannels) channels of \(c.window)×\(c.window)")
        }
        if let bad = data.labels.firstIndex(where: { $0 >= c.classes }) {
            throw NNError("\(role) label \(data.labels[bad]) of window \(bad) is outside 0..<\(c.classes)")
        }
        if let bad = firstNonFinite(data.windows) {
            let per = data.channels * data.windowSize * data.windowSize
            throw NNError("\(role) window \(bad / per) has a non-finite value (\(data.windows.pointer[bad])) in channel \((bad % per) / (data.windowSize * data.windowSize))")
        }
    }

    private func finishEpoch(validation: WindowDataset?) throws {
        var record = EpochRecord(epoch: position.epoch + 1, trainLoss: partial.meanLoss, trainAccuracy: partial.accuracy,
                                 learningRate: optimizer.learningRate, seconds: partial.seconds)
        if let validation {
            let v = try evaluate(model, on: validation, batchSize: max(options.batchSize, 64))
            record.validationLoss = v.loss
            record.validationAccuracy = v.accuracy
            record.validationAUC = v.auc
        }
        history.epochs.append(record)
        position = (position.epoch + 1, 0)
        partial = PartialEpoch()
        let auc = record.validationAUC ?? -record.trainLoss  // without validation, lower training loss is better
        if history.bestValidationAUC.map({ auc > $0 }) ?? true {
            history.bestValidationAUC = auc
            history.bestEpoch = record.epoch
            bestState = model.stateDict().map { ($0.key, $0.tensor.copied()) }
            if let path = options.bestCheckpointPath {
                try model.saveCheckpoint(path: path)
                observer?.training(.checkpointWritten(path: path))
            }
        } else if let patience = options.earlyStoppingPatience, let best = history.bestEpoch, record.epoch - best >= patience {
            history.status = .earlyStopped
        }
        observer?.training(.epochFinished(record))
        if let path = options.checkpointPath {
            try saveTrainingCheckpoint(path: path)
            observer?.training(.checkpointWritten(path: path))
        }
    }

    /// Copies the best epoch's weights (by validation AUC) back into the model.
    public func restoreBest() throws {
        guard let bestState else { throw NNError("no epoch has finished yet, so there is no best model") }
        var values: [String: Tensor] = [:]
        for (k, t) in bestState { values[k] = t }
        try model.loadStateDict(values, source: "best epoch")
    }

    // MARK: Checkpoints

    /// Writes weights, Adam's moments, options, history and position (temporary file, then rename).
    public func saveTrainingCheckpoint(path: String) throws {
        var tensors = optimizer.stateTensors()
        for (k, t) in model.stateDict() { tensors[k] = t }
        var meta = try model.checkpointMetadata()
        let e = JSONEncoder()
        meta[CheckpointKey.options] = String(decoding: try e.encode(options), as: UTF8.self)
        meta[CheckpointKey.history] = String(decoding: try e.encode(history), as: UTF8.self)
        meta[CheckpointKey.partial] = String(decoding: try e.encode(partial), as: UTF8.self)
        meta[CheckpointKey.epoch] = String(position.epoch)
        meta[CheckpointKey.stepInEpoch] = String(position.step)
        meta[CheckpointKey.optimizerStep] = String(optimizer.stepCount)
        try writeAtomically(SafetensorsFile(tensors: tensors, metadata: meta), to: path)
    }

    /// A trainer continuing exactly where `saveTrainingCheckpoint` left off (same model,
    /// config, options, seed, history, batch position and Adam state). `epochs` may extend the run.
    public static func resume(from path: String, epochs: Int? = nil) throws -> Trainer {
        let file = try readSafetensors(path)
        guard let optionsJSON = file.metadata[CheckpointKey.options], let historyJSON = file.metadata[CheckpointKey.history],
              let epoch = file.metadata[CheckpointKey.epoch].flatMap(Int.init),
              let step = file.metadata[CheckpointKey.stepInEpoch].flatMap(Int.init),
              let optimizerStep = file.metadata[CheckpointKey.optimizerStep].flatMap(Int.init) else {
            throw NNError("\(path) is not a training checkpoint (it has no training state; load it as a model instead)")
        }
        let model = try loadModel(checkpoint: path)
        let d = JSONDecoder()
        var options: TrainingOptions
        do { options = try d.decode(TrainingOptions.self, from: Data(optionsJSON.utf8)) } catch {
            throw NNError("\(path): training options are unreadable: \(error)")
        }
        if let epochs { options.epochs = epochs }
        let trainer = try Trainer(model: model, options: options)
        do {
            trainer.history = try d.decode(TrainingHistory.self, from: Data(historyJSON.utf8))
            if let p = file.metadata[CheckpointKey.partial] { trainer.partial = try d.decode(PartialEpoch.self, from: Data(p.utf8)) }
        } catch { throw NNError("\(path): training history is unreadable: \(error)") }
        try trainer.optimizer.restore(file, stepCount: optimizerStep, source: path)
        trainer.position = (epoch, step)
        return trainer
    }
}

/// Sums over the batches of an unfinished epoch.
struct PartialEpoch: Codable {
    var lossSum = 0.0, batches = 0, correct = 0, seen = 0, seconds = 0.0
    var startedAt: Date? = nil

    var meanLoss: Double { batches > 0 ? lossSum / Double(batches) : .nan }
    var accuracy: Double { seen > 0 ? Double(correct) / Double(seen) : .nan }

    mutating func add(loss: Double, logits: Tensor, labels: [Int]) {
        let now = Date()
        seconds += now.timeIntervalSince(startedAt ?? now)
        startedAt = now
        lossSum += loss
        batches += 1
        correct += zip(argmaxRows(logits), labels).filter { $0 == $1 }.count
        seen += labels.count
    }
}

/// Index of the largest value of each row of [N, C].
func argmaxRows(_ t: Tensor) -> [Int] {
    let (n, c) = (t.shape[0], t.shape[1])
    return (0..<n).map { i in
        var best = 0
        for j in 1..<max(c, 1) where t.pointer[i * c + j] > t.pointer[i * c + best] { best = j }
        return best
    }
}

/// A flag set from any thread and read by the training loop.
final class InterruptionFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ v: Bool) { lock.lock(); value = v; lock.unlock() }
}
