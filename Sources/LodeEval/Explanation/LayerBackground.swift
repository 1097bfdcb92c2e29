import LodeGeo
import LodeTensor

/// What a masked layer is replaced with: one or more background points, each a value per
/// layer (typically the layer's mean over a training window), with weights summing to 1.
/// SHAP's base value is the weighted mean of the model over the fully masked windows.
public struct LayerBackground: Equatable, Sendable {
    /// points[k][layer]
    public var points: [[Float]]
    public var weights: [Double]

    public init(points: [[Float]], weights: [Double]? = nil) throws {
        guard let first = points.first else {
            throw EvalError("shap", "the SHAP background is empty; give at least one background window or value per layer")
        }
        guard !first.isEmpty else { throw EvalError("shap", "background point 0 has no layers") }
        if let k = points.firstIndex(where: { $0.count != first.count }) {
            throw EvalError("shap", "background point \(k) has \(points[k].count) layers, point 0 has \(first.count)")
        }
        let raw = weights ?? points.map { _ in 1 }
        guard raw.count == points.count else {
            throw EvalError("shap", "\(raw.count) background weights for \(points.count) background points")
        }
        let total = raw.reduce(0, +)
        guard total > 0, raw.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw EvalError("shap", "background weights must be non-negative with a positive sum")
        }
        self.points = points
        self.weights = raw.map { $0 / total }
    }

    public var layers: Int { points[0].count }

    /// One background point per window: each layer's mean over that window.
    public static func sample(windows: [Float], count: Int, layers: Int, height: Int, width: Int) throws -> LayerBackground {
        try LayerBackground(points: try layerMeans(windows: windows, count: count, layers: layers,
                                                   height: height, width: width, operation: "shap_background"))
    }

    /// k-means summary of the windows' layer means (LodeGeo's `KMeans`), each centre weighted
    /// by the share of windows in its cluster.
    public static func kMeansSummary(windows: [Float], count: Int, layers: Int, height: Int, width: Int,
                                     clusters: Int, seed: UInt64 = 0, iterations: Int = 100) throws -> LayerBackground {
        let means = try layerMeans(windows: windows, count: count, layers: layers, height: height, width: width,
                                   operation: "shap_background_kmeans")
        guard clusters > 0 else { throw EvalError("shap_background_kmeans", "clusters is \(clusters); it must be positive") }
        let k = min(clusters, means.count)
        // LodeGeo's k-means (k-means++ start, Lloyd iterations, progress and interrupt).
        let fit: KMeansResult
        do {
            fit = try KMeans.fit(rows: means.flatMap { $0.map(Double.init) }, dimensions: layers, k: k, seed: seed,
                                 maximumIterations: iterations, renumberByMean: false)
        } catch let error as GeoError {
            throw EvalError("shap_background_kmeans", error.description)
        }
        let centres = fit.centres.map { $0.map(Float.init) }
        var sizes = [Double](repeating: 0, count: k)
        for label in fit.labels { sizes[label] += 1 }
        // A cluster left empty carries no weight: drop it.
        let kept = centres.indices.filter { sizes[$0] > 0 }
        return try LayerBackground(points: kept.map { centres[$0] }, weights: kept.map { sizes[$0] })
    }
}

/// Each window's per-layer mean: layerMeans[window][layer].
func layerMeans(windows: [Float], count: Int, layers: Int, height: Int, width: Int, operation: String) throws -> [[Float]] {
    guard count > 0 else {
        throw EvalError(operation, "no windows given (count 0); the SHAP background is empty")
    }
    guard layers > 0, height > 0, width > 0 else {
        throw EvalError(operation, "window shape \(layers)x\(height)x\(width) must be positive")
    }
    let plane = height * width
    guard windows.count == count * layers * plane else {
        throw EvalError(operation, "\(windows.count) values are not \(count) windows of \(layers)x\(height)x\(width)")
    }
    return (0..<count).map { n in
        (0..<layers).map { l in
            let start = (n * layers + l) * plane
            var sum = 0.0
            for v in windows[start..<(start + plane)] { sum += Double(v) }
            return Float(sum / Double(plane))
        }
    }
}
