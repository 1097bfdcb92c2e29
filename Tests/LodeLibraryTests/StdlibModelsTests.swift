import LodeEval
import Foundation
import LodeLibrary
import LodeNN
import LodeScript
import LodeTensor
import XCTest

/// stdlib/models.lode builds the paper's models from blocks with the reference's keys and
/// the reference's outputs.
final class StdlibModelsTests: XCTestCase {
    func testSSGSNetFromBlocksReproducesReferenceLogits() throws {
        let path = referenceFixtures.appendingPathComponent("model_ssgsnet.safetensors").path
        let file = try SafetensorsFile.read(path: path)
        let session = librarySession()
        session.run("""
            use "models"
            m = ssgsnet(channels: 15, preset: "tiny")
            keys = m.keys
            load_weights(m, "\(path)", prefix: "param.")
            x = load_tensor("\(path)", "input.x")
            # As the reference: one training-mode forward (BatchNorm updates its running
            # statistics), then the evaluation forward.
            train_logits = m(x)
            logits = forward(m, x)
            """)
        let keys = Set((session.value(of: "keys")?.listValue ?? []).compactMap(\.stringValue))
        let reference = Set(file.arrays.keys.filter { $0.hasPrefix("param.") }.map { String($0.dropFirst(6)) })
        XCTAssertEqual(keys, reference, "only in blocks: \(keys.subtracting(reference).sorted()); only in reference: \(reference.subtracting(keys).sorted())")
        let logits = try XCTUnwrap(session.object("logits", as: TensorObject.self)).tensor
        let expected = try file.tensor("eval.logits")
        XCTAssertEqual(logits.shape, expected.shape)
        for (a, b) in zip(logits.scalars, expected.scalars) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        let trained = try XCTUnwrap(session.object("train_logits", as: TensorObject.self)).tensor
        for (a, b) in zip(trained.scalars, try file.tensor("train.logits").scalars) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    }

    /// first_token gives token 0 of the blocks' output, computing the last encoder block's
    /// first row alone: the same values and input gradient as slicing the whole output, for
    /// a sequential of encoder blocks, one block, and (sliced as it is) any other block.
    func testFirstTokenEqualsTheSliceOfTheWholeOutput() throws {
        let session = librarySession()
        session.run("""
            seed_blocks(5)
            blocks = sequential(encoder_block(12, heads: 3, mlp: 20), encoder_block(12, heads: 3, mlp: 20, norm: "pre"))
            lone = encoder_block(12, heads: 2, mlp: 8)
            other = linear(12, 12)
            t = tensor(range(3 * 7 * 12), shape: [3, 7, 12]) / 100
            fast = [first_token(blocks, t), first_token(lone, t), first_token(other, t)]
            whole = [slice(blocks(t), 1, 0, 1), slice(lone(t), 1, 0, 1), slice(other(t), 1, 0, 1)]
            """)
        let fast = try XCTUnwrap(session.value(of: "fast")?.listValue), whole = try XCTUnwrap(session.value(of: "whole")?.listValue)
        XCTAssertEqual(fast.count, 3)
        for (i, (a, b)) in zip(fast, whole).enumerated() {
            guard case .object(let x as TensorObject) = a, case .object(let y as TensorObject) = b else { return XCTFail("item \(i) is not a tensor") }
            XCTAssertEqual(x.tensor.shape, [3, 1, 12], "item \(i)")
            XCTAssertEqual(x.tensor.shape, y.tensor.shape, "item \(i)")
            for (p, q) in zip(x.tensor.scalars, y.tensor.scalars) { XCTAssertEqual(p, q, accuracy: 1e-5, "item \(i)") }
        }
        XCTAssertNotNil(session.failure("first_token(t, t)"))
    }

    func testOtherModelsFromBlocksHaveTheBuiltInKeysAndLogits() throws {
        for (name, kind) in [("resnet", ModelKind.resnet), ("vit", .vit), ("dualbranch", .dualbranch)] {
            let path = referenceFixtures.appendingPathComponent("model_\(name).safetensors").path
            let file = try SafetensorsFile.read(path: path)
            let session = librarySession()
            session.run("""
                use "models"
                m = \(name)(channels: 15, preset: "tiny")
                load_weights(m, "\(path)", prefix: "param.")
                x = load_tensor("\(path)", "input.x")
                train_logits = m(x)
                logits = forward(m, x)
                """)
            let builtIn = try makeModel(kind, config: .tiny)
            let keys = Set(try XCTUnwrap(session.object("m", as: ModelObject.self)).module.stateDict().map(\.key))
            XCTAssertEqual(keys, Set(builtIn.stateDict().map(\.key)), name)
            let logits = try XCTUnwrap(session.object("logits", as: TensorObject.self), name).tensor
            for (a, b) in zip(logits.scalars, try file.tensor("eval.logits").scalars) { XCTAssertEqual(a, b, accuracy: 1e-4, name) }
        }
    }

    /// A new architecture (none of the built-in models computes it) trains, its loss falls,
    /// save + load_weights into a fresh copy predicts the same, predict_map asks the model for
    /// its window, and expected-gradient SHAP explains it.
    func testANewArchitectureTrainsSavesMapsAndExplains() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lode-new-\(getpid()).safetensors").path
        let session = librarySession()
        session.run(ModelBindingTests.pipeline + """

            fn small_cnn() => sequential(conv2d(4, 8, 3, bias: false), batchnorm(8), relu(),
                                         conv2d(8, 8, 3, bias: false), batchnorm(8), relu(), global_avg_pool(), linear(8, 2))
            seed_blocks(4)
            net = small_cnn()
            fit = train(net, data, epochs: 6, batch: 8, lr: 1e-2, optimizer: "adamw", weight_decay: 1e-4)
            save(net, "\(path)")
            copy = load_weights(small_cnn(), "\(path)")
            pa = predict(net, data.val)
            pb = predict(copy, data.val)
            prob = predict_map(copy, s, stride: 8)
            ex = shap(copy, data.val, method: "expected_gradients", count: 3, max_evals: 16)
            window = copy.window
            """)
        let losses = try XCTUnwrap(session.object("fit", as: HistoryObject.self)).history.epochs.map(\.trainLoss)
        XCTAssertEqual(losses.count, 6)
        XCTAssertLessThan(losses.last!, losses.first!, "\(losses)")
        let pa = (session.value(of: "pa")?.listValue ?? []).compactMap(\.numberValue)
        let pb = (session.value(of: "pb")?.listValue ?? []).compactMap(\.numberValue)
        XCTAssertFalse(pa.isEmpty)
        XCTAssertEqual(pa, pb)
        XCTAssertEqual(session.number("window"), 16)
        let prob = try XCTUnwrap(session.object("prob", as: RasterObject.self)).raster.values.filter { !$0.isNaN }
        XCTAssertFalse(prob.isEmpty)
        XCTAssertTrue(prob.allSatisfy { $0 >= 0 && $0 <= 1 })
        let ex = try XCTUnwrap(session.object("ex", as: ExplanationObject.self)).explanation
        XCTAssertEqual(ex.values.count, 3)
        XCTAssertEqual(ex.featureNames, ["Au", "As", "Sb", "faults"])
        // A block that has never met data cannot be mapped: it does not know its window.
        let missing = try XCTUnwrap(session.failure("predict_map(small_cnn(), s)"))
        XCTAssertTrue(missing.contains("does not know its input"), missing)
    }

    /// stdlib/models.lode's SSGSNet draws the Swift SSGSNet's initial weights from the same
    /// seed and trains to the same weights (same data, options and batch order).
    func testStdlibSSGSNetTrainsToTheSwiftModelsWeights() throws {
        let session = librarySession()
        session.run(ModelBindingTests.pipeline + """

            net = ssgsnet(channels: 4, preset: "tiny", window: 16, seed: 7)
            start = net.keys
            fit = train(net, data, epochs: 2, batch: 16, lr: 1e-3, seed: 3)
            """)
        var config = ModelConfig.tiny
        config.inputChannels = 4
        config.window = 16
        let swift = try SSGSNet(config: config, seed: 7)
        let dataset = try XCTUnwrap(session.object("data", as: DatasetObject.self))
        let split = try XCTUnwrap(dataset.split)
        var options = TrainingOptions()
        options.epochs = 2
        options.batchSize = 16
        options.schedule = .constant
        options.maximumLearningRate = 1e-3
        options.minimumLearningRate = 1e-3
        options.seed = 3
        let trainer = try Trainer(model: swift, options: options)
        try trainer.fit(train: try WindowDataset(dataset.data, indices: split.train),
                        validation: try WindowDataset(dataset.data, indices: split.validation))
        try trainer.restoreBest()
        let lode = try XCTUnwrap(session.object("net", as: ModelObject.self)).module.stateDict()
        let reference = swift.stateDict()
        XCTAssertEqual(lode.map(\.key), reference.map(\.key))
        var worst: Float = 0
        for (a, b) in zip(lode, reference) {
            XCTAssertEqual(a.tensor.shape, b.tensor.shape, a.key)
            for (x, y) in zip(a.tensor.scalars, b.tensor.scalars) { worst = max(worst, abs(x - y)) }
        }
        XCTAssertLessThanOrEqual(worst, 1e-6)
        XCTAssertEqual(try XCTUnwrap(session.object("fit", as: HistoryObject.self)).history.epochs.map(\.trainLoss),
                       trainer.history.epochs.map(\.trainLoss))
    }
}
