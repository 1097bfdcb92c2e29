import Foundation
import LodeTensor

/// Per-layer value transforms. Missing cells (NaN) stay missing; statistics ignore them.
extension Raster {
    /// log10(v + offset). Concentrations are log-normal, so the paper's layers are logged before
    /// standardising. Offset: when nil, 0 if every value is positive, else half the smallest
    /// positive value, so that zeros (e.g. below-detection set to 0) land just below the
    /// smallest measured value instead of at -infinity. Negative values after the offset throw.
    public func log10Transformed(offset: Float? = nil) throws -> Raster {
        let valid = validValues
        let chosen: Float
        if let offset { chosen = offset } else if valid.allSatisfy({ $0 > 0 }) { chosen = 0 } else {
            guard let smallest = valid.filter({ $0 > 0 }).min() else {
                throw GeoError("layer '\(name)' has no positive value to take a logarithm of")
            }
            chosen = smallest / 2
        }
        if let bad = valid.first(where: { $0 + chosen <= 0 }) {
            throw GeoError("layer '\(name)' has the value \(bad), which has no logarithm even after the offset \(chosen)")
        }
        var copy = self
        copy.values = values.map { $0.isNaN ? .nan : log10($0 + chosen) }
        return copy
    }

    /// (v - mean) / standard deviation (population), over the valid cells. A layer whose spread
    /// is only Float32 rounding noise is constant: scaling that noise up would paint a spurious
    /// ±4 sigma anomaly, so it becomes 0 everywhere, with a warning.
    public func standardized() throws -> Raster {
        let valid = validValues.map(Double.init)
        guard valid.count > 1 else { throw GeoError("layer '\(name)' has fewer than two valid cells to standardise") }
        let mean = valid.reduce(0, +) / Double(valid.count)
        let sd = (valid.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(valid.count)).squareRoot()
        let constant = Raster.isRoundingNoise(spread: sd, around: valid.map(abs).max() ?? 0)
        if constant { warnConstant(spread: sd, mean: mean, transform: "z-scores") }
        var copy = self
        copy.values = values.map { $0.isNaN ? .nan : (constant ? 0 : Float((Double($0) - mean) / sd)) }
        return copy
    }

    /// Linear rescale to [0, 1] over the valid cells (a constant layer becomes 0, with a warning).
    public func minMaxScaled() throws -> Raster {
        let valid = validValues
        guard let low = valid.min(), let high = valid.max() else { throw GeoError("layer '\(name)' has no valid cell") }
        let spread = Double(high) - Double(low)
        let constant = Raster.isRoundingNoise(spread: spread, around: Double(max(abs(low), abs(high))))
        if constant { warnConstant(spread: spread, mean: Double(low), transform: "scaled values") }
        var copy = self
        copy.values = values.map { $0.isNaN ? .nan : (constant ? 0 : Float((Double($0) - Double(low)) / spread)) }
        return copy
    }

    /// True when a spread is no larger than the rounding of Float32 values of this size (a few
    /// hundred units in the last place): a constant layer seen through interpolation noise.
    static func isRoundingNoise(spread: Double, around magnitude: Double) -> Bool {
        spread <= max(magnitude, Double(Float.leastNormalMagnitude)) * 256 * Double(Float.ulpOfOne)
    }

    private func warnConstant(spread: Double, mean: Double, transform: String) {
        WorkMonitor.warn("layer '\(name)' is constant (\(String(format: "%.4g", mean)), spread \(String(format: "%.2g", spread)) is rounding noise): its \(transform) are set to 0")
    }

    /// Clips values to the `lower` and `upper` quantiles (linear interpolation between order statistics).
    public func winsorized(lower: Double = 0.01, upper: Double = 0.99) throws -> Raster {
        guard lower >= 0, upper <= 1, lower < upper else {
            throw GeoError("winsorize needs 0 <= lower < upper <= 1, got \(lower) and \(upper)")
        }
        let sorted = validValues.map(Double.init).sorted()
        guard !sorted.isEmpty else { throw GeoError("layer '\(name)' has no valid cell") }
        let low = Float(Moments.quantile(sorted, lower)), high = Float(Moments.quantile(sorted, upper))
        var copy = self
        copy.values = values.map { $0.isNaN ? .nan : Swift.min(Swift.max($0, low), high) }
        return copy
    }
}
