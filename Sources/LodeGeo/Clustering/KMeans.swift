import Dispatch
import Foundation
import LodeTensor

/// K-means (Lloyd) on rows of features, with seeded k-means++ initialisation: the one k-means of
/// Lode (rasters here, SHAP background summaries in LodeEval). Reports progress per iteration and
/// stops on interrupt through `WorkMonitor`.
public struct KMeansResult: Sendable {
    /// centres[j]: the mean of cluster j (features in input order).
    public var centres: [[Double]]
    /// labels[i]: cluster of row i.
    public var labels: [Int]
    public var iterations: Int
    public var inertia: Double
}

public enum KMeans {
    /// - Parameters:
    ///   - rows: n rows of d features (flat, row-major: rows[i * d + f]).
    ///   - initialCentres: when given, k-means++ is skipped (used to compare with scikit-learn).
    ///   - renumberByMean: clusters numbered 0..k-1 by ascending mean of their centre's features,
    ///     so "cluster 0" is the lowest (the paper's clusters 1-5 ordered by mean Au).
    ///   - tolerance: as scikit-learn's `tol`: also stop when the summed squared centre shift is at
    ///     most `tolerance` times the mean feature variance (0: only when no label changes).
    /// Lloyd iterations stop when no label changes (or after `maximumIterations`); an empty
    /// cluster keeps its previous centre; ties go to the lower cluster index.
    public static func fit(rows: [Double], dimensions d: Int, k: Int, seed: UInt64 = 0,
                           initialCentres: [[Double]]? = nil, maximumIterations: Int = 300, tolerance: Double = 0,
                           renumberByMean: Bool = true) throws -> KMeansResult {
        guard d > 0, rows.count % d == 0 else { throw GeoError("k-means rows must have \(d) features each") }
        let n = rows.count / d
        guard k >= 1 else { throw GeoError("k-means needs k >= 1, got \(k)") }
        guard n >= k else { throw GeoError("k-means with k = \(k) needs at least \(k) rows, got \(n)") }
        guard rows.allSatisfy({ $0.isFinite }) else { throw GeoError("k-means rows contain missing or infinite values") }
        var centres = try initialCentres ?? plusPlus(rows: rows, n: n, d: d, k: k, seed: seed)
        guard centres.count == k, centres.allSatisfy({ $0.count == d }) else {
            throw GeoError("k-means needs \(k) initial centres of \(d) features")
        }
        var threshold = 0.0
        if tolerance > 0 {
            var variance = 0.0
            for f in 0..<d {
                var sum = 0.0, sumSquares = 0.0
                for i in 0..<n { sum += rows[i * d + f]; sumSquares += rows[i * d + f] * rows[i * d + f] }
                variance += sumSquares / Double(n) - (sum / Double(n)) * (sum / Double(n))
            }
            threshold = tolerance * variance / Double(d)
        }
        var labels = [Int](repeating: -1, count: n)
        var iterations = 0
        while iterations < maximumIterations {
            iterations += 1
            // Each iteration passes over every row; assign reports progress and stops on an
            // interrupt between its blocks (millions of cells take a while per pass). Lloyd
            // usually converges long before the cap, so the fraction shown is a lower bound.
            let newLabels = try assign(rows: rows, n: n, d: d, centres: centres,
                                       span: Double(iterations - 1) / Double(maximumIterations)...Double(iterations) / Double(maximumIterations))
            let changed = newLabels != labels
            labels = newLabels
            // Flat sums: nested arrays would copy-check on every update of 2.9 M cells.
            var sums = [Double](repeating: 0, count: k * d)
            var counts = [Int](repeating: 0, count: k)
            rows.withUnsafeBufferPointer { values in
                for i in 0..<n {
                    let j = labels[i]
                    counts[j] += 1
                    for f in 0..<d { sums[j * d + f] += values[i * d + f] }
                }
            }
            var shift = 0.0
            for j in 0..<k where counts[j] > 0 {
                let updated = (0..<d).map { sums[j * d + $0] / Double(counts[j]) }
                for f in 0..<d { shift += (updated[f] - centres[j][f]) * (updated[f] - centres[j][f]) }
                centres[j] = updated
            }
            if !changed || (tolerance > 0 && shift <= threshold) { break }
        }
        labels = try assign(rows: rows, n: n, d: d, centres: centres)
        var inertia = 0.0
        for i in 0..<n { inertia += squaredDistance(rows, i, d, centres[labels[i]]) }
        if renumberByMean {
            let order = (0..<k).sorted { centres[$0].reduce(0, +) < centres[$1].reduce(0, +) }
            var newIndex = [Int](repeating: 0, count: k)
            for (position, old) in order.enumerated() { newIndex[old] = position }
            centres = order.map { centres[$0] }
            labels = labels.map { newIndex[$0] }
        }
        return KMeansResult(centres: centres, labels: labels, iterations: iterations, inertia: inertia)
    }

    /// K-means on raster layers: each valid cell (no layer missing) is a row. Returns a label
    /// raster (NaN where any layer is missing) with clusters numbered by ascending mean.
    public static func cluster(_ layers: [Raster], k: Int = 5, seed: UInt64 = 0, maximumIterations: Int = 100,
                               tolerance: Double = 1e-4, name: String = "cluster") throws -> (labels: Raster, result: KMeansResult) {
        guard let first = layers.first else { throw GeoError("k-means needs at least one layer") }
        let valid = (0..<first.grid.cellCount).filter { c in layers.allSatisfy { !$0.values[c].isNaN } }
        var rows = [Double](repeating: 0, count: valid.count * layers.count)
        for (i, c) in valid.enumerated() { for (f, layer) in layers.enumerated() { rows[i * layers.count + f] = Double(layer.values[c]) } }
        let result = try fit(rows: rows, dimensions: layers.count, k: k, seed: seed, maximumIterations: maximumIterations,
                             tolerance: tolerance)
        var labels = Raster(grid: first.grid, name: name, filledWith: .nan)
        for (i, c) in valid.enumerated() { labels.values[c] = Float(result.labels[i]) }
        return (labels, result)
    }

    @inline(__always)
    static func squaredDistance(_ rows: [Double], _ i: Int, _ d: Int, _ centre: [Double]) -> Double {
        var s = 0.0
        for f in 0..<d { let t = rows[i * d + f] - centre[f]; s += t * t }
        return s
    }

    static func assign(rows: [Double], n: Int, d: Int, centres: [[Double]], span: ClosedRange<Double> = 1...1) throws -> [Int] {
        var labels = [Int](repeating: 0, count: n)
        let flat = centres.flatMap { $0 }
        let k = centres.count
        let chunk = 16384
        try rows.withUnsafeBufferPointer { values in
            try flat.withUnsafeBufferPointer { centre in
                try labels.withUnsafeMutableBufferPointer { out in
                    let out = out
                    try WorkMonitor.concurrentBatches(count: (n + chunk - 1) / chunk, costPerItem: Double(chunk * k * d),
                                                      what: "k-means", span: span) { block in
                        for i in (block * chunk)..<min(n, (block + 1) * chunk) {
                            var best = 0, bestDistance = Double.infinity
                            for j in 0..<k {
                                var distance = 0.0
                                for f in 0..<d { let t = values[i * d + f] - centre[j * d + f]; distance += t * t }
                                if distance < bestDistance { bestDistance = distance; best = j }
                            }
                            out[i] = best
                        }
                    }
                }
            }
        }
        return labels
    }

    /// k-means++: first centre uniform, then each next centre with probability proportional to
    /// the squared distance to the nearest centre chosen so far.
    static func plusPlus(rows: [Double], n: Int, d: Int, k: Int, seed: UInt64) throws -> [[Double]] {
        var random = RandomStream(seed: seed, skipping: 1)
        func row(_ i: Int) -> [Double] { Array(rows[(i * d)..<((i + 1) * d)]) }
        var centres = [row(random.index(below: n))]
        var nearest = (0..<n).map { squaredDistance(rows, $0, d, centres[0]) }
        while centres.count < k {
            // One pass over every row per centre: many centres on many cells take seconds.
            try WorkMonitor.checkpoint(0, "k-means++ start (centre \(centres.count + 1) of \(k))")
            let total = nearest.reduce(0, +)
            var pick = 0
            if total > 0 {
                var target = random.nextUnit() * total
                for i in 0..<n { target -= nearest[i]; if target <= 0 { pick = i; break } }
            } else {
                pick = random.index(below: n)
            }
            centres.append(row(pick))
            for i in 0..<n { nearest[i] = min(nearest[i], squaredDistance(rows, i, d, centres.last!)) }
        }
        return centres
    }
}
