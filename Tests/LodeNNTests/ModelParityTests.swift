import Foundation
import XCTest
import LodeTensor
@testable import LodeNN

/// Lode's four models against the PyTorch reference (shared/reference/make_fixtures.py): same
/// keys, and with the same parameters and batch the same training forward, loss, gradients,
/// BatchNorm running statistics, evaluation forward and one Adam step.
final class ModelParityTests: XCTestCase {
    static let fixtures = ["model_ssgsnet", "model_ssgsnet_prenorm", "model_resnet", "model_vit", "model_dualbranch"]

    /// Runs one fixture; returns the list of disagreements (empty = parity).
    func check(_ name: String) throws -> [String] {
        let file = try SafetensorsFile.read(path: referenceFixtures.appendingPathComponent("\(name).safetensors").path)
        let config = try ModelConfig(json: file.metadata["config"] ?? "")
        let kind = try ModelKind(name: file.metadata["model"] ?? "")
        let model = try makeModel(kind, config: config, seed: 1)
        var failures: [String] = []

        let paramKeys = Set(file.arrays.keys.filter { $0.hasPrefix("param.") }.map { String($0.dropFirst(6)) })
        let lodeKeys = Set(model.stateDict().map(\.key))
        if paramKeys != lodeKeys {
            return ["\(name): key sets differ; only in reference: \(paramKeys.subtracting(lodeKeys).sorted()), only in Lode: \(lodeKeys.subtracting(paramKeys).sorted())"]
        }
        var values: [String: Tensor] = [:]
        for k in paramKeys { values[k] = try file.tensor("param." + k) }
        try model.loadStateDict(values, source: name)

        let x = try file.tensor("input.x")
        let y = try file["input.y"].map { try $0.int64Values().map { Int($0) } } ?? []
        func expect(_ got: Tensor, _ key: String, relative: Float? = nil) throws {
            if let why = agrees(got, try file.tensor(key), relative: relative) { failures.append("\(name) \(key): \(why)") }
        }

        model.train()
        let logits = try model(x)
        let loss = try crossEntropy(logits: logits, labels: y)
        try expect(logits, "train.logits")
        try expect(loss, "train.loss")
        try loss.backward()
        for (key, p) in model.namedParameters() {
            guard let g = p.grad else { failures.append("\(name) grad.\(key): no gradient"); continue }
            try expect(g, "grad." + key, relative: 1e-3)
        }
        for (key, b) in model.namedBuffers() { try expect(b, "train.buffer." + key) }

        model.eval()
        try expect(try noGrad { try model(x) }, "eval.logits")

        // One Adam step from Lode's own gradients must land on adam.*. Adam's step is
        // lr·m̂/(√v̂ + ε): where a gradient is analytically zero (the attention key bias: softmax
        // ignores a constant added to every key) both sides hold float noise of ~1e-9, and the
        // step amplifies that noise to up to ~1e-4, so no implementation can match it there.
        // Those elements (|reference gradient| < 1e-7) are checked instead by stepping from the
        // reference's own gradients, which must then reproduce adam.* everywhere.
        let saved = model.namedParameters().map { ($0.key, $0.tensor.copied()) }
        let adam = Adam(parameters: model.parameters(), learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        adam.step()
        for (key, p) in model.namedParameters() {
            let expected = try file.tensor("adam." + key), reference = try file.tensor("grad." + key)
            for i in 0..<p.count where abs(reference.pointer[i]) >= 1e-7 {
                let d = abs(p.pointer[i] - expected.pointer[i])
                if !(d <= 1e-4) {
                    failures.append("\(name) adam.\(key): element \(i): got \(p.pointer[i]), expected \(expected.pointer[i])")
                    break
                }
            }
        }
        for (key, p) in model.namedParameters() {
            p.grad = try file.tensor("grad." + key)
            if let before = saved.first(where: { $0.0 == key })?.1 { try p.assign(before) }
        }
        // The trainer's optimiser (the options' default, Adam) must match too.
        var options = TrainingOptions()
        options.maximumLearningRate = 1e-3
        try Trainer(model: model, options: options).optimizer.step()
        for (key, p) in model.namedParameters() { try expect(p, "adam." + key) }
        return failures
    }

    func testModelParity() throws {
        var passed = 0
        var all: [String] = []
        for name in Self.fixtures {
            let failures = try check(name)
            if failures.isEmpty { passed += 1 }
            all += failures.prefix(5)
        }
        print("model parity: \(passed)/\(Self.fixtures.count)")
        XCTAssertEqual(passed, Self.fixtures.count, all.joined(separator: "\n"))
    }

    func testParameterCountsAtPaperConfig() throws {
        let expected: [ModelKind: Int] = [.ssgsnet: 13_684_106, .resnet: 11_397_450, .vit: 2_253_314, .dualbranch: 28_290]
        for (kind, count) in expected {
            XCTAssertEqual(try makeModel(kind, config: .paper).parameterCount, count, kind.displayName)
        }
    }

    func testKeysFollowTheReference() throws {
        let keys = try SSGSNet(config: .tiny).stateDict().map(\.key)
        for k in ["ss.layers.0.block1.ca.fc1.weight", "sc.blocks.1.attn.qkv.bias", "ss.stem.conv.weight",
                  "ss.stem.bn.running_mean", "ss.layers.1.block1.shortcut.bn.running_var", "sc.patch.weight",
                  "sc.cls", "sc.pos", "gate_ss.w1.weight", "head.bias"] {
            XCTAssertTrue(keys.contains(k), k)
        }
        XCTAssertFalse(keys.contains("ss.layers.0.block1.shortcut.conv.weight"), "layer 1 keeps an identity shortcut")
    }

    func testSummaryShowsTreeShapesAndCounts() throws {
        let s = try ResNet(config: .tiny).summary
        XCTAssertTrue(s.contains("(stem) ConvBN"), s)
        XCTAssertTrue(s.contains("weight [8, 15, 3, 3]"), s)
        XCTAssertTrue(s.contains("running_mean [8] (buffer)"), s)
        let total = try ResNet(config: .tiny).parameterCount
        XCTAssertTrue(s.hasSuffix("total: \(formatCount(total)) parameters"), s)
    }
}
