import Foundation
import LodeTensor

/// One training step of the caller's own: given a batch and the optimiser (its learning rate
/// already set for this step, gradients cleared), compute the loss, call `backward()` on it and
/// `optimizer.step()`. Returns the batch loss and, when it has them, the logits (for accuracy).
public typealias TrainingStep = (_ windows: Tensor, _ labels: [Int], _ optimizer: StatefulOptimizer) throws -> (loss: Float, logits: Tensor?)

/// Trains any window classifier — a `Module` taking [N, C, k, k] to logits [N, classes] — with
/// the options' optimiser, schedule and loss, validating after every epoch.
///
/// State after any return or throw is consistent: the weights and the optimiser's state include
/// exactly the steps counted in `position`, and `history` holds only finished epochs. An
/// interruption (`requestInterrupt`, from any thread) is honoured between batches; a later
/// `fit` (or a resumed checkpoint) continues from the same batch.
public final class Trainer {
    public let model: Module
    public let options: TrainingOptions
    public let optimizer: StatefulOptimizer
    /// The parameters' dotted keys, in the optimiser's order (checkpoints key its state by them).
    public let parameterKeys: [String]
    public private(set) var history = TrainingHistory()
    /// Finished epochs, and steps finished in the current one.
    public private(set) var position = (epoch: 0, step: 0)
    public weak var observer: TrainingObserver?
    /// Replaces the built-in step (forward, loss, backward, optimiser step) when set.
    public var customStep: TrainingStep?

    /// Running sums of the unfinished epoch (so an interrupted epoch resumes with its figures).
    private var partial = PartialEpoch()
    private var bestState: [(key: String, tensor: Tensor)]?
    private let interruption = InterruptionFlag()

    public init(model: Module, options: TrainingOptions = TrainingOptions()) throws {
        try options.validate()
        keepFreedMemoryForReuse()
        self.model = model
        self.options = options
        let named = model.namedParameters()
        guard !named.isEmpty else { throw NNError("training: \(model.displayName) has no parameters to train") }
        parameterKeys = named.map(\.key)
        optimizer = makeOptimizer(options, parameters: named.map(\.tensor))
    }

    /// Whether a best epoch's weights are held (for `restoreBest`).
    public var hasBestState: Bool { bestState != nil }

    /// Asks a running `fit` to stop after the current batch (thread-safe).
    public func requestInterrupt() { interruption.set(true) }

    /// The learning rate of a global step (0-based) for a run of `totalSteps`.
    public func learningRate(step: Int, totalSteps: Int) -> Float {
        switch options.schedule {
        case .constant: return options.maximumLearningRate
        case .cosine:
            return CosineSchedule(maximum: options.maximumLearningRate, minimum: options.minimumLearningRate,
                                  steps: max(totalSteps - 1, 1)).learningRate(step: step)
        case .warmupCosine:
            let warm = min(options.warmupSteps, max(totalSteps - 1, 0))
            if step < warm {
                let t = Float(step + 1) / Float(warm + 1)
                return options.minimumLearningRate + (options.maximumLearningRate - options.minimumLearningRate) * t
            }
            return CosineSchedule(maximum: options.maximumLearningRate, minimum: options.minimumLearningRate,
                                  steps: max(totalSteps - 1 - warm, 1)).learningRate(step: step - warm)
        }
    }

    /// Trains until `options.epochs` are done, early stopping triggers, or an interruption.
    @discardableResult
    public func fit(train: WindowDataset, validation: WindowDataset? = nil) throws -> TrainingHistory {
        interruption.set(false)
        if model.contract == nil {
            model.contract = InputContract(channels: train.channels, window: train.windowSize,
                                           classes: max(2, (train.labels.max() ?? 0) + 1))
        }
        try checkData(train, "training")
        if let validation { try checkData(validation, "validation") }
        // A lone window left for the last batch would give batch norm one value per channel (an
        // error in training): it joins the batch before instead.
        let lone = train.count > options.batchSize && train.count % options.batchSize == 1
        let stepsPerEpoch = lone ? train.count / options.batchSize : (train.count + options.batchSize - 1) / options.batchSize
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
                let end = step == stepsPerEpoch - 1 ? train.count : min(train.count, (step + 1) * options.batchSize)
                let slice = order[(step * options.batchSize)..<end]
                let (x, y) = train.batch(slice)
                let global = epoch * stepsPerEpoch + step
                optimizer.learningRate = learningRate(step: global, totalSteps: totalSteps)
                optimizer.zeroGrad()
                let result = try runStep(x, y, epoch: epoch, step: step)
                partial.add(loss: Double(result.loss), logits: result.logits, labels: y)
                position.step += 1
                samplesThisRun += y.count
                let elapsed = Date().timeIntervalSince(started)
                let rate = Double(samplesThisRun) / max(elapsed, 1e-9)
                let remaining = Double((totalSteps - global - 1) * options.batchSize) / max(rate, 1e-9)
                observer?.training(.step(epoch: epoch, step: step, stepsPerEpoch: stepsPerEpoch, loss: result.loss,
                                         samplesPerSecond: rate, etaSeconds: remaining))
            }
            try finishEpoch(validation: validation)
            if history.status == .earlyStopped { return history }
        }
        history.status = .completed
        return history
    }

    /// The built-in step (forward, loss with the options' weights and smoothing, backward,
    /// optimiser step), or the caller's.
    private func runStep(_ x: Tensor, _ y: [Int], epoch: Int, step: Int) throws -> (loss: Float, logits: Tensor?) {
        func stopped(_ value: Float, _ weights: String) -> NNError {
            NNError("training stopped: the loss became \(value) at epoch \(epoch + 1), step \(step + 1) (learning rate \(optimizer.learningRate)); \(weights)")
        }
        if let customStep {
            let result = try customStep(x, y, optimizer)
            guard result.loss.isFinite else { throw stopped(result.loss, "the training step may already have changed the weights") }
            return result
        }
        let logits = try forwardUnchecked(model, x)
        let loss = try crossEntropy(logits: logits, labels: y, classWeights: options.classWeights, labelSmoothing: options.labelSmoothing)
        guard loss.item.isFinite else { throw stopped(loss.item, "the weights are those before this step") }
        try loss.backward()
        optimizer.step()
        return (loss.item, logits)
    }

    private func checkData(_ data: WindowDataset, _ role: String) throws {
        let c = try model.requireContract(for: "training")
        guard data.count > 0 else { throw NNError("\(role) data is empty") }
        guard data.channels == c.channels, data.windowSize == c.window else {
            throw NNError("\(role) windows are \(data.channels) channels of \(data.windowSize)×\(data.windowSize) but \(model.displayName) expects \(c.channels) channels of \(c.window)×\(c.window)")
        }
        if let w = options.classWeights, w.count != c.classes {
            throw NNError("training: \(w.count) class weights for a model of \(c.classes) classes")
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
        // Without validation the best epoch is the one with the lowest training loss, and it
        // has no AUC: a negated loss shown as "best val AUC" would be nonsense.
        func score(_ r: EpochRecord) -> Double { r.validationAUC ?? -r.trainLoss }
        let best = history.bestEpoch.flatMap { epoch in history.epochs.first { $0.epoch == epoch } }
        if best.map({ score(record) > score($0) }) ?? true {
            history.bestValidationAUC = record.validationAUC
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
        var tensors: [String: Tensor] = [:]
        for slot in optimizer.slotNames {
            for (key, t) in zip(parameterKeys, optimizer.state(slot: slot)) { tensors["optimizer.\(slot).\(key)"] = t }
        }
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
    /// config, options, seed, history, batch position and optimiser state). `epochs` may extend
    /// the run. The built-in model is rebuilt from the checkpoint.
    public static func resume(from path: String, epochs: Int? = nil) throws -> Trainer {
        try resume(model: try loadModel(checkpoint: path), from: path, epochs: epochs)
    }

    /// The same for a model the caller built (the architecture is code, as in PyTorch): its
    /// weights are loaded from the checkpoint first, checked key by key.
    public static func resume(model: Module, from path: String, epochs: Int? = nil) throws -> Trainer {
        let file = try readSafetensors(path)
        guard let optionsJSON = file.metadata[CheckpointKey.options], let historyJSON = file.metadata[CheckpointKey.history],
              let epoch = file.metadata[CheckpointKey.epoch].flatMap(Int.init),
              let step = file.metadata[CheckpointKey.stepInEpoch].flatMap(Int.init),
              let optimizerStep = file.metadata[CheckpointKey.optimizerStep].flatMap(Int.init) else {
            throw NNError("\(path) is not a training checkpoint (it has no training state; load it as a model instead)")
        }
        try model.loadCheckpoint(file, source: path)
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
        var slots: [String: [Tensor]] = [:]
        for slot in trainer.optimizer.slotNames {
            slots[slot] = try trainer.parameterKeys.map { key in
                guard let a = file["optimizer.\(slot).\(key)"] else { throw NNError("\(path): missing optimiser state 'optimizer.\(slot).\(key)'") }
                return a.tensor()
            }
        }
        do { try trainer.optimizer.restore(slots: slots, stepCount: optimizerStep) } catch { throw NNError("\(path): \(error)") }
        trainer.position = (epoch, step)
        return trainer
    }
}

/// The optimiser the options name, over `parameters` in order.
func makeOptimizer(_ o: TrainingOptions, parameters: [Tensor]) -> StatefulOptimizer {
    switch o.optimizer {
    case .adam:
        return Adam(parameters: parameters, learningRate: o.maximumLearningRate, beta1: o.beta1, beta2: o.beta2,
                    epsilon: o.epsilon, weightDecay: o.weightDecay)
    case .adamw:
        return Adam(parameters: parameters, learningRate: o.maximumLearningRate, beta1: o.beta1, beta2: o.beta2,
                    epsilon: o.epsilon, weightDecay: o.weightDecay, decoupledWeightDecay: true)
    case .sgd:
        return SGD(parameters: parameters, learningRate: o.maximumLearningRate, momentum: o.momentum, weightDecay: o.weightDecay)
    }
}

/// Sums over the batches of an unfinished epoch.
struct PartialEpoch: Codable {
    var lossSum = 0.0, batches = 0, correct = 0, seen = 0, seconds = 0.0
    var startedAt: Date? = nil

    var meanLoss: Double { batches > 0 ? lossSum / Double(batches) : .nan }
    var accuracy: Double { seen > 0 ? Double(correct) / Double(seen) : .nan }

    /// A batch's loss, and its accuracy when the step gave logits.
    mutating func add(loss: Double, logits: Tensor?, labels: [Int]) {
        let now = Date()
        seconds += now.timeIntervalSince(startedAt ?? now)
        startedAt = now
        lossSum += loss
        batches += 1
        guard let logits, logits.rank == 2, logits.shape[0] == labels.count else { return }
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
