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

    func testOtherModelsFromBlocksHaveTheBuiltInKeysAndLogits() throws {
        for (name, kind) in [("resnet", ModelKind.resnet), ("vit", .vit), ("dualbranch", .dualbranch)] {
            let path = referenceFixtures.appendingPathComponent("model_\(name).safetensors").path
            let file = try SafetensorsFile.read(path: path)
            let session = librarySession()
            session.run("""
                use "models"
                m = \(name)_blocks(channels: 15, preset: "tiny")
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

    /// A model built from blocks evaluates, maps and explains like the built-in one it copies.
    func testBlocksModelPredictsLikeTheBuiltInOne() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lode-dual-\(getpid()).safetensors").path
        let session = librarySession()
        session.run(ModelBindingTests.pipeline + """

            use "models"
            fit = train(model, data, epochs: 1, batch: 16)
            save(model, "\(path)")
            b = load_weights(dualbranch(channels: 4, preset: "tiny"), "\(path)")
            same_auc = auc(b, data.val) == auc(model, data.val)
            pa = predict(model, data.val)
            pb = predict(b, data.val)
            ma = predict_map(model, s, stride: 8)
            mb = predict_map(b, s, stride: 8, window: 16)
            """)
        XCTAssertEqual(session.value(of: "same_auc"), .bool(true))
        let pa = (session.value(of: "pa")?.listValue ?? []).compactMap(\.numberValue)
        let pb = (session.value(of: "pb")?.listValue ?? []).compactMap(\.numberValue)
        XCTAssertEqual(pa.count, pb.count)
        XCTAssertFalse(pa.isEmpty)
        for (x, y) in zip(pa, pb) { XCTAssertEqual(x, y, accuracy: 1e-6) }
        let ma = try XCTUnwrap(session.object("ma", as: RasterObject.self)).raster.values
        let mb = try XCTUnwrap(session.object("mb", as: RasterObject.self)).raster.values
        for (x, y) in zip(ma, mb) where !x.isNaN { XCTAssertEqual(x, y, accuracy: 1e-6) }
        let missing = try XCTUnwrap(session.failure("predict_map(b, s)"))
        XCTAssertTrue(missing.contains("window:"), missing)
    }

    /// A model built from blocks that rebuilds a built-in one trains (through it) to the same
    /// weights; one that computes something else is refused with a clear error.
    func testBlocksModelTrainsLikeItsBuiltInTwin() throws {
        let session = librarySession()
        session.run(ModelBindingTests.pipeline + """

            use "models"
            seed_blocks(5)
            b = dualbranch(channels: 4, preset: "tiny")
            path = "\(FileManager.default.temporaryDirectory.path)/lode-twin-\(getpid()).safetensors"
            save(b, path)
            twin = load_weights(dualbranch(channels: 4, preset: "tiny", window: 16), path)
            hb = train(b, data, epochs: 2, batch: 16, seed: 3)
            ht = train(twin, data, epochs: 2, batch: 16, seed: 3)
            """)
        let b = try XCTUnwrap(session.object("b", as: ModelObject.self)).module.stateDict()
        let t = try XCTUnwrap(session.object("twin", as: ModelObject.self)).module.stateDict()
        XCTAssertEqual(b.map(\.key), t.map(\.key))
        for (x, y) in zip(b, t) { XCTAssertEqual(x.tensor.scalars, y.tensor.scalars, x.key) }
        XCTAssertEqual(try XCTUnwrap(session.object("hb", as: HistoryObject.self)).history.epochs.map(\.trainLoss),
                       try XCTUnwrap(session.object("ht", as: HistoryObject.self)).history.epochs.map(\.trainLoss))
        let odd = try XCTUnwrap(session.failure("""
            odd = block({f: linear(4, 2)}, forward: fn(m, x) => m.f(global_avg_pool()(x)))
            train(odd, data, epochs: 1)
            """))
        XCTAssertTrue(odd.contains("computes something none of them does"), odd)
    }
}
