import Foundation
import LodeTensor

extension Module {
    /// A name for messages: the built-in model's, or the block's headline.
    public var displayName: String { (self as? WindowClassifier)?.kind.displayName ?? headline }

    /// The contract, or an error saying how to give the model one.
    public func requireContract(for operation: String) throws -> InputContract {
        guard let contract else {
            throw NNError("\(operation): \(displayName) does not know its input yet (channels and window size); train it, load a checkpoint into it, or give it a contract")
        }
        return contract
    }
}

/// Logits [N, classes] for any number of windows [N, C, k, k]: evaluation mode, no tape, in
/// batches of `batchSize` (each batch runs its convolutions on all cores). The model's
/// training/evaluation mode is restored afterwards. The windows are checked against the
/// model's contract when it has one, and the output must be [batch, classes].
public func predictLogits(_ model: Module, windows: Tensor, batchSize: Int = 128) throws -> Tensor {
    if let contract = model.contract { try contract.validate(windows, model: model.displayName) }
    guard windows.rank == 4, windows.shape[0] > 0 else {
        throw NNError("predict: windows must be [N, C, k, k] with N > 0, got shape \(windows.shape)")
    }
    guard batchSize > 0 else { throw NNError("predict: batch size must be positive") }
    keepFreedMemoryForReuse()
    let wasTraining = model.isTraining
    model.eval()
    defer { model.train(wasTraining) }
    let n = windows.shape[0]
    var out: Tensor?
    var classes = 0
    try noGrad {
        var start = 0
        while start < n {
            let end = min(n, start + batchSize)
            let batch = start == 0 && end == n ? windows : gatherWindows(windows, Array(start..<end)[...])
            let logits = try forwardUnchecked(model, batch)
            guard logits.rank == 2, logits.shape[0] == end - start, logits.shape[1] >= 2 else {
                throw NNError("\(model.displayName) gives shape \(logits.shape) for \(end - start) windows; a window classifier gives [N, classes] with at least 2 classes")
            }
            if out == nil {
                classes = logits.shape[1]
                out = Tensor.zeros([n, classes])
            }
            guard logits.shape[1] == classes else { throw NNError("\(model.displayName) changed its number of classes between batches") }
            (out!.pointer + start * classes).update(from: logits.pointer, count: (end - start) * classes)
            start = end
        }
    }
    return out!
}

/// The forward pass of input already checked against the contract (built-in models skip
/// their own second check).
func forwardUnchecked(_ model: Module, _ x: Tensor) throws -> Tensor {
    if let classifier = model as? WindowClassifier { return try classifier.logits(x) }
    return try model(x)
}

/// Class probabilities [N, classes] (softmax of `predictLogits`).
public func predictProbabilities(_ model: Module, windows: Tensor, batchSize: Int = 128) throws -> Tensor {
    try noGrad { try predictLogits(model, windows: windows, batchSize: batchSize).softmax(axis: -1) }
}

/// Probability of class 1 (the "deposit" class of a binary model) for each window.
public func predictPositive(_ model: Module, windows: Tensor, batchSize: Int = 128) throws -> [Float] {
    let p = try predictProbabilities(model, windows: windows, batchSize: batchSize)
    let c = p.shape[1]
    return (0..<p.shape[0]).map { p.pointer[$0 * c + min(1, c - 1)] }
}

/// Loss, accuracy and AUC of a model on labelled windows (evaluation mode, no tape).
public struct Evaluation: Sendable {
    public var loss: Double
    public var accuracy: Double
    /// Binary: class 1 against class 0; more classes: the mean of one-vs-rest AUCs. nil when a
    /// class is missing.
    public var auc: Double?
}

public func evaluate(_ model: Module, on data: WindowDataset, batchSize: Int = 128) throws -> Evaluation {
    let p = try predictProbabilities(model, windows: data.windows, batchSize: batchSize)
    let (n, c) = (p.shape[0], p.shape[1])
    if let bad = data.labels.firstIndex(where: { $0 >= c }) {
        throw NNError("evaluate: label \(data.labels[bad]) of window \(bad) is outside the model's \(c) classes")
    }
    var loss = 0.0, correct = 0
    for i in 0..<n {
        let row = p.pointer + i * c
        loss -= Foundation.log(Double(Swift.max(row[data.labels[i]], Float.leastNonzeroMagnitude)))
        var best = 0
        for j in 1..<c where row[j] > row[best] { best = j }
        if best == data.labels[i] { correct += 1 }
    }
    let aucs = (c == 2 ? [1] : Array(0..<c)).compactMap { k in
        rankAUC(scores: (0..<n).map { p.pointer[$0 * c + k] }, positives: data.labels.map { $0 == k })
    }
    return Evaluation(loss: loss / Double(n), accuracy: Double(correct) / Double(n),
                      auc: aucs.isEmpty ? nil : aucs.reduce(0, +) / Double(aucs.count))
}
