import XCTest
@testable import LodeTensor

/// The reference DualBranchNet (tiny config) written directly with tensor ops: training-mode
/// logits, loss, every parameter gradient and one Adam step against the PyTorch fixture.
final class ModelParityTests: XCTestCase {
    func testDualBranchForwardBackwardAndAdamStep() throws {
        let f = try SafetensorsFile.read(path: try fixturePath("model_dualbranch.safetensors"))
        let names = f.arrays.keys.filter { $0.hasPrefix("param.") }.map { String($0.dropFirst(6)) }.sorted()
        var p: [String: Tensor] = [:]
        for n in names {
            let t = try f.tensor("param." + n)
            t.requiresGrad = true
            p[n] = t
        }
        func w(_ n: String) throws -> Tensor {
            guard let t = p[n] else { throw TensorError(op: "test", "missing parameter \(n)") }
            return t
        }
        let x = try f.tensor("input.x")
        let y = try f["input.y"]?.int64Values() ?? []
        var s = try conv2d(x, weight: w("conv1.weight"), bias: w("conv1.bias"), padding: 1).relu()
        s = try maxPool2d(s, kernelSize: 2)
        s = try maxPool2d(conv2d(s, weight: w("conv2.weight"), bias: w("conv2.bias"), padding: 1).relu(), kernelSize: 2)
        let spatial = try s.mean(axes: [2, 3])
        var c = try linear(x.mean(axes: [2, 3]), weight: w("mlp1.weight"), bias: w("mlp1.bias")).relu()
        c = try linear(c, weight: w("mlp2.weight"), bias: w("mlp2.bias")).relu()
        let logits = try linear(Tensor.concatenated([spatial, c], axis: 1), weight: w("head.weight"), bias: w("head.bias"))
        assertClose(logits, try f.tensor("train.logits"), tolerance: 1e-4, "logits")
        let loss = try crossEntropy(logits: logits, labels: y)
        XCTAssertEqual(loss.item, try f.tensor("train.loss").item, accuracy: 1e-5)
        try loss.backward()
        for n in names {
            guard let g = p[n]?.grad else { XCTFail("no gradient for \(n)"); continue }
            assertClose(g, try f.tensor("grad." + n), tolerance: 1e-4, "grad \(n)")
        }
        let adam = Adam(parameters: names.compactMap { p[$0] }, learningRate: 1e-3)
        adam.step()
        for n in names { assertClose(try w(n), try f.tensor("adam." + n), tolerance: 1e-5, "adam \(n)") }
    }
}
