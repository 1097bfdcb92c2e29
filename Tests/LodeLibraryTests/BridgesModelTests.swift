import LodeEval
import LodeLibrary
import LodeNN
import LodeTensor
import XCTest

final class BridgesModelTests: XCTestCase {
    /// The closure's probabilities equal a hand softmax of the model's own eval-mode logits,
    /// whatever the batch size, and the model's training mode is left as it was.
    func testBatchModelEqualsInference() throws {
        let model = try SSGSNet(config: .tiny, seed: 3)
        let count = 5, per = 15 * 32 * 32
        let windows = testValues(count * per, seed: 11)
        let closure = try batchModel(model, batchSize: 2)
        let probabilities = try closure(windows, count)
        XCTAssertTrue(model.isTraining)

        model.eval()
        let logits = try noGrad { try model(Tensor(shape: [count, 15, 32, 32], scalars: windows)) }.scalars
        model.train()
        for i in 0..<count {
            let (a, b) = (Double(logits[2 * i]), Double(logits[2 * i + 1]))
            let expected = 1 / (1 + exp(a - b))
            XCTAssertEqual(Double(probabilities[i]), expected, accuracy: 1e-6)
        }
        XCTAssertEqual(try closure(windows, count), probabilities)
        XCTAssertThrowsError(try closure(Array(windows.prefix(100)), 1)) { error in
            XCTAssertTrue("\(error)".contains("100 values are not 1 windows"), "\(error)")
        }
    }

    /// Input gradient of the class-1 probability against a central finite difference along a
    /// random direction.
    func testBatchGradientMatchesFiniteDifference() throws {
        let model = try DualBranchNet(config: .tiny, seed: 5)
        let per = 15 * 32 * 32
        let x = testValues(2 * per, seed: 21)
        let direction = testValues(2 * per, seed: 22)
        let gradient = try batchGradient(model)(x, 2)
        let f = try batchModel(model)
        let h: Float = 1e-2
        for w in 0..<2 {
            var plus = x, minus = x
            for j in (w * per)..<((w + 1) * per) {
                plus[j] += h * direction[j]
                minus[j] -= h * direction[j]
            }
            let numeric = (Double(try f(plus, 2)[w]) - Double(try f(minus, 2)[w])) / Double(2 * h)
            var analytic = 0.0
            for j in (w * per)..<((w + 1) * per) { analytic += Double(gradient[j]) * Double(direction[j]) }
            XCTAssertEqual(analytic, numeric, accuracy: 2e-3 + 0.02 * abs(numeric))
        }
        XCTAssertTrue(model.parameters().allSatisfy { $0.grad == nil })
    }
}
