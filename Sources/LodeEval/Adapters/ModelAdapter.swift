import Foundation
import LodeGeo
import LodeNN
import LodeTensor

/// Any model as LodeEval's `BatchModel`: the class-1 probability per window, in evaluation
/// mode without a tape, `batchSize` windows per forward pass, for windows of the model's
/// input contract.
///
/// Calls are serialised by a lock: inference flips the model's train/eval mode and already
/// runs each convolution on every core, so concurrent callers would only contend. Mapping and
/// SHAP should therefore use `workers: 1` with this closure.
public func batchModel(_ model: Module, batchSize: Int = 128) throws -> BatchModel {
    let c = try model.requireContract(for: "prediction")
    let lock = NSLock()
    return { windows, count in
        guard count > 0 else { return [] }
        let per = c.channels * c.window * c.window
        guard windows.count == count * per else {
            throw NNError("\(model.displayName): \(windows.count) values are not \(count) windows of \(c.channels)×\(c.window)×\(c.window)")
        }
        let x = try Tensor(shape: [count, c.channels, c.window, c.window], scalars: windows)
        lock.lock()
        defer { lock.unlock() }
        return try predictPositive(model, windows: x, batchSize: batchSize)
    }
}

/// The same for the windows of a dataset: a model that has not met data yet takes the
/// dataset's shape as its contract; otherwise the shapes must agree.
public func batchModel(_ model: Module, for data: Dataset, batchSize: Int = 128) throws -> BatchModel {
    try checkContract(model, data)
    return try batchModel(model, batchSize: batchSize)
}

/// A model that has not met data yet takes the dataset's shape as its contract; otherwise the
/// shapes must agree.
public func checkContract(_ model: Module, _ data: Dataset) throws {
    guard let c = model.contract else {
        model.contract = InputContract(channels: data.channels, window: data.size, classes: 2, layerNames: data.layerNames)
        return
    }
    guard c.channels == data.channels, c.window == data.size else {
        throw NNError("\(model.displayName) takes \(c.described) but the windows are \(data.channels) layers of \(data.size)×\(data.size)")
    }
}

/// Gradient of the class-1 probability with respect to the input windows, for expected
/// gradients (`LayerExplainer.expectedGradients`), through any model. Evaluation mode; the
/// weights get no gradient.
public func batchGradient(_ model: Module) throws -> BatchGradient {
    let c = try model.requireContract(for: "expected gradients")
    let lock = NSLock()
    return { windows, count in
        let x = try Tensor(shape: [count, c.channels, c.window, c.window], scalars: windows, requiresGrad: true)
        lock.lock()
        defer { lock.unlock() }
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let logits = try model(x)
        guard logits.rank == 2, logits.shape[0] == count, logits.shape[1] >= 2 else {
            throw NNError("\(model.displayName) gives shape \(logits.shape) for \(count) windows; a window classifier gives [N, classes]")
        }
        let probabilities = try logits.softmax(axis: -1)
        // Summing class 1 over the batch gives each window's own gradient (windows are independent in eval mode).
        let positive = try probabilities.sliced(axis: 1, range: 1..<2).sum()
        try positive.backward()
        for p in model.parameters() { p.grad = nil }
        guard let grad = x.grad else { throw NNError("\(model.displayName): no input gradient was recorded") }
        return grad.scalars
    }
}
