/// SHAP values of a set of windows, one feature per input layer.
public struct Explanation: Sendable {
    /// values[window][feature]
    public var values: [[Double]]
    /// E[f] over the background, per window (the same for all windows of one background).
    public var baseValues: [Double]
    /// f(x) per window.
    public var outputs: [Double]
    /// data[window][feature]: the layer's mean over the window, what the beeswarm colours by.
    public var data: [[Double]]
    public var featureNames: [String]
    /// "exact", "permutation", "kernel" or "expected_gradients".
    public var method: String
    /// |sum of values - (f(x) - base value)| per window.
    public var additivityErrors: [Double]
    /// Expected gradients only: attribution per input value, pixelValues[window] in the
    /// window's layout (layers x height x width), for the per-layer attribution image.
    public var pixelValues: [[Float]]?

    public init(values: [[Double]], baseValues: [Double], outputs: [Double], data: [[Double]],
                featureNames: [String], method: String) {
        self.values = values
        self.baseValues = baseValues
        self.outputs = outputs
        self.data = data
        self.featureNames = featureNames
        self.method = method
        self.additivityErrors = zip(values, zip(outputs, baseValues)).map { row, pair in
            abs(row.reduce(0, +) - (pair.0 - pair.1))
        }
    }

    public var maxAdditivityError: Double { additivityErrors.max() ?? 0 }

    /// Mean |SHAP| per feature over the windows: the bar chart's lengths.
    public var meanAbsoluteValues: [Double] {
        guard !values.isEmpty else { return featureNames.map { _ in 0 } }
        return featureNames.indices.map { f in values.reduce(0) { $0 + abs($1[f]) } / Double(values.count) }
    }

    /// Throws when any window breaks additivity by more than `tolerance`.
    public func checkAdditivity(tolerance: Double = 1e-4) throws {
        if let worst = additivityErrors.indices.max(by: { additivityErrors[$0] < additivityErrors[$1] }),
           additivityErrors[worst] > tolerance {
            throw EvalError("shap_\(method)",
                "additivity fails for window \(worst): sum of SHAP values differs from f(x) - E[f] by \(additivityErrors[worst]) (tolerance \(tolerance))")
        }
    }
}
