import Foundation
import LodeEval
import LodeNN
import LodeTensor

/// A trained LodeNN model as LodeEval's `BatchModel`: class-1 probability per window, in
/// evaluation mode without a tape, `batchSize` windows per forward pass.
///
/// Calls are serialised by a lock: inference flips the model's train/eval mode and already
/// runs each convolution on every core, so concurrent callers would only contend. Mapping and
/// SHAP should therefore use `workers: 1` with this closure.
public func batchModel(_ model: WindowClassifier, batchSize: Int = 128) -> BatchModel {
    let lock = NSLock()
    let c = model.config
    return { windows, count in
        guard count > 0 else { return [] }
        let per = c.inputChannels * c.window * c.window
        guard windows.count == count * per else {
            throw NNError("\(model.kind.displayName): \(windows.count) values are not \(count) windows of \(c.inputChannels)×\(c.window)×\(c.window)")
        }
        let x = try Tensor(shape: [count, c.inputChannels, c.window, c.window], scalars: windows)
        lock.lock()
        defer { lock.unlock() }
        return try predictPositive(model, windows: x, batchSize: batchSize)
    }
}

/// Gradient of the class-1 probability with respect to the input windows, for expected
/// gradients (`LayerExplainer.expectedGradients`). Evaluation mode; the weights get no gradient.
public func batchGradient(_ model: WindowClassifier) -> BatchGradient {
    let lock = NSLock()
    let c = model.config
    return { windows, count in
        let x = try Tensor(shape: [count, c.inputChannels, c.window, c.window], scalars: windows, requiresGrad: true)
        lock.lock()
        defer { lock.unlock() }
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let probabilities = try model(x).softmax(axis: -1)
        // Summing class 1 over the batch gives each window's own gradient (windows are independent in eval mode).
        let k = min(1, c.classes - 1)
        let positive = try probabilities.sliced(axis: 1, range: k..<(k + 1)).sum()
        try positive.backward()
        for p in model.parameters() { p.grad = nil }
        guard let grad = x.grad else { throw NNError("\(model.kind.displayName): no input gradient was recorded") }
        return grad.scalars
    }
}
