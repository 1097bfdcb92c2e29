import Foundation
import LodeEval
import LodeGeo
import LodeNN
import LodeScript
import LodeTensor

/// What the commands need beyond Bridges/: models built from blocks (not window
/// classifiers) as batch models, and deposit cells on a grid.
enum Conversions {
    /// Deposit probabilities of windows [count, channels, window, window]. Built-in models
    /// check the shape themselves; a model built from blocks runs in evaluation mode, without
    /// the tape, in batches.
    static func probabilityModel(_ model: Module, channels: Int, window: Int) -> BatchModel {
        if let classifier = model as? WindowClassifier { return batchModel(classifier) }
        return { windows, count in
            let wasTraining = model.isTraining
            model.eval()
            defer { model.train(wasTraining) }
            let length = channels * window * window
            var out: [Float] = []
            out.reserveCapacity(count)
            var start = 0
            while start < count {
                let end = min(count, start + 128)
                let batch = try Tensor(shape: [end - start, channels, window, window], scalars: Array(windows[(start * length)..<(end * length)]))
                let p = try noGrad { try model(batch).softmax(axis: -1) }
                guard p.rank == 2, p.shape[0] == end - start, p.shape[1] >= 2 else {
                    throw LodeError(.type, "the model gives shape \(p.shape) for \(end - start) windows; a window classifier gives [N, 2]")
                }
                let classes = p.shape[1]
                for i in 0..<(end - start) { out.append(p.pointer[i * classes + 1]) }
                start = end
            }
            return out
        }
    }

    static func probabilities(_ model: Module, _ data: Dataset) throws -> [Float] {
        guard data.count > 0 else { return [] }
        return try probabilityModel(model, channels: data.channels, window: data.size)(data.windows, data.count)
    }

    /// The window side a model expects: its configuration, or the caller's choice for blocks.
    static func windowSize(_ model: Module, given: Int?) throws -> Int {
        if let classifier = model as? WindowClassifier { return classifier.config.window }
        guard let given else {
            throw LodeError(.argument, "a model built from blocks needs window: (the window side it was built for)")
        }
        return given
    }

    /// Row-major cell indices holding the points (points outside the grid are skipped).
    static func cells(_ points: PointLayer, on grid: GridSpec) -> [Int] {
        points.x.indices.compactMap { i in grid.cell(x: points.x[i], y: points.y[i]).map { $0.row * grid.cols + $0.col } }
    }
}
