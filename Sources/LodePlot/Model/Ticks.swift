import Foundation

/// Tick positions at 1, 2, 2.5 or 5 times a power of ten, about `target` of them in the range.
func niceTicks(_ low: Double, _ high: Double, target: Int) -> (ticks: [Double], step: Double) {
    guard high > low, low.isFinite, high.isFinite else { return ([low], 1) }
    let rough = (high - low) / Double(max(target, 2))
    let magnitude = pow(10, floor(log10(rough)))
    let factor = [1.0, 2.0, 2.5, 5.0, 10.0].first { $0 * magnitude >= rough * 0.999 } ?? 10
    let step = factor * magnitude
    // Dividing by the inverse of a power of ten below 1 keeps 0.6 from becoming 0.6000000000000001.
    func value(_ k: Double) -> Double { magnitude < 1 ? k * factor / (1 / magnitude).rounded() : k * factor * magnitude }
    var ticks: [Double] = []
    var k = ceil(low / step - 1e-9)
    while value(k) <= high + step * 1e-9 {
        ticks.append(k == 0 ? 0 : value(k))
        k += 1
    }
    return (ticks, step)
}

/// Enough decimals to tell ticks `step` apart, no more.
func tickLabel(_ value: Double, step: Double) -> String {
    var decimals = 0
    while decimals < 6 {
        let scaled = step * pow(10, Double(decimals))
        if abs(scaled - scaled.rounded()) < 1e-6 * max(1, abs(scaled)) { break }
        decimals += 1
    }
    let text = String(format: "%.\(decimals)f", value)
    // A typographic minus reads better than a hyphen.
    return text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
}

/// Data range rounded out to ticks when `snap`, or widened by a margin otherwise.
func paddedRange(_ low: Double, _ high: Double, margin: Double) -> (Double, Double) {
    if !(low.isFinite && high.isFinite) { return (0, 1) }
    if low == high {
        let d = low == 0 ? 1 : abs(low) * 0.1
        return (low - d, high + d)
    }
    let pad = (high - low) * margin
    return (low - pad, high + pad)
}
