import Foundation

/// Prediction-area (P-A) plot data: for each probability threshold, the share of deposits in
/// cells at or above it (prediction rate) and the share of the area at or above it. The plot
/// draws the prediction rate and 1 - area share against the threshold; where they cross, the
/// map captures share P of the deposits in share 1 - P of the area, and P / area is the normalised
/// density that ranks one map against another.
public struct PredictionAreaData: Equatable, Sendable {
    /// Increasing, from the lowest to the highest probability on the map.
    public var thresholds: [Double]
    public var predictionRates: [Double]
    public var areaShares: [Double]
    /// Where prediction rate = 1 - area share (linear between thresholds).
    public var intersectionThreshold: Double
    public var intersectionPredictionRate: Double
    /// Prediction rate divided by the area share at the intersection (> 1 is better than chance).
    public var normalizedDensity: Double
    /// ln(normalizedDensity), the weight used to combine evidence maps.
    public var weight: Double { normalizedDensity > 0 ? log(normalizedDensity) : -.infinity }
}

/// `thresholdCount` equally spaced thresholds between the map's minimum and maximum probability.
public func predictionArea(probabilities: [Float], depositCells: [Int], thresholdCount: Int = 101) throws -> PredictionAreaData {
    let operation = "prediction_area"
    guard thresholdCount >= 2 else {
        throw EvalError(operation, "thresholdCount is \(thresholdCount); it must be at least 2")
    }
    let ranking = try CellRanking(probabilities: probabilities, depositCells: depositCells, operation: operation)
    let steps = ranking.steps().reversed().map { $0 }   // ascending threshold
    guard let lowest = steps.first, let highest = steps.last else {
        throw EvalError(operation, "the probability map has no cell with a probability")
    }
    let low = lowest.threshold, high = highest.threshold
    let cellCount = Double(ranking.probabilities.count)
    var thresholds: [Double] = [], rates: [Double] = [], areas: [Double] = []
    var stepIndex = 0
    for k in 0..<thresholdCount {
        let t = low + (high - low) * Double(k) / Double(thresholdCount - 1)
        // First distinct probability >= t: its cumulative counts are the cells >= t.
        while stepIndex < steps.count - 1 && steps[stepIndex].threshold < t { stepIndex += 1 }
        thresholds.append(t)
        rates.append(steps[stepIndex].deposits / ranking.totalDeposits)
        areas.append(steps[stepIndex].cells / cellCount)
    }
    // Crossing of rate(t) (falling) and 1 - area(t) (rising).
    var crossing = (threshold: high, rate: rates[thresholdCount - 1], area: areas[thresholdCount - 1])
    for k in 1..<thresholdCount {
        let before = rates[k - 1] - (1 - areas[k - 1])
        let after = rates[k] - (1 - areas[k])
        if before >= 0 && after <= 0 {
            let t = before == after ? 0 : before / (before - after)
            crossing = (thresholds[k - 1] + t * (thresholds[k] - thresholds[k - 1]),
                        rates[k - 1] + t * (rates[k] - rates[k - 1]),
                        areas[k - 1] + t * (areas[k] - areas[k - 1]))
            break
        }
    }
    return PredictionAreaData(
        thresholds: thresholds, predictionRates: rates, areaShares: areas,
        intersectionThreshold: crossing.threshold, intersectionPredictionRate: crossing.rate,
        normalizedDensity: crossing.area > 0 ? crossing.rate / crossing.area : .infinity)
}
