import Foundation
import XCTest
import LodeTensor
@testable import LodeNN

/// `readAttention` against the PyTorch reference (scripts/make_attention_fixture.py records the
/// reference's attention weights with forward hooks) and against what each block's own
/// forward pass implies.
final class AttentionReadoutTests: XCTestCase {
    func fixture() throws -> SafetensorsFile {
        guard let url = Bundle.module.url(forResource: "attention", withExtension: "safetensors", subdirectory: "Fixtures") else {
            throw NNError("fixture attention.safetensors missing from the test bundle")
        }
        return try SafetensorsFile.read(path: url.path)
    }

    /// Every attention map of SSGSNet (post-norm) and the ViT baseline (pre-norm), in the
    /// reference's call order, within 1e-5.
    func testReadoutMatchesTheReference() throws {
        let file = try fixture()
        for name in ["ssgsnet", "vit"] {
            let config = try ModelConfig(json: file.metadata["\(name).config"] ?? "")
            let model = try makeModel(try ModelKind(name: name), config: config, seed: 9)
            var values: [String: Tensor] = [:]
            for key in file.arrays.keys where key.hasPrefix("\(name).param.") {
                values[String(key.dropFirst("\(name).param.".count))] = try file.tensor(key)
            }
            try model.loadStateDict(values, source: name)
            model.train()
            let readout = try model.readAttention(try file.tensor("\(name).input.x"))
            let expectedKeys = try JSONDecoder().decode([String].self, from: Data((file.metadata["\(name).attention"] ?? "").utf8))
            XCTAssertEqual(readout.keys, expectedKeys, name)
            XCTAssertEqual(model.attentionModules.map(\.key), expectedKeys, name)
            XCTAssertFalse(expectedKeys.isEmpty)
            for key in expectedKeys {
                let got = try XCTUnwrap(readout[key], "\(name) \(key)").weights
                XCTAssertNil(agrees(got, try file.tensor("\(name).attention.\(key)"), absolute: 1e-5), "\(name) \(key)")
            }
            // Evaluation mode (running BatchNorm statistics), and the training flag is restored.
            XCTAssertNil(agrees(readout.output, try file.tensor("\(name).eval.logits")), "\(name) logits")
            XCTAssertTrue(model.namedModules().allSatisfy { $0.module.isTraining }, name)
        }
        let ssgsnet = try makeModel(.ssgsnet, config: ModelConfig(json: file.metadata["ssgsnet.config"] ?? ""))
        let readout = try ssgsnet.readAttention(try file.tensor("ssgsnet.input.x"))
        XCTAssertEqual(readout["ss.layers.1.block1.ca"]?.kind, .channel)
        XCTAssertEqual(readout["ss.layers.1.block1.ca"]?.weights.shape, [2, 16])
        XCTAssertEqual(readout["ss.layers.1.block1.sa"]?.weights.shape, [2, 8, 8])
        XCTAssertEqual(readout["sc.blocks.0.attn"]?.weights.shape, [2, 4, 17, 17])
    }

    /// Channel attention scales channel c by its weight: output / input is the weight.
    func testChannelWeightsAreOutputOverInput() throws {
        var rng = RandomStream(seed: 4)
        let ca = try ChannelAttention(channels: 5, reduction: 2, rng: &rng)
        let x = try Tensor.normal([3, 5, 4, 4], seed: 2) + 3
        let readout = try ca.readAttention(x)
        XCTAssertEqual(readout.keys, [""])
        let w = try XCTUnwrap(readout[""]).weights
        XCTAssertEqual(w.shape, [3, 5])
        for n in 0..<3 {
            for c in 0..<5 {
                for cell in 0..<16 {
                    let i = (n * 5 + c) * 16 + cell
                    XCTAssertEqual(readout.output.pointer[i] / x.pointer[i], w.pointer[n * 5 + c], accuracy: 1e-5)
                }
                XCTAssertGreaterThan(w.pointer[n * 5 + c], 0)
                XCTAssertLessThan(w.pointer[n * 5 + c], 1)
            }
        }
    }

    /// Spatial attention scales every channel of a cell by the same weight.
    func testSpatialWeightsAreOutputOverInput() throws {
        var rng = RandomStream(seed: 5)
        let sa = try SpatialAttention(kernelSize: 3, rng: &rng)
        let x = try Tensor.normal([2, 3, 5, 6], seed: 3) + 4
        let readout = try sa.readAttention(x)
        let w = try XCTUnwrap(readout[""]).weights
        XCTAssertEqual(w.shape, [2, 5, 6])
        for n in 0..<2 {
            for c in 0..<3 {
                for cell in 0..<30 {
                    let i = (n * 3 + c) * 30 + cell
                    XCTAssertEqual(readout.output.pointer[i] / x.pointer[i], w.pointer[n * 30 + cell], accuracy: 1e-5)
                }
            }
        }
    }

    /// Rows of the self-attention weights sum to 1, and proj(weights·V) with the heads merged
    /// again is the block's output.
    func testSelfAttentionWeightsReproduceTheForwardPass() throws {
        var rng = RandomStream(seed: 6)
        let attention = try SelfAttention(dimension: 8, heads: 2, rng: &rng)
        let x = try Tensor.normal([2, 5, 8], seed: 4)
        let readout = try attention.readAttention(x)
        let w = try XCTUnwrap(readout[""]).weights
        XCTAssertEqual(w.shape, [2, 2, 5, 5])
        for row in 0..<(2 * 2 * 5) {
            let sum = (0..<5).reduce(Float(0)) { $0 + w.pointer[row * 5 + $1] }
            XCTAssertEqual(sum, 1, accuracy: 1e-5)
        }
        let (_, _, v) = try attentionHeads(x, qkvWeight: attention.qkv.weight, qkvBias: attention.qkv.bias, heads: 2)
        var mixed = [Float](repeating: 0, count: 2 * 5 * 8)          // [N, T, heads·hd]
        for n in 0..<2 {
            for h in 0..<2 {
                for i in 0..<5 {
                    for d in 0..<4 {
                        var s: Float = 0
                        for j in 0..<5 { s += w.pointer[((n * 2 + h) * 5 + i) * 5 + j] * v.pointer[((n * 2 + h) * 5 + j) * 4 + d] }
                        mixed[(n * 5 + i) * 8 + h * 4 + d] = s
                    }
                }
            }
        }
        let recomputed = try attention.proj(try Tensor(shape: [2, 5, 8], scalars: mixed))
        XCTAssertNil(agrees(recomputed, readout.output, absolute: 1e-5))
        XCTAssertNil(agrees(try attention.attentionWeights(x), w, absolute: 0))
    }

    /// A module called twice gets `key#2`; one the tree does not list is keyed `outside.N`.
    func testRepeatedAndUndeclaredModulesAreNamed() throws {
        var rng = RandomStream(seed: 7)
        let ca = try ChannelAttention(channels: 3, reduction: 1, rng: &rng)
        let hidden = try SpatialAttention(kernelSize: 3, rng: &rng)
        final class Undeclared: Module {
            let listed: Module, hidden: Module
            init(_ listed: Module, _ hidden: Module) { self.listed = listed; self.hidden = hidden; super.init() }
            override var children: [(name: String, module: Module)] { [("gate", listed)] }
            override func callAsFunction(_ x: Tensor) throws -> Tensor { try hidden(listed(listed(x))) }
        }
        let readout = try Undeclared(ca, hidden).readAttention(try Tensor.normal([1, 3, 4, 4], seed: 1))
        XCTAssertEqual(readout.keys, ["gate", "gate#2", "outside.0"])
        XCTAssertEqual(readout.maps.map(\.kind), [.channel, .channel, .spatial])
    }

    /// Nothing is recorded outside a readout, no gradient tape is built inside one, and a
    /// failing forward pass leaves neither the recorder nor evaluation mode behind.
    func testReadoutLeavesNoStateBehind() throws {
        let model = try SSGSNet(config: .tiny, seed: 1)
        model.train()
        model.head.eval()                           // a mixed tree keeps its mixture
        XCTAssertThrowsError(try model.readAttention(Tensor.zeros([1, 3, 32, 32]))) { error in
            XCTAssertTrue("\(error)".contains("[N, 15, 32, 32]"), "\(error)")
        }
        XCTAssertNil(AttentionRecorder.active)
        XCTAssertTrue(model.ss.isTraining && model.sc.blocks.isTraining)
        XCTAssertFalse(model.head.isTraining)

        let x = try Tensor.normal([1, 15, 32, 32], seed: 2)
        let readout = try model.readAttention(x)
        XCTAssertFalse(readout.output.tracksGradient)
        XCTAssertTrue(readout.maps.allSatisfy { !$0.weights.tracksGradient })
        XCTAssertEqual(readout.keys.count, 4 * 4 + 2)
        XCTAssertNil(AttentionRecorder.active)
        // The readout's output is the evaluation forward.
        model.eval()
        XCTAssertNil(agrees(readout.output, try noGrad { try model(x) }, absolute: 1e-6))
    }
}
