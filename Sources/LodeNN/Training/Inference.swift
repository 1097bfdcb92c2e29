import Foundation
import LodeTensor

/// Logits [N, classes] for any number of windows [N, C, k, k]: evaluation mode, no tape, in
/// batches of `batchSize` (each batch runs its convolutions on all cores). The model's
/// training/evaluation mode is restored afterwards.
public func predictLogits(_ model: WindowClassifier, windows: Tensor, batchSize: Int = 128) throws -> Tensor {
    try model.validateInput(windows)
    guard batchSize > 0 else { throw NNError("predict: batch size must be positive") }
    keepFreedMemoryForReuse()
    let wasTraining = model.isTraining
    model.eval()
    defer { model.train(wasTraining) }
    let n = windows.shape[0], classes = model.config.classes
    let out = Tensor.zeros([n, classes])
    try noGrad {
        var start = 0
        while start < n {
            let end = min(n, start + batchSize)
            let batch = start == 0 && end == n ? windows : gatherWindows(windows, Array(start..<end)[...])
            let logits = try model.logits(batch)
            (out.pointer + start * classes).update(from: logits.pointer, count: (end - start) * classes)
            start = end
        }
    }
    return out
}

/// Class probabilities [N, classes] (softmax of `predictLogits`).
public func predictProbabilities(_ model: WindowClassifier, windows: Tensor, batchSize: Int = 128) throws -> Tensor {
    try noGrad { try predictLogits(model, windows: windows, batchSize: batchSize).softmax(axis: -1) }
}

/// Probability of class 1 (the "deposit" class of a binary model) for each window.
public func predictPositive(_ model: WindowClassifier, windows: Tensor, batchSize: Int = 128) throws -> [Float] {
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

public func evaluate(_ model: WindowClassifier, on data: WindowDataset, batchSize: Int = 128) throws -> Evaluation {
    let p = try predictProbabilities(model, windows: data.windows, batchSize: batchSize)
    let (n, c) = (p.shape[0], p.shape[1])
    var loss = 0.0, correct = 0
    for i in 0..<n {
        let row = p.pointer + i * c
        loss -= Foundation.log(Double(Swift.max(row[data.labels[i]], Float.leastNonzeroMagnitude)))
        var best = 0
        for j in 1..<c where row[j] > row[best] { best = j }
        if best == data.labels[i] { correct += 1 }
    }
    let aucs = (c == 2 ? [1] : Array(0..<c)).compactMap { k in
        rocAUC(scores: (0..<n).map { p.pointer[$0 * c + k] }, positives: data.labels.map { $0 == k })
    }
    return Evaluation(loss: loss / Double(n), accuracy: Double(correct) / Double(n),
                      auc: aucs.isEmpty ? nil : aucs.reduce(0, +) / Double(aucs.count))
}

