import LodeTensor

/// Gradient of the model's class-1 probability with respect to its input: same layout and
/// size as `windows` (count x layers x height x width).
public typealias BatchGradient = (_ windows: [Float], _ count: Int) throws -> [Float]

/// SHAP over input layers: a layer is one feature, and leaving it out of a coalition replaces
/// the whole layer by its background value. With several background points the coalition's
/// value is the weighted mean of the model over them.
public struct LayerExplainer {
    public var model: BatchModel
    public var layers: Int
    public var height: Int
    public var width: Int
    public var background: LayerBackground
    public var featureNames: [String]
    /// Windows per model call.
    public var batchSize: Int
    /// Called after each explained window with (done, total).
    public var progress: ((_ done: Int, _ total: Int) -> Void)?
    /// Checked before each window; true stops with an "interrupted" error.
    public var isCancelled: (() -> Bool)?

    public init(model: @escaping BatchModel, layers: Int, height: Int, width: Int, background: LayerBackground,
                featureNames: [String]? = nil, batchSize: Int = 256) throws {
        guard background.layers == layers else {
            throw EvalError("shap", "the background has \(background.layers) layers but the windows have \(layers)")
        }
        guard height > 0, width > 0 else { throw EvalError("shap", "window size \(height)x\(width) must be positive") }
        guard batchSize > 0 else { throw EvalError("shap", "batchSize is \(batchSize); it must be positive") }
        let names = featureNames ?? (1...layers).map { "layer \($0)" }
        guard names.count == layers else {
            throw EvalError("shap", "\(names.count) feature names for \(layers) layers")
        }
        self.model = model
        self.layers = layers
        self.height = height
        self.width = width
        self.background = background
        self.featureNames = names
        self.batchSize = batchSize
    }

    var windowLength: Int { layers * height * width }

    /// Exact SHAP: all 2^layers coalitions per window.
    public func exact(windows: [Float], count: Int) throws -> Explanation {
        try explain(windows: windows, count: count, method: "exact") { game in
            try exactShapley(featureCount: layers, batchSize: max(1, batchSize / background.points.count), values: game)
        }
    }

    public func permutation(windows: [Float], count: Int, maxEvaluations: Int = 500, seed: UInt64 = 0) throws -> Explanation {
        try explain(windows: windows, count: count, method: "permutation") { game in
            try permutationShapley(featureCount: layers, maxEvaluations: maxEvaluations, seed: seed, values: game)
        }
    }

    public func kernel(windows: [Float], count: Int, samples: Int = 2048, seed: UInt64 = 0) throws -> Explanation {
        try explain(windows: windows, count: count, method: "kernel") { game in
            try kernelShapley(featureCount: layers, samples: samples, seed: seed, values: game)
        }
    }

    /// Expected gradients: E over background points x' and alpha ~ U(0, 1) of
    /// (x - x') * gradient(x' + alpha (x - x')), pixel by pixel, then summed over each layer.
    /// `samples` (x', alpha) draws per window; additivity holds only approximately and the
    /// explanation reports by how much.
    public func expectedGradients(windows: [Float], count: Int, gradient: BatchGradient, samples: Int = 200,
                                  seed: UInt64 = 0) throws -> Explanation {
        try validate(windows: windows, count: count)
        guard samples > 0 else { throw EvalError("shap_expected_gradients", "samples is \(samples); it must be positive") }
        let plane = height * width
        let base = try baseValue()
        let outputs = try evaluate(windows, count: count)
        var generator = RandomStream(seed: seed)
        var values: [[Double]] = []
        var pixelValues: [[Float]] = []
        for n in 0..<count {
            try checkCancelled(done: n, total: count)
            let x = Array(windows[(n * windowLength)..<((n + 1) * windowLength)])
            var pixels = [Double](repeating: 0, count: windowLength)
            let offset = generator.nextUnit()
            var start = 0
            while start < samples {
                let chunk = min(batchSize, samples - start)
                var points = [Float](repeating: 0, count: chunk * windowLength)
                var references: [Int] = []
                for s in 0..<chunk {
                    // Systematic sampling of background points: each is used in proportion
                    // to its weight, so only alpha carries sampling noise.
                    let k = backgroundIndex(position: (Double(start + s) + offset) / Double(samples))
                    let alpha = Float(generator.nextUnit())
                    references.append(k)
                    for l in 0..<layers {
                        let b = background.points[k][l]
                        for p in 0..<plane {
                            let i = l * plane + p
                            points[s * windowLength + i] = b + alpha * (x[i] - b)
                        }
                    }
                }
                let gradients = try gradient(points, chunk)
                guard gradients.count == points.count else {
                    throw EvalError("shap_expected_gradients", "the gradient function returned \(gradients.count) values for \(chunk) windows of \(windowLength)")
                }
                for s in 0..<chunk {
                    let reference = background.points[references[s]]
                    for l in 0..<layers {
                        for p in 0..<plane {
                            let i = l * plane + p
                            pixels[i] += Double(x[i] - reference[l]) * Double(gradients[s * windowLength + i])
                        }
                    }
                }
                start += chunk
            }
            pixels = pixels.map { $0 / Double(samples) }
            // A layer's value is the sum of its pixels' attributions.
            values.append((0..<layers).map { l in pixels[(l * plane)..<((l + 1) * plane)].reduce(0, +) })
            pixelValues.append(pixels.map(Float.init))
            progress?(n + 1, count)
        }
        var explanation = Explanation(values: values, baseValues: Array(repeating: base, count: count), outputs: outputs,
                                      data: try windowMeans(windows, count: count), featureNames: featureNames,
                                      method: "expected_gradients")
        explanation.pixelValues = pixelValues
        return explanation
    }

    // MARK: - shared machinery

    /// The background point whose cumulative weight interval holds `position` in [0, 1).
    private func backgroundIndex(position: Double) -> Int {
        var cumulative = 0.0
        for (k, w) in background.weights.enumerated() {
            cumulative += w
            if position < cumulative { return k }
        }
        return background.weights.count - 1
    }

    private func validate(windows: [Float], count: Int) throws {
        guard count > 0 else { throw EvalError("shap", "no windows to explain (count 0)") }
        guard windows.count == count * windowLength else {
            throw EvalError("shap", "\(windows.count) values are not \(count) windows of \(layers)x\(height)x\(width)")
        }
    }

    private func checkCancelled(done: Int, total: Int) throws {
        if isCancelled?() == true { throw EvalError("shap", "interrupted after \(done) of \(total) windows") }
    }

    private func windowMeans(_ windows: [Float], count: Int) throws -> [[Double]] {
        try layerMeans(windows: windows, count: count, layers: layers, height: height, width: width, operation: "shap")
            .map { $0.map(Double.init) }
    }

    /// Runs the model over any number of windows, `batchSize` at a time.
    private func evaluate(_ windows: [Float], count: Int) throws -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(count)
        var start = 0
        while start < count {
            let chunk = min(batchSize, count - start)
            let slice = Array(windows[(start * windowLength)..<((start + chunk) * windowLength)])
            let probabilities = try model(slice, chunk)
            guard probabilities.count == chunk else {
                throw EvalError("shap", "the model returned \(probabilities.count) probabilities for \(chunk) windows")
            }
            out += probabilities.map(Double.init)
            start += chunk
        }
        return out
    }

    /// E[f] over the background: the model on each fully masked window.
    private func baseValue() throws -> Double {
        let plane = height * width
        var windows = [Float](repeating: 0, count: background.points.count * windowLength)
        for (k, point) in background.points.enumerated() {
            for l in 0..<layers {
                for p in 0..<plane { windows[k * windowLength + l * plane + p] = point[l] }
            }
        }
        let f = try evaluate(windows, count: background.points.count)
        return zip(f, background.weights).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// The coalition game of one window: v(S) = sum over background k of w_k f(x masked by k).
    /// Masked windows are kept per background point and only the layers that changed since
    /// the previous coalition are rewritten, which makes Gray-code and permutation walks cheap.
    private func game(for x: ArraySlice<Float>) -> CoalitionValues {
        let plane = height * width
        let k = background.points.count
        let origin = x.startIndex
        var current = [Float](repeating: 0, count: k * windowLength)
        for (b, point) in background.points.enumerated() {
            for l in 0..<layers { for p in 0..<plane { current[b * windowLength + l * plane + p] = point[l] } }
        }
        var currentMask: UInt64 = 0
        let windowsPerCall = max(k, (batchSize / k) * k)
        return { [self] masks in
            var results: [Double] = []
            results.reserveCapacity(masks.count)
            var batch: [Float] = []
            batch.reserveCapacity(windowsPerCall * windowLength)
            func flush() throws {
                guard !batch.isEmpty else { return }
                // 2^15 coalitions of a large model take long; stop between model calls.
                if isCancelled?() == true { throw EvalError("shap", "interrupted while evaluating coalitions") }
                let count = batch.count / windowLength
                let f = try model(batch, count)
                guard f.count == count else {
                    throw EvalError("shap", "the model returned \(f.count) probabilities for \(count) windows")
                }
                for start in stride(from: 0, to: count, by: k) {
                    var v = 0.0
                    for b in 0..<k { v += background.weights[b] * Double(f[start + b]) }
                    results.append(v)
                }
                batch.removeAll(keepingCapacity: true)
            }
            for mask in masks {
                var changed = mask ^ currentMask
                while changed != 0 {
                    let l = changed.trailingZeroBitCount
                    changed &= changed - 1
                    let present = mask & (1 << UInt64(l)) != 0
                    for b in 0..<k {
                        let target = b * windowLength + l * plane
                        if present {
                            for p in 0..<plane { current[target + p] = x[origin + l * plane + p] }
                        } else {
                            let value = background.points[b][l]
                            for p in 0..<plane { current[target + p] = value }
                        }
                    }
                }
                currentMask = mask
                batch += current
                if batch.count >= windowsPerCall * windowLength { try flush() }
            }
            try flush()
            return results
        }
    }

    private typealias Estimator = (CoalitionValues) throws -> (phi: [Double], empty: Double, full: Double)

    private func explain(windows: [Float], count: Int, method: String, estimator: Estimator) throws -> Explanation {
        try validate(windows: windows, count: count)
        // f(x) and E[f] come from separate model calls, not from the estimator's own
        // coalitions, so the additivity check also catches a wrong game.
        let outputs = try evaluate(windows, count: count)
        let base = try baseValue()
        var values: [[Double]] = []
        for n in 0..<count {
            try checkCancelled(done: n, total: count)
            values.append(try estimator(game(for: windows[(n * windowLength)..<((n + 1) * windowLength)])).phi)
            progress?(n + 1, count)
        }
        return Explanation(values: values, baseValues: Array(repeating: base, count: count), outputs: outputs,
                           data: try windowMeans(windows, count: count), featureNames: featureNames, method: method)
    }
}
