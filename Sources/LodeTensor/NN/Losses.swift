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

/// Cross-entropy with 64-bit labels (as stored in safetensors fixtures and PyTorch).
public func crossEntropy(logits: Tensor, labels: [Int64]) throws -> Tensor {
    try crossEntropy(logits: logits, labels: labels.map { Int($0) })
}

import Foundation
