import Dispatch
import Foundation
import LodeTensor

/// Variogram model shapes; `range` is the practical range (where gamma reaches ~95 % of the sill
/// for exponential and gaussian).
public enum VariogramModel: String, CaseIterable, Sendable {
    case spherical, exponential, gaussian
}

/// gamma(h) = nugget + partialSill * shape(h / range), gamma(0) = 0.
public struct Variogram: Sendable, CustomStringConvertible {
    public var model: VariogramModel
    public var nugget: Double
    public var partialSill: Double
    public var range: Double

    public init(model: VariogramModel, nugget: Double, partialSill: Double, range: Double) {
        self.model = model
        self.nugget = nugget
        self.partialSill = partialSill
        self.range = range
    }

    static func shape(_ model: VariogramModel, _ ratio: Double) -> Double {
        switch model {
        case .spherical: return ratio >= 1 ? 1 : 1.5 * ratio - 0.5 * ratio * ratio * ratio
        case .exponential: return 1 - exp(-3 * ratio)
        case .gaussian: return 1 - exp(-3 * ratio * ratio)
        }
    }

    public func gamma(_ h: Double) -> Double {
        h <= 0 ? 0 : nugget + partialSill * Variogram.shape(model, h / range)
    }

    public var description: String {
        String(format: "%@ variogram: nugget %.4g, partial sill %.4g, range %.4g", model.rawValue, nugget, partialSill, range)
    }

    /// Experimental semivariogram: mean of (v_i - v_j)^2 / 2 in `lagCount` distance classes up to
    /// `maximumLag` (default a third of the extent's diagonal), on at most `maximumSamples`
    /// samples (a seeded subset) so the pair count stays manageable.
    public static func experimental(x: [Double], y: [Double], values: [Double], lagCount: Int = 15,
                                    maximumLag: Double? = nil, maximumSamples: Int = 1500, seed: UInt64 = 0)
        -> (lags: [Double], gammas: [Double], pairs: [Int]) {
        var indices = values.indices.filter { !values[$0].isNaN }
        if indices.count > maximumSamples {
            var random = RandomStream(seed: seed, skipping: 1)
            let order = random.permutation(indices.count)
            indices = order.prefix(maximumSamples).map { indices[$0] }
        }
        let extent = Extent(x: indices.map { x[$0] }, y: indices.map { y[$0] }) ?? Extent(west: 0, south: 0, east: 1, north: 1)
        let lagLimit = maximumLag ?? (extent.width * extent.width + extent.height * extent.height).squareRoot() / 3
        let width = lagLimit / Double(lagCount)
        var sums = [Double](repeating: 0, count: lagCount), distances = sums
        var counts = [Int](repeating: 0, count: lagCount)
        for a in 0..<indices.count {
            for b in (a + 1)..<max(indices.count, a + 1) {
                let i = indices[a], j = indices[b]
                let h = ((x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j])).squareRoot()
                let bin = Int(h / width)
                guard bin < lagCount else { continue }
                let d = values[i] - values[j]
                sums[bin] += 0.5 * d * d
                distances[bin] += h
                counts[bin] += 1
            }
        }
        let used = (0..<lagCount).filter { counts[$0] > 0 }
        return (used.map { distances[$0] / Double(counts[$0]) }, used.map { sums[$0] / Double(counts[$0]) }, used.map { counts[$0] })
    }

    /// Fits nugget and partial sill by pair-weighted least squares for each trial range (both
    /// kept non-negative), and keeps the range with the smallest weighted error.
    public static func fitted(_ model: VariogramModel, lags: [Double], gammas: [Double], pairs: [Int]) throws -> Variogram {
        guard lags.count >= 3 else { throw GeoError("too few distance classes (\(lags.count)) to fit a variogram") }
        let maxLag = lags.max() ?? 1
        var best: (Variogram, Double)?
        for step in 1...60 {
            let range = maxLag * 1.5 * Double(step) / 60
            let f = lags.map { shape(model, $0 / range) }
            let w = pairs.map(Double.init)
            // Normal equations for gamma = n + s * f.
            var sw = 0.0, sf = 0.0, sff = 0.0, sg = 0.0, sfg = 0.0
            for k in lags.indices {
                sw += w[k]; sf += w[k] * f[k]; sff += w[k] * f[k] * f[k]
                sg += w[k] * gammas[k]; sfg += w[k] * f[k] * gammas[k]
            }
            let det = sw * sff - sf * sf
            var nugget = det != 0 ? (sg * sff - sf * sfg) / det : 0
            var sill = det != 0 ? (sw * sfg - sf * sg) / det : 0
            if nugget < 0 { nugget = 0; sill = sff > 0 ? sfg / sff : 0 }
            if sill < 0 { sill = 0; nugget = sg / sw }
            var error = 0.0
            for k in lags.indices { let r = nugget + sill * f[k] - gammas[k]; error += w[k] * r * r }
            if best == nil || error < best!.1 {
                best = (Variogram(model: model, nugget: nugget, partialSill: sill, range: range), error)
            }
        }
        return best!.0
    }
}

/// Ordinary kriging with a fitted variogram over the k nearest samples of each cell.
public enum OrdinaryKriging {
    public static func interpolate(_ samples: SampleTable, element: String, onto grid: GridSpec,
                                   model: VariogramModel = .spherical, neighbours: Int = 16,
                                   variogram given: Variogram? = nil, reproject: Bool = true) throws -> (raster: Raster, variogram: Variogram) {
        let table = try samples.aligned(to: grid, reproject: reproject)
        try InterpolationChecks.checkCoverage(table, grid: grid)
        let column = try table.values(of: element)
        let present = column.indices.filter { !column[$0].isNaN }
        guard present.count >= 3 else {
            throw GeoError("kriging '\(element)' needs at least 3 samples with a value, found \(present.count)", file: table.source, column: element)
        }
        let px = present.map { table.x[$0] }, py = present.map { table.y[$0] }, pv = present.map { column[$0] }
        let variogram: Variogram
        if let given { variogram = given } else {
            let experimental = Variogram.experimental(x: px, y: py, values: pv)
            variogram = try Variogram.fitted(model, lags: experimental.lags, gammas: experimental.gammas, pairs: experimental.pairs)
        }
        guard neighbours >= 1 else {
            throw GeoError("kriging needs at least 1 neighbour per cell, got \(neighbours)")
        }
        try MemoryBudget.require(elements: 2 * Double(grid.rows) * Double(grid.cols),
                                 what: "kriging onto a grid of \(grid.rows)×\(grid.cols) cells",
                                 change: "use a larger cell size")
        let index = PointIndex(x: px, y: py)
        let k = min(neighbours, present.count)
        var output = [Float](repeating: .nan, count: grid.cellCount)
        let solve = Double(k + 1) * Double(k + 1) * Double(k + 2)
        try output.withUnsafeMutableBufferPointer { out in
            let out = out
            try WorkMonitor.concurrentBatches(count: grid.rows, costPerItem: Double(grid.cols) * (solve + 50 * Double(k)),
                                              what: "kriging '\(element)' onto \(grid.rows)×\(grid.cols)") { row in
                for col in 0..<grid.cols {
                    let cx = grid.centreX(col: col), cy = grid.centreY(row: row)
                    let near = index.nearest(k, x: cx, y: cy)
                    out[row * grid.cols + col] = Float(estimate(near.map(\.index), px: px, py: py, pv: pv, x: cx, y: cy, variogram: variogram))
                }
            }
        }
        let raster = try Raster(grid: grid, name: element, values: output)
        InterpolationChecks.warnIfConstant([raster])
        return (raster, variogram)
    }

    /// Solves [Gamma 1; 1' 0][w; mu] = [gamma0; 1] by Gaussian elimination with partial pivoting.
    static func estimate(_ near: [Int], px: [Double], py: [Double], pv: [Double], x: Double, y: Double, variogram: Variogram) -> Double {
        let n = near.count
        for i in near where px[i] == x && py[i] == y { return pv[i] }
        let m = n + 1
        var a = [Double](repeating: 0, count: m * (m + 1))
        for r in 0..<n {
            for c in 0..<n {
                let i = near[r], j = near[c]
                let h = ((px[i] - px[j]) * (px[i] - px[j]) + (py[i] - py[j]) * (py[i] - py[j])).squareRoot()
                a[r * (m + 1) + c] = variogram.gamma(h)
            }
            a[r * (m + 1) + n] = 1
            let i = near[r]
            a[r * (m + 1) + m] = variogram.gamma(((px[i] - x) * (px[i] - x) + (py[i] - y) * (py[i] - y)).squareRoot())
        }
        for c in 0..<n { a[n * (m + 1) + c] = 1 }
        a[n * (m + 1) + m] = 1
        for col in 0..<m {
            var pivot = col
            for r in (col + 1)..<max(m, col + 1) where abs(a[r * (m + 1) + col]) > abs(a[pivot * (m + 1) + col]) { pivot = r }
            if abs(a[pivot * (m + 1) + col]) < 1e-12 {
                // Singular (e.g. duplicate locations): fall back to the nearest sample.
                return pv[near[0]]
            }
            if pivot != col { for c in 0...m { a.swapAt(col * (m + 1) + c, pivot * (m + 1) + c) } }
            for r in 0..<m where r != col {
                let factor = a[r * (m + 1) + col] / a[col * (m + 1) + col]
                if factor == 0 { continue }
                for c in col...m { a[r * (m + 1) + c] -= factor * a[col * (m + 1) + c] }
            }
        }
        var value = 0.0
        for r in 0..<n { value += a[r * (m + 1) + m] / a[r * (m + 1) + r] * pv[near[r]] }
        return value
    }
}
