/// Mean cross-entropy of logits [N, C] against integer class labels (PyTorch
/// `F.cross_entropy`, reduction "mean"). Fused: d/dlogits = (softmax − onehot)/N.
public func crossEntropy(logits: Tensor, labels: [Int]) throws -> Tensor {
    guard logits.rank == 2 else { throw TensorError.shapes("crossEntropy", "logits must be [N, C]", logits.shape) }
    let (n, c) = (logits.shape[0], logits.shape[1])
    guard labels.count == n else {
        throw TensorError(op: "crossEntropy", "\(labels.count) labels for logits of shape \(logits.shape)")
    }
    if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= c }) {
        throw TensorError(op: "crossEntropy", "label \(labels[bad]) at index \(bad) is outside 0..<\(c)")
    }
    guard n > 0 else { throw TensorError(op: "crossEntropy", "empty batch") }
    let logp = Tensor(uninitialized: logits.shape)
    softmaxRows(logits.pointer, logp.pointer, rows: n, width: c, log: true)
    var total = 0.0
    for i in 0..<n { total -= Double(logp.pointer[i * c + labels[i]]) }
    let out = Tensor(scalar: Float(total / Double(n)))
    return Tensor.result(out, inputs: [logits]) { g in
        let gx = Tensor(uninitialized: logits.shape)
        let scale = g.pointer[0] / Float(n)
        let pl = logp.pointer, pd = gx.pointer
        for i in 0..<n {
            for j in 0..<c { pd[i * c + j] = scale * ((j == labels[i] ? -1 : 0) + exp(pl[i * c + j])) }
        }
        return [gx]
    }
}

/// Cross-entropy with class weights and label smoothing (PyTorch `F.cross_entropy(weight:,
/// label_smoothing:)`, reduction "mean"): the target of row i is (1 − ε)·onehot(yᵢ) + ε/C, each
/// class's term is weighted by w_c, and the sum is divided by Σᵢ w_{yᵢ}. Without weights and
/// smoothing this is exactly `crossEntropy(logits:labels:)`.
public func crossEntropy(logits: Tensor, labels: [Int], classWeights: [Float]?, labelSmoothing: Float) throws -> Tensor {
    guard classWeights != nil || labelSmoothing != 0 else { return try crossEntropy(logits: logits, labels: labels) }
    guard logits.rank == 2 else { throw TensorError.shapes("crossEntropy", "logits must be [N, C]", logits.shape) }
    let (n, c) = (logits.shape[0], logits.shape[1])
    guard labels.count == n else {
        throw TensorError(op: "crossEntropy", "\(labels.count) labels for logits of shape \(logits.shape)")
    }
    if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= c }) {
        throw TensorError(op: "crossEntropy", "label \(labels[bad]) at index \(bad) is outside 0..<\(c)")
    }
    guard n > 0 else { throw TensorError(op: "crossEntropy", "empty batch") }
    guard labelSmoothing >= 0, labelSmoothing <= 1 else {
        throw TensorError(op: "crossEntropy", "label smoothing \(labelSmoothing) is outside 0...1")
    }
    let w = classWeights ?? Array(repeating: 1, count: c)
    guard w.count == c else { throw TensorError(op: "crossEntropy", "\(w.count) class weights for \(c) classes") }
    guard w.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw TensorError(op: "crossEntropy", "class weights must be finite and non-negative") }
    let total = labels.reduce(0.0) { $0 + Double(w[$1]) }
    guard total > 0 else { throw TensorError(op: "crossEntropy", "the batch's class weights sum to zero") }
    let eps = Double(labelSmoothing), share = eps / Double(c)
    let logp = Tensor(uninitialized: logits.shape)
    softmaxRows(logits.pointer, logp.pointer, rows: n, width: c, log: true)
    var sum = 0.0
    for i in 0..<n {
        let row = logp.pointer + i * c
        sum -= (1 - eps) * Double(w[labels[i]]) * Double(row[labels[i]])
        if eps > 0 { for j in 0..<c { sum -= share * Double(w[j]) * Double(row[j]) } }
    }
    let out = Tensor(scalar: Float(sum / total))
    let weightSum = w.reduce(0, +)
    return Tensor.result(out, inputs: [logits]) { g in
        let gx = Tensor(uninitialized: logits.shape)
        let scale = Double(g.pointer[0]) / total
        let pl = logp.pointer, pd = gx.pointer
        for i in 0..<n {
            let wy = Double(w[labels[i]])
            for j in 0..<c {
                let p = Double(exp(pl[i * c + j]))
                let hard = (1 - eps) * wy * (p - (j == labels[i] ? 1 : 0))
                let soft = share * (Double(weightSum) * p - Double(w[j]))
                pd[i * c + j] = Float(scale * (hard + soft))
            }
        }
        return [gx]
    }
}

/// Cross-entropy with 64-bit labels (as stored in safetensors fixtures and PyTorch).
public func crossEntropy(logits: Tensor, labels: [Int64]) throws -> Tensor {
    try crossEntropy(logits: logits, labels: labels.map { Int($0) })
}

import Foundation
