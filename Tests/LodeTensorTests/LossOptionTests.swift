import XCTest
@testable import LodeTensor

/// Cross-entropy with class weights and label smoothing against PyTorch's F.cross_entropy
/// (Fixtures/loss.safetensors, written by scripts/make_loss_fixture.py), value and gradient.
final class LossOptionTests: XCTestCase {
    func testWeightedAndSmoothedCrossEntropyMatchesPyTorch() throws {
        let file = try SafetensorsFile.read(path: try fixturePath("loss.safetensors"))
        let names = ["smooth", "weighted", "both", "heavy"]
        for name in names {
            let logits = try file.tensor(name + ".logits")
            logits.requiresGrad = true
            let labels = try XCTUnwrap(file[name + ".labels"]).int64Values().map { Int($0) }
            let weights = file[name + ".weight"].map { $0.tensor().scalars }
            let smoothing = Float(try XCTUnwrap(file.metadata[name + ".smoothing"].flatMap(Double.init)))
            let loss = try crossEntropy(logits: logits, labels: labels, classWeights: weights, labelSmoothing: smoothing)
            XCTAssertEqual(loss.item, try file.tensor(name + ".loss").item, accuracy: 1e-5, name)
            try loss.backward()
            assertClose(try XCTUnwrap(logits.grad), try file.tensor(name + ".grad"), tolerance: 1e-5, name)
        }
    }

    func testWithoutOptionsItIsThePlainLoss() throws {
        let logits = tensor([3, 2], [0.3, -1.0, 2.0, 0.5, -0.2, 0.1])
        let plain = try crossEntropy(logits: logits, labels: [0, 1, 1])
        let same = try crossEntropy(logits: logits, labels: [0, 1, 1], classWeights: nil, labelSmoothing: 0)
        XCTAssertEqual(plain.item, same.item)
        // Equal weights change nothing either: the mean divides by their sum.
        let equal = try crossEntropy(logits: logits, labels: [0, 1, 1], classWeights: [2, 2], labelSmoothing: 0)
        XCTAssertEqual(plain.item, equal.item, accuracy: 1e-6)
    }

    func testBadOptionsAreRefused() {
        let logits = tensor([2, 2], [0.3, -1.0, 2.0, 0.5])
        XCTAssertThrowsError(try crossEntropy(logits: logits, labels: [0, 1], classWeights: [1], labelSmoothing: 0))
        XCTAssertThrowsError(try crossEntropy(logits: logits, labels: [0, 1], classWeights: [1, -1], labelSmoothing: 0))
        XCTAssertThrowsError(try crossEntropy(logits: logits, labels: [0, 1], classWeights: nil, labelSmoothing: 1.5))
        XCTAssertThrowsError(try crossEntropy(logits: logits, labels: [0, 0], classWeights: [0, 1], labelSmoothing: 0))
    }
}
