import Foundation
import LodeTensor
@testable import LodeNN

/// The PyTorch reference fixtures, found from this file's location (package root/../shared).
let referenceFixtures: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("../shared/reference/fixtures").standardized

/// Largest |a − b| and the index where it occurs; shapes must match.
func maxDifference(_ a: Tensor, _ b: Tensor) -> (value: Float, at: Int) {
    var worst: Float = 0, at = 0
    for i in 0..<min(a.count, b.count) {
        let d = abs(a.pointer[i] - b.pointer[i])
        if d > worst || d.isNaN { worst = d; at = i }
    }
    return (worst, at)
}

/// Element-wise agreement within `absolute`, or within `relative` where |expected| > `above`.
func agrees(_ got: Tensor, _ expected: Tensor, absolute: Float = 1e-4, relative: Float? = nil, above: Float = 1e-2) -> String? {
    guard got.shape == expected.shape else { return "shape \(got.shape) vs expected \(expected.shape)" }
    for i in 0..<got.count {
        let (g, e) = (got.pointer[i], expected.pointer[i])
        let d = abs(g - e)
        if d <= absolute { continue }
        if let relative, abs(e) > above, d <= relative * abs(e) { continue }
        return "element \(i): got \(g), expected \(e) (|diff| \(d))"
    }
    return nil
}
