import XCTest
@testable import LodeEval
import LodeNN
import LodeTensor

/// Temperature scaling against a hand-solved case and a NumPy reference.
final class RecipeCalibrationTests: XCTestCase {
    /// Binary logits [0, ±1]; three of four windows at each logit agree with their label. The
    /// likelihood is then maximal where sigmoid(1/T) = 3/4, i.e. T = 1 / ln 3 (by hand).
    func testBinaryHandCase() throws {
        let z: [Float] = [1, 1, 1, 1, -1, -1, -1, -1]
        let labels = [1, 1, 1, 0, 0, 0, 0, 1]
        let logits: [Float] = z.flatMap { value -> [Float] in [0, value] }
        let fit = try TemperatureScaling.fit(logits: logits, classes: 2, labels: labels)
        XCTAssertEqual(fit.temperature, 1 / log(3.0), accuracy: 1e-9)
        XCTAssertFalse(fit.atBound)
        // Mean NLL at T = 1: -(3 log σ(1) + log σ(-1)) / 4; at the optimum: the entropy of (3/4, 1/4).
        let sigmoid = { (x: Double) in 1 / (1 + exp(-x)) }
        XCTAssertEqual(fit.lossBefore, -(3 * log(sigmoid(1)) + log(sigmoid(-1))) / 4, accuracy: 1e-12)
        XCTAssertEqual(fit.lossAfter, -(0.75 * log(0.75) + 0.25 * log(0.25)), accuracy: 1e-12)
    }

    /// Three classes, overconfident logits. Reference: NumPy, golden-section search of the mean
    /// NLL over log T in [1e-3, 1e3] (300 steps):
    ///   z = logits / T; z -= z.max(1); nll = mean(log(exp(z).sum(1)) - z[range(8), labels])
    /// gave T = 4.209732296058416, NLL(1) = 1.587906964198331, NLL(T) = 0.7702831393045648.
    func testThreeClassesMatchNumPy() throws {
        let logits: [Float] = [8.0, -4.0, 2.0, 1.2, 6.8, -1.6, -4.8, 0.4, 8.8, 6.0, 5.6, -1.2,
                               0.0, -2.0, 4.0, 10.0, 0.8, 0.4, -2.8, 7.6, 1.6, 3.6, 3.2, 4.4]
        let labels = [0, 1, 2, 1, 0, 0, 2, 1]
        let fit = try TemperatureScaling.fit(logits: logits, classes: 3, labels: labels)
        XCTAssertEqual(fit.temperature, 4.209732296058416, accuracy: 1e-6)
        XCTAssertEqual(fit.lossBefore, 1.587906964198331, accuracy: 1e-6)
        XCTAssertEqual(fit.lossAfter, 0.7702831393045648, accuracy: 1e-6)
        XCTAssertEqual(try TemperatureScaling.loss(logits: logits, classes: 3, labels: labels, temperature: 4.209732296058416),
                       0.7702831393045648, accuracy: 1e-6)
    }

    func testSeparatedWindowsReachTheBound() throws {
        // Every logit agrees with its label: sharper is always better, so T goes to the lower bound.
        let fit = try TemperatureScaling.fit(logits: [0, 2, 0, 3, 0, -1, 0, -4], classes: 2, labels: [1, 1, 0, 0])
        XCTAssertTrue(fit.atBound)
        XCTAssertEqual(fit.temperature, TemperatureScaling.range.lowerBound, accuracy: 1e-9)
    }

    func testBadHeldOutWindowsAreClearErrors() {
        XCTAssertThrowsError(try TemperatureScaling.fit(logits: [0, 1, 0, 2], classes: 2, labels: [1, 1])) { error in
            XCTAssertTrue("\(error)".contains("only class 1"), "\(error)")
        }
        XCTAssertThrowsError(try TemperatureScaling.fit(logits: [0, 1, 0], classes: 2, labels: [1, 0]))
        XCTAssertThrowsError(try TemperatureScaling.fit(logits: [0, 1, 0, 2], classes: 2, labels: [1, 2]))
        XCTAssertThrowsError(try TemperatureScaling.fit(logits: [0, .nan, 0, 2], classes: 2, labels: [1, 0]))
    }

    /// The wrapper divides the logits by T: its probabilities are softmax(logits / T).
    func testScaledModelDividesTheLogits() throws {
        var rng = RandomStream(seed: 3)
        let linear = try Linear(4, 2, rng: &rng)
        let scaled = try TemperatureScaledModel(linear, temperature: 2.5)
        let x = try Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) / 6 - 1 })
        let raw = try linear(x).scalars, cooled = try scaled(x).scalars
        for (r, c) in zip(raw, cooled) { XCTAssertEqual(c, r / 2.5, accuracy: 1e-6) }
        XCTAssertEqual(scaled.namedBuffers().map(\.key), ["temperature"])
        XCTAssertThrowsError(try TemperatureScaledModel(linear, temperature: 0))
    }
}
