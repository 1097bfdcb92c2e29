import LodeEval
import LodeLibrary
import LodeNN
import XCTest

/// Issue #5: permutation and kernel SHAP over the 15 layers of a tiny SSGSNet (seeded
/// weights) keep additivity and agree with exact SHAP (all 2^15 coalitions). The windows are
/// 8 x 8 cells so that exact SHAP (65 536 forward passes for two windows) takes seconds.
final class BridgesSHAPTests: XCTestCase {
    func testPermutationAndKernelAgreeWithExactOnTinySSGSNet() throws {
        var config = ModelConfig.tiny
        config.window = 8
        let model = try SSGSNet(config: config, seed: 12)
        let per = 15 * 8 * 8, count = 2
        // Windows whose layers differ strongly in level, so every layer moves the output.
        let raw = testValues(count * per, seed: 5)
        let windows = raw.indices.map { i in raw[i] + Float((i / 64) % 15 - 7) * 0.6 }
        let background = try LayerBackground(points: [[Float](repeating: 0, count: 15)])
        let explainer = try LayerExplainer(model: batchModel(model, batchSize: 512), layers: 15, height: 8, width: 8,
                                           background: background, batchSize: 512)
        let exact = try explainer.exact(windows: windows, count: count)
        let spread = exact.values.flatMap { $0 }.map(abs).max() ?? 0
        XCTAssertGreaterThan(spread, 0.01, "the model must respond to its layers for the comparison to mean anything")
        let permutation = try explainer.permutation(windows: windows, count: count, maxEvaluations: 2000, seed: 1)
        let kernel = try explainer.kernel(windows: windows, count: count, samples: 2048, seed: 1)
        for estimate in [permutation, kernel] {
            XCTAssertLessThanOrEqual(estimate.maxAdditivityError, 1e-4, estimate.method)
            for w in 0..<count {
                for f in 0..<15 {
                    XCTAssertEqual(estimate.values[w][f], exact.values[w][f], accuracy: 0.05, "\(estimate.method) window \(w) layer \(f)")
                }
            }
        }
        XCTAssertLessThanOrEqual(exact.maxAdditivityError, 1e-4)
    }
}
