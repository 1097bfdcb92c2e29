import Foundation
import XCTest
import LodeTensor
@testable import LodeNN

final class BadInputTests: XCTestCase {
    func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("lode-bad-\(UUID().uuidString)-\(name)").path
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }

    func testWrongChannelCountOrWindowSizeIsNamed() throws {
        let model = try SSGSNet(config: .tiny)
        let m1 = message { _ = try model(Tensor.zeros([2, 14, 32, 32])) }
        XCTAssertTrue(m1.contains("expects windows [N, 15, 32, 32]") && m1.contains("14 channels"), m1)
        let m2 = message { _ = try predictProbabilities(model, windows: Tensor.zeros([2, 15, 16, 16])) }
        XCTAssertTrue(m2.contains("16×16"), m2)
        let data = try WindowDataset(windows: Tensor.zeros([4, 15, 24, 24]), labels: [0, 1, 0, 1])
        let m3 = message { try Trainer(model: model).fit(train: data) }
        XCTAssertTrue(m3.contains("training windows are 15 channels of 24×24"), m3)
    }

    func testNaNInTheInputIsNamedWithItsPlace() throws {
        let model = try ResNet(config: .tiny)
        let x = Tensor.zeros([3, 15, 32, 32])
        x.pointer[((2 * 15 + 4) * 32 + 7) * 32 + 9] = .nan
        let m = message { _ = try predictProbabilities(model, windows: x) }
        XCTAssertTrue(m.contains("window 2") && m.contains("channel 4") && m.contains("row 7, column 9"), m)
        let data = try WindowDataset(windows: x, labels: [0, 1, 0])
        let before = model.stateDict().map { $0.tensor.scalars }
        let mt = message { try Trainer(model: model).fit(train: data) }
        XCTAssertTrue(mt.contains("non-finite") && mt.contains("window 2"), mt)
        XCTAssertEqual(model.stateDict().map { $0.tensor.scalars }, before, "nothing trained")
    }

    func testCheckpointOfAnotherModelOrConfigIsRefusedUntouched() throws {
        let path = temporary("resnet.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ResNet(config: .tiny, seed: 1).saveCheckpoint(path: path)
        let target = try SSGSNet(config: .tiny, seed: 2)
        let before = target.stateDict().map { $0.tensor.scalars }
        let m1 = message { try target.loadCheckpoint(path: path) }
        XCTAssertTrue(m1.contains("ResNet checkpoint, not SSGSNet"), m1)
        var other = ModelConfig.tiny
        other.widths = [8, 16, 32, 32]
        let m2 = message { try ResNet(config: other).loadCheckpoint(path: path) }
        XCTAssertTrue(m2.contains("different config"), m2)
        // Without metadata (a plain state dict) the first missing key or wrong shape is named.
        let m3 = message { try target.load(path: path) }
        XCTAssertTrue(m3.contains("missing 'sc.cls'") || m3.contains("missing 'sc."), m3)
        XCTAssertEqual(target.stateDict().map { $0.tensor.scalars }, before, "nothing was loaded")
        let shapes = try ResNet(config: other)
        let m4 = message { try shapes.load(path: path) }
        XCTAssertTrue(m4.contains("has shape") && m4.contains("ss.layers.3"), m4)
    }

    func testAFailedSaveKeepsThePreviousCheckpoint() throws {
        let path = temporary("keep.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let model = try DualBranchNet(config: .tiny, seed: 1)
        try model.saveCheckpoint(path: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let m = message { try model.saveCheckpoint(path: "/nonexistent-folder/x.safetensors") }
        XCTAssertTrue(m.contains("does not exist"), m)
        // A save that fails while writing leaves no partial file and the old checkpoint intact.
        try FileManager.default.createDirectory(atPath: path + ".dir", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path + ".dir") }
        let m2 = message { try model.saveCheckpoint(path: path + ".dir") }
        XCTAssertNotEqual(m2, "no error")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), original)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasSuffix(".partial") && $0.contains("lode-bad") }
        XCTAssertEqual(leftovers, [])
    }

    func testNaNLossNamesEpochAndStep() throws {
        let config = ModelConfig.tiny
        let data = try colocationTask(count: 16, config: config, seed: 3)
        var options = TrainingOptions()
        options.batchSize = 8
        options.schedule = .constant
        options.maximumLearningRate = 1e30   // the first step blows the weights up
        let trainer = try Trainer(model: DualBranchNet(config: config, seed: 1), options: options)
        let m = message { try trainer.fit(train: data) }
        XCTAssertTrue(m.contains("the loss became") && m.contains("epoch 1, step 2"), m)
    }
}
