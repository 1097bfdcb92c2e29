import Foundation
import LodeTensor

/// A checkpoint is one safetensors file: the model's state dict under its own keys (so the
/// PyTorch reference loads it after dropping "optimizer.*"), optionally Adam's moments as
/// "optimizer.m.<key>"/"optimizer.v.<key>", and metadata naming the model, its config and,
/// for training checkpoints, the options, seed, history and position.
enum CheckpointKey {
    static let format = "format", model = "model", config = "config", options = "training_options"
    static let history = "history", epoch = "epoch", stepInEpoch = "step_in_epoch", optimizerStep = "optimizer_step"
    static let partial = "partial_epoch", formatValue = "lode-checkpoint-1"
}

extension WindowClassifier {
    func checkpointMetadata() throws -> [String: String] {
        [CheckpointKey.format: CheckpointKey.formatValue, CheckpointKey.model: kind.rawValue, CheckpointKey.config: try config.json()]
    }

    /// Saves the weights with the model kind and config (temporary file, then rename).
    public func saveCheckpoint(path: String) throws { try save(path: path, metadata: try checkpointMetadata()) }

    /// Loads weights from a checkpoint, refusing one of another model or config before
    /// touching any weight.
    public func loadCheckpoint(path: String) throws {
        let file = try readSafetensors(path)
        try checkCompatible(file, source: path)
        try loadStateDict(modelTensors(file), source: path)
    }

    func checkCompatible(_ file: SafetensorsFile, source: String) throws {
        if let k = file.metadata[CheckpointKey.model], k != kind.rawValue {
            throw NNError("\(source) holds a \((ModelKind(rawValue: k)?.displayName) ?? k) checkpoint, not \(kind.displayName)")
        }
        if let json = file.metadata[CheckpointKey.config] {
            let other = try ModelConfig(json: json)
            if other != config {
                throw NNError("\(source) was saved with a different config (\(json)) than this \(kind.displayName) (\(try config.json()))")
            }
        }
    }
}

/// The model tensors of a checkpoint (everything but optimiser state and PyTorch counters).
func modelTensors(_ file: SafetensorsFile) -> [String: Tensor] {
    var values: [String: Tensor] = [:]
    for (k, a) in file.arrays where !k.hasPrefix("optimizer.") && !k.hasSuffix("num_batches_tracked") { values[k] = a.tensor() }
    return values
}

/// Builds the model a checkpoint describes and loads its weights.
public func loadModel(checkpoint path: String) throws -> WindowClassifier {
    let file = try readSafetensors(path)
    guard let kindName = file.metadata[CheckpointKey.model], let json = file.metadata[CheckpointKey.config] else {
        throw NNError("\(path) is not a Lode model checkpoint (no model/config metadata)")
    }
    let model = try makeModel(ModelKind(name: kindName), config: ModelConfig(json: json))
    try model.loadStateDict(modelTensors(file), source: path)
    return model
}
