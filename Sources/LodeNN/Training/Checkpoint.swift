import Foundation
import LodeTensor

/// One checkpoint format for every model: a safetensors file holding the model's state dict
/// under its own keys (so the PyTorch reference loads it after dropping "optimizer.*"), and
/// metadata naming the model's input contract and architecture. A built-in model also records
/// its kind and config, so it can be rebuilt from the file alone; a model built from blocks is
/// code, rebuilt by the caller, who then loads the weights (as in PyTorch). Training
/// checkpoints add the optimiser's state ("optimizer.<slot>.<key>"), the options, history and
/// position (see `Trainer.saveTrainingCheckpoint`).
enum CheckpointKey {
    static let format = "format", model = "model", config = "config", options = "training_options"
    static let contract = "contract", architecture = "architecture"
    static let history = "history", epoch = "epoch", stepInEpoch = "step_in_epoch", optimizerStep = "optimizer_step"
    static let partial = "partial_epoch", formatValue = "lode-checkpoint-2"
}

extension Module {
    func checkpointMetadata() throws -> [String: String] {
        var meta = [CheckpointKey.format: CheckpointKey.formatValue, CheckpointKey.architecture: headline]
        if let contract { meta[CheckpointKey.contract] = String(decoding: try JSONEncoder().encode(contract), as: UTF8.self) }
        if let builtIn = self as? WindowClassifier {
            meta[CheckpointKey.model] = builtIn.kind.rawValue
            meta[CheckpointKey.config] = try builtIn.config.json()
        }
        return meta
    }

    /// Saves the weights with the contract (and a built-in model's kind and config); temporary file, then rename.
    public func saveCheckpoint(path: String) throws { try save(path: path, metadata: try checkpointMetadata()) }

    /// Loads weights from a checkpoint (or a plain state dict), refusing one of another built-in
    /// model, config or input contract before touching any weight; a model without a contract
    /// takes the file's.
    public func loadCheckpoint(path: String) throws { try loadCheckpoint(try readSafetensors(path), source: path) }

    func loadCheckpoint(_ file: SafetensorsFile, source: String) throws {
        let saved = try savedContract(file, source: source)
        try checkCompatible(file, contract: saved, source: source)
        try loadStateDict(modelTensors(file), source: source)
        if let saved {
            // Keep what both know; the file may add layer names.
            var merged = contract ?? saved
            if merged.layerNames == nil { merged.layerNames = saved.layerNames }
            contract = merged
        }
    }

    func checkCompatible(_ file: SafetensorsFile, contract saved: InputContract?, source: String) throws {
        if let builtIn = self as? WindowClassifier {
            if let k = file.metadata[CheckpointKey.model], k != builtIn.kind.rawValue {
                throw NNError("\(source) holds a \((ModelKind(rawValue: k)?.displayName) ?? k) checkpoint, not \(builtIn.kind.displayName)")
            }
            if let json = file.metadata[CheckpointKey.config] {
                let other = try ModelConfig(json: json)
                if other != builtIn.config {
                    throw NNError("\(source) was saved with a different config (\(json)) than this \(builtIn.kind.displayName) (\(try builtIn.config.json()))")
                }
            }
        }
        if let saved, let own = contract, !own.accepts(saved) {
            throw NNError("\(source) was saved for \(saved.described)\(saved.layerNames.map { " (\($0.joined(separator: ", ")))" } ?? "") but \(displayName) takes \(own.described)\(own.layerNames.map { " (\($0.joined(separator: ", ")))" } ?? "")")
        }
    }
}

/// The input contract a checkpoint records: its own, or a built-in model's config.
func savedContract(_ file: SafetensorsFile, source: String) throws -> InputContract? {
    if let json = file.metadata[CheckpointKey.contract] {
        do { return try JSONDecoder().decode(InputContract.self, from: Data(json.utf8)) } catch {
            throw NNError("\(source): the input contract is unreadable: \(error)")
        }
    }
    if let json = file.metadata[CheckpointKey.config] {
        let c = try ModelConfig(json: json)
        return InputContract(channels: c.inputChannels, window: c.window, classes: c.classes)
    }
    return nil
}

/// The model tensors of a checkpoint (everything but optimiser state and PyTorch counters).
func modelTensors(_ file: SafetensorsFile) -> [String: Tensor] {
    var values: [String: Tensor] = [:]
    for (k, a) in file.arrays where !k.hasPrefix("optimizer.") && !k.hasSuffix("num_batches_tracked") { values[k] = a.tensor() }
    return values
}

/// What a checkpoint says about itself, without building anything.
public struct CheckpointSummary: Sendable {
    public var contract: InputContract?
    public var architecture: String?
    /// The built-in model's kind, when it is one.
    public var builtInKind: ModelKind?
    public var isTrainingCheckpoint: Bool
}

public func readCheckpointSummary(path: String) throws -> CheckpointSummary {
    let file = try readSafetensors(path)
    return CheckpointSummary(contract: try savedContract(file, source: path), architecture: file.metadata[CheckpointKey.architecture],
                             builtInKind: file.metadata[CheckpointKey.model].flatMap(ModelKind.init(rawValue:)),
                             isTrainingCheckpoint: file.metadata[CheckpointKey.options] != nil)
}

/// Builds the built-in model a checkpoint describes and loads its weights.
public func loadModel(checkpoint path: String) throws -> WindowClassifier {
    let file = try readSafetensors(path)
    guard let kindName = file.metadata[CheckpointKey.model], let json = file.metadata[CheckpointKey.config] else {
        let architecture = file.metadata[CheckpointKey.architecture].map { " (\($0))" } ?? ""
        throw NNError("\(path) holds a model built from blocks\(architecture), not a built-in one: build the same architecture, then load the weights into it")
    }
    let model = try makeModel(ModelKind(name: kindName), config: ModelConfig(json: json))
    try model.loadCheckpoint(file, source: path)
    return model
}
