import Foundation
import XCTest
@testable import LodeEval
import LodeTensor

final class ExplanationTests: XCTestCase {
    let height = 3, width = 4

    /// Windows whose layer l is filled around a chosen mean with a fixed ripple (mean-free).
    func makeWindows(means: [[Float]]) -> [Float] {
        let plane = height * width
        var out: [Float] = []
        for row in means {
            for m in row {
                for p in 0..<plane { out.append(m + (p % 2 == 0 ? 0.25 : -0.25)) }
            }
        }
        return out
    }

    /// Layer means of each window of a batch.
    func means(_ windows: [Float], _ count: Int, layers: Int) -> [[Double]] {
        let plane = height * width
        return (0..<count).map { n in
            (0..<layers).map { l in
                windows[((n * layers + l) * plane)..<((n * layers + l + 1) * plane)].reduce(0.0) { $0 + Double($1) } / Double(plane)
            }
        }
    }

    func testExactSHAPOfALinearModelIsWeightTimesDistanceFromBackground() throws {
        let weights: [Double] = [0.5, -1.25, 2.0, 0.75]
        let model: BatchModel = { [self] windows, count in
            means(windows, count, layers: 4).map { m in Float(0.1 + zip(weights, m).reduce(0) { $0 + $1.0 * $1.1 }) }
        }
        // Three background points with unequal weights: b = their weighted mean.
        let background = try LayerBackground(points: [[0, 1, 2, 3], [1, 1, 0, -1], [2, -2, 1, 0]], weights: [1, 2, 1])
        let b = (0..<4).map { l in zip(background.points, background.weights).reduce(0.0) { $0 + Double($1.0[l]) * $1.1 } }
        let x: [[Float]] = [[1.5, -0.5, 0.25, 2], [-1, 2, 3, 0.5]]
        let explainer = try LayerExplainer(model: model, layers: 4, height: height, width: width, background: background,
                                           featureNames: ["Au", "As", "Sb", "faults"], batchSize: 7)
        let explanation = try explainer.exact(windows: makeWindows(means: x), count: 2)
        for n in 0..<2 {
            for l in 0..<4 {
                XCTAssertEqual(explanation.values[n][l], weights[l] * (Double(x[n][l]) - b[l]), accuracy: 1e-5, "window \(n) layer \(l)")
                XCTAssertEqual(explanation.data[n][l], Double(x[n][l]), accuracy: 1e-6)
            }
        }
        XCTAssertLessThan(explanation.maxAdditivityError, 1e-5)
        XCTAssertNoThrow(try explanation.checkAdditivity(tolerance: 1e-4))
        XCTAssertEqual(explanation.featureNames, ["Au", "As", "Sb", "faults"])
        // Sb has the largest |w (x - b)| in both windows, so it heads the summary.
        XCTAssertTrue(explanation.summary.split(separator: "\n")[1].contains("Sb"), explanation.summary)
        XCTAssertEqual(explanation.baseValues[0], 0.1 + zip(weights, b).reduce(0) { $0 + $1.0 * $1.1 }, accuracy: 1e-5)
    }

    func testExactSHAPOfTheStoredTableMatchesShap() throws {
        let fixture = try loadFixture("shap_table15")
        let table = doubles(fixture["table"])
        XCTAssertEqual(table.count, 1 << 15)
        var askedOrder: [UInt64] = []
        let result = try exactShapley(featureCount: 15, batchSize: 1000) { masks in
            askedOrder += masks
            return masks.map { table[Int($0)] }
        }
        assertClose(result.phi, doubles(fixture["shap_values"]), tolerance: 1e-9, "phi")
        XCTAssertEqual(result.empty, (fixture["base_value"] as? NSNumber)?.doubleValue ?? .nan, accuracy: 1e-12)
        // Gray-code order: every coalition differs from the previous by exactly one feature.
        XCTAssertEqual(Set(askedOrder).count, 1 << 15)
        XCTAssertTrue(zip(askedOrder, askedOrder.dropFirst()).allSatisfy { ($0 ^ $1).nonzeroBitCount == 1 })
    }

    /// Nonlinear in the layer means with pairwise interactions, through a sigmoid.
    struct InteractionModel {
        let layers: Int
        let main: [Double]
        let pair: [[Double]]

        init(layers: Int) {
            var generator = RandomStream(seed: 7)
            main = (0..<layers).map { _ in generator.nextUnit() * 2 - 1 }
            pair = (0..<layers).map { _ in (0..<layers).map { _ in (generator.nextUnit() * 2 - 1) * 0.4 } }
            self.layers = layers
        }

        func logit(_ m: [Double]) -> Double {
            var z = -0.2
            for i in 0..<layers {
                z += main[i] * m[i]
                for j in (i + 1)..<max(i + 1, layers) { z += pair[i][j] * m[i] * m[j] }
            }
            return z
        }

        /// d logit / d mean_l
        func slope(_ m: [Double], _ l: Int) -> Double {
            var s = main[l]
            for j in 0..<layers where j != l { s += (l < j ? pair[l][j] : pair[j][l]) * m[j] }
            return s
        }
    }

    func interactionSetup(layers: Int) throws -> (LayerExplainer, [Float], InteractionModel) {
        let f = InteractionModel(layers: layers)
        let model: BatchModel = { [self] windows, count in
            means(windows, count, layers: layers).map { Float(1 / (1 + exp(-f.logit($0)))) }
        }
        var generator = RandomStream(seed: 3)
        let trainingMeans = (0..<12).map { _ in (0..<layers).map { _ in Float(generator.nextUnit() * 2 - 1) } }
        let background = try LayerBackground.kMeansSummary(windows: makeWindows(means: trainingMeans), count: 12,
                                                          layers: layers, height: height, width: width, clusters: 3, seed: 1)
        XCTAssertEqual(background.points.count, 3)
        XCTAssertEqual(background.weights.reduce(0, +), 1, accuracy: 1e-12)
        let x = (0..<2).map { _ in (0..<layers).map { _ in Float(generator.nextUnit() * 3 - 1.5) } }
        let explainer = try LayerExplainer(model: model, layers: layers, height: height, width: width, background: background)
        return (explainer, makeWindows(means: x), f)
    }

    func testPermutationAndKernelSHAPAgreeWithExact() throws {
        let (explainer, windows, _) = try interactionSetup(layers: 15)
        let exact = try explainer.exact(windows: windows, count: 2)
        let permutation = try explainer.permutation(windows: windows, count: 2, maxEvaluations: 500, seed: 11)
        let kernel = try explainer.kernel(windows: windows, count: 2, samples: 2048, seed: 5)
        for explanation in [exact, permutation, kernel] {
            XCTAssertLessThanOrEqual(explanation.maxAdditivityError, 1e-4, explanation.method)
        }
        var worstPermutation = 0.0, worstKernel = 0.0
        for n in 0..<2 {
            for l in 0..<15 {
                worstPermutation = max(worstPermutation, abs(permutation.values[n][l] - exact.values[n][l]))
                worstKernel = max(worstKernel, abs(kernel.values[n][l] - exact.values[n][l]))
            }
        }
        print("SHAP over 15 layers: max |permutation - exact| \(worstPermutation), max |kernel - exact| \(worstKernel), "
              + "additivity \(permutation.maxAdditivityError) / \(kernel.maxAdditivityError)")
        XCTAssertLessThanOrEqual(worstPermutation, 0.05)
        XCTAssertLessThanOrEqual(worstKernel, 0.05)
        // Not all zero: the comparison above means something.
        XCTAssertGreaterThan(exact.meanAbsoluteValues.max() ?? 0, 0.01)
        // Same seed, same numbers.
        let again = try explainer.permutation(windows: windows, count: 2, maxEvaluations: 500, seed: 11)
        XCTAssertEqual(again.values, permutation.values)
    }

    func testKernelSHAPWithFullBudgetIsExact() throws {
        let (explainer, windows, _) = try interactionSetup(layers: 6)
        let exact = try explainer.exact(windows: windows, count: 2)
        let kernel = try explainer.kernel(windows: windows, count: 2, samples: 62)
        for n in 0..<2 { assertClose(kernel.values[n], exact.values[n], tolerance: 1e-6, "kernel window \(n)") }
    }

    func testExpectedGradients() throws {
        // Linear model: expected gradients equal exact SHAP, whatever the samples.
        let weights: [Float] = [1.5, -0.5, 0.25]
        let plane = Float(height * width)
        let linear: BatchModel = { [self] windows, count in
            means(windows, count, layers: 3).map { m in zip(weights, m).reduce(Float(0)) { $0 + $1.0 * Float($1.1) } }
        }
        let linearGradient: BatchGradient = { [self] _, count in
            (0..<count).flatMap { _ in weights.flatMap { w in [Float](repeating: w / plane, count: height * width) } }
        }
        let background = try LayerBackground(points: [[0, 0, 0], [1, 2, -1]])
        let windows = makeWindows(means: [[1, 1, 1]])
        let explainer = try LayerExplainer(model: linear, layers: 3, height: height, width: width, background: background)
        let gradients = try explainer.expectedGradients(windows: windows, count: 1, gradient: linearGradient, samples: 64)
        let exact = try explainer.exact(windows: windows, count: 1)
        assertClose(gradients.values[0], exact.values[0], tolerance: 1e-5, "linear expected gradients")
        XCTAssertEqual(gradients.method, "expected_gradients")

        // Nonlinear model with its analytic gradient: additivity is approximate and reported.
        let (nonlinear, inputs, f) = try interactionSetup(layers: 5)
        let gradient: BatchGradient = { [self] windows, count in
            let m = means(windows, count, layers: 5)
            return (0..<count).flatMap { n -> [Float] in
                let p = 1 / (1 + exp(-f.logit(m[n])))
                return (0..<5).flatMap { l in [Float](repeating: Float(p * (1 - p) * f.slope(m[n], l)) / plane, count: height * width) }
            }
        }
        let explanation = try nonlinear.expectedGradients(windows: inputs, count: 2, gradient: gradient, samples: 4000, seed: 2)
        XCTAssertLessThan(explanation.maxAdditivityError, 0.02)
        XCTAssertEqual(explanation.additivityErrors.count, 2)
        // Pixel attributions sum to the layer values.
        let pixels = try XCTUnwrap(explanation.pixelValues)
        XCTAssertEqual(pixels[1].count, 5 * height * width)
        for l in 0..<5 {
            let sum = pixels[1][(l * height * width)..<((l + 1) * height * width)].reduce(0.0) { $0 + Double($1) }
            XCTAssertEqual(sum, explanation.values[1][l], accuracy: 1e-5)
        }
    }

    func testInterruptionStopsExactSHAP() throws {
        let (explainer, windows, _) = try interactionSetup(layers: 12)
        var interrupted = explainer
        var calls = 0
        interrupted.model = { windows, count in
            calls += 1
            return [Float](repeating: 0.5, count: count)
        }
        interrupted.batchSize = 64
        interrupted.isCancelled = { calls >= 3 }
        XCTAssertThrowsError(try interrupted.exact(windows: windows, count: 2)) { error in
            XCTAssertTrue("\(error)".contains("interrupted"), "\(error)")
        }
        XCTAssertEqual(calls, 3)
    }

    func testBadInput() throws {
        XCTAssertThrowsError(try LayerBackground(points: [])) { error in
            XCTAssertTrue("\(error)".contains("the SHAP background is empty"), "\(error)")
        }
        XCTAssertThrowsError(try LayerBackground.sample(windows: [], count: 0, layers: 3, height: 2, width: 2)) { error in
            XCTAssertTrue("\(error)".contains("background is empty"), "\(error)")
        }
        let background = try LayerBackground(points: [[0, 0]])
        XCTAssertThrowsError(try LayerExplainer(model: { _, c in [Float](repeating: 0, count: c) }, layers: 3, height: 1,
                                                width: 1, background: background)) { error in
            XCTAssertTrue("\(error)".contains("background has 2 layers but the windows have 3"), "\(error)")
        }
        XCTAssertThrowsError(try exactShapley(featureCount: 25) { $0.map { _ in 0 } }) { error in
            XCTAssertTrue("\(error)".contains("limited to 20 features"), "\(error)")
        }
        let explainer = try LayerExplainer(model: { _, c in [Float](repeating: 0, count: c) }, layers: 2, height: 1,
                                           width: 1, background: background)
        XCTAssertThrowsError(try explainer.exact(windows: [1, 2, 3], count: 2)) { error in
            XCTAssertTrue("\(error)".contains("3 values are not 2 windows of 2x1x1"), "\(error)")
        }
    }
}
