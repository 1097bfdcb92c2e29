import Foundation
import XCTest
@testable import LodeTensor

/// Every case of the PyTorch op fixture file: forward output and every input gradient.
final class OpParityTests: XCTestCase {
    private var gradientsCompared = 0

    func testEveryFixtureCaseMatchesPyTorch() throws {
        let file = try SafetensorsFile.read(path: try fixturePath("ops.safetensors"))
        let cases = file.metadata.keys.sorted()
        XCTAssertGreaterThanOrEqual(cases.count, 18)
        var passed = 0
        gradientsCompared = 0
        for name in cases {
            do {
                if try runCase(name, file: file) { passed += 1 }
            } catch {
                XCTFail("\(name): \(error)")
            }
        }
        print("ops parity: \(passed)/\(cases.count) cases (\(gradientsCompared) gradients compared)")
        XCTAssertGreaterThanOrEqual(gradientsCompared, cases.count)
        XCTAssertEqual(passed, cases.count)
    }

    /// Runs one case; returns whether out and all grad_* agree within 1e-4 (relative above 1).
    private func runCase(_ name: String, file: SafetensorsFile) throws -> Bool {
        guard let json = file.metadata[name]?.data(using: .utf8),
              let attrs = try JSONSerialization.jsonObject(with: json) as? [String: Any],
              let op = attrs["op"] as? String else {
            XCTFail("\(name): metadata is not a JSON object with an op")
            return false
        }
        let prefix = name + "."
        var inputs: [String: Tensor] = [:]
        var labels: [Int64]?
        for (key, array) in file.arrays where key.hasPrefix(prefix) {
            let role = String(key.dropFirst(prefix.count))
            if role == "out" || role == "gout" || role.hasPrefix("grad_") { continue }
            if array.dtype == .int64 { labels = try array.int64Values(); continue }
            let t = array.tensor()
            t.requiresGrad = true
            inputs[role] = t
        }
        func input(_ role: String) throws -> Tensor {
            guard let t = inputs[role] else { throw TensorError(op: "test", "\(name): missing input \(role)") }
            return t
        }
        func int(_ key: String) throws -> Int {
            guard let v = attrs[key] as? Int else { throw TensorError(op: "test", "\(name): missing attribute \(key)") }
            return v
        }
        func float(_ key: String) throws -> Float {
            guard let v = attrs[key] as? Double else { throw TensorError(op: "test", "\(name): missing attribute \(key)") }
            return Float(v)
        }
        let out: Tensor
        switch op {
        case "conv2d":
            out = try conv2d(try input("x"), weight: try input("w"), bias: inputs["b"], stride: try int("stride"),
                             padding: try int("padding"))
        case "linear":
            out = try linear(try input("x"), weight: try input("w"), bias: inputs["b"])
        case "batchnorm2d":
            let training = attrs["training"] as? Bool ?? true
            out = try batchNorm2d(try input("x"), weight: inputs["w"], bias: inputs["b"],
                                  runningMean: training ? nil : try input("running_mean").detached(),
                                  runningVariance: training ? nil : try input("running_var").detached(),
                                  training: training, epsilon: try float("eps"))
        case "layernorm":
            out = try layerNorm(try input("x"), weight: inputs["w"], bias: inputs["b"], epsilon: try float("eps"))
        case "gelu":
            XCTAssertEqual(attrs["approximate"] as? String, "none")
            out = try input("x").gelu()
        case "relu": out = try input("x").relu()
        case "sigmoid": out = try input("x").sigmoid()
        case "tanh": out = try input("x").tanh()
        case "softmax": out = try input("x").softmax(axis: try int("axis"))
        case "log_softmax": out = try input("x").logSoftmax(axis: try int("axis"))
        case "cross_entropy":
            XCTAssertEqual(attrs["reduction"] as? String, "mean")
            guard let labels else { throw TensorError(op: "test", "\(name): no integer target") }
            out = try crossEntropy(logits: try input("x"), labels: labels)
        case "maxpool2d":
            out = try maxPool2d(try input("x"), kernelSize: try int("kernel"), stride: try int("stride"))
        case "mean":
            out = try input("x").mean(axes: attrs["axes"] as? [Int] ?? [])
        case "channel_mean_max":
            out = try channelMeanMax(try input("x"))
        case "self_attention":
            out = try multiHeadSelfAttention(try input("x"), qkvWeight: try input("qkv_w"), qkvBias: inputs["qkv_b"],
                                             projectionWeight: try input("proj_w"), projectionBias: inputs["proj_b"],
                                             heads: try int("heads"))
        default:
            XCTFail("\(name): unknown op '\(op)' in the fixture file — teach the parity test about it")
            return false
        }
        var ok = true
        let expected = try file.tensor(prefix + "out")
        let r = toleranceRatio(out.reshapedUnchecked(expected.shape), expected, tolerance: 1e-4)
        if out.count != expected.count || r > 1 {
            XCTFail("\(name): forward differs (\(r)× tolerance), shape \(out.shape) vs \(expected.shape)")
            ok = false
        }
        try out.backward(gradient: try file.tensor(prefix + "gout").reshaped(out.shape))
        for key in file.arrays.keys.sorted() where key.hasPrefix(prefix + "grad_") {
            let role = String(key.dropFirst(prefix.count + 5))
            let want = try file.tensor(key)
            guard let got = inputs[role]?.grad else {
                XCTFail("\(name): no gradient for \(role)")
                ok = false
                continue
            }
            gradientsCompared += 1
            let gr = toleranceRatio(got, want, tolerance: 1e-4)
            if gr > 1 {
                XCTFail("\(name): gradient of \(role) differs (\(gr)× tolerance)")
                ok = false
            }
        }
        return ok
    }
}
