import XCTest
@testable import LodeTensor

/// Bad shapes and ranks are thrown as TensorError naming the op and the shapes, never a crash.
final class ErrorTests: XCTestCase {
    private func assertThrows(_ op: String, mentions: [String], _ body: () throws -> Any,
                              file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try body()
            XCTFail("\(op): expected an error", file: file, line: line)
        } catch let e as TensorError {
            XCTAssertEqual(e.op, op, file: file, line: line)
            for m in mentions { XCTAssertTrue(e.description.contains(m), "'\(e)' should mention \(m)", file: file, line: line) }
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
        }
    }

    func testShapeMismatches() throws {
        let a = Tensor.zeros([2, 3]), b = Tensor.zeros([4])
        assertThrows("add", mentions: ["[2, 3]", "[4]"]) { try a + b }
        assertThrows("mul", mentions: ["[2, 3]", "[4]"]) { try a * b }
        assertThrows("matmul", mentions: ["[2, 3]", "[2, 3]"]) { try matmul(a, a) }
        assertThrows("matmul", mentions: ["rank", "[4]"]) { try matmul(a, b) }
        assertThrows("linear", mentions: ["[2, 3]", "[5, 4]"]) { try linear(a, weight: Tensor.zeros([5, 4])) }
        assertThrows("linear", mentions: ["bias", "[3]"]) { try linear(a, weight: Tensor.zeros([5, 3]), bias: Tensor.zeros([3])) }
        assertThrows("reshape", mentions: ["[2, 3]", "[4, 2]"]) { try a.reshaped(4, 2) }
        assertThrows("concat", mentions: ["[2, 3]", "[4]"]) { try Tensor.concatenated([a, b], axis: 0) }
        assertThrows("concat", mentions: ["[2, 3]", "[3, 2]"]) { try Tensor.concatenated([a, Tensor.zeros([3, 2])], axis: 0) }
        assertThrows("expand", mentions: ["[2, 3]", "[2, 4]"]) { try a.expanded(to: [2, 4]) }
        assertThrows("slice", mentions: ["0..<5", "[2, 3]"]) { try a.sliced(axis: 1, range: 0..<5) }
        assertThrows("Tensor", mentions: ["[2, 2]", "3"]) { try Tensor(shape: [2, 2], scalars: [1, 2, 3]) }
        assertThrows("crossEntropy", mentions: ["label 5", "0..<3"]) { try crossEntropy(logits: a, labels: [0, 5]) }
        assertThrows("crossEntropy", mentions: ["3 labels", "[2, 3]"]) { try crossEntropy(logits: a, labels: [0, 1, 2]) }
        assertThrows("backward", mentions: ["[2]", "[2, 3]"]) {
            let x = Tensor.zeros([2, 3], requiresGrad: true)
            return try (x * 2).backward(gradient: Tensor.zeros([2]))
        }
    }

    func testWrongRanksAndAxes() throws {
        let img = Tensor.zeros([2, 3, 8, 8]), flat = Tensor.zeros([2, 3])
        assertThrows("conv2d", mentions: ["[2, 3]", "[4, 3, 3, 3]"]) { try conv2d(flat, weight: Tensor.zeros([4, 3, 3, 3])) }
        assertThrows("conv2d", mentions: ["channels", "[2, 3, 8, 8]", "[4, 5, 3, 3]"]) { try conv2d(img, weight: Tensor.zeros([4, 5, 3, 3])) }
        assertThrows("conv2d", mentions: ["kernel larger", "[2, 3, 8, 8]"]) { try conv2d(img, weight: Tensor.zeros([1, 3, 9, 9])) }
        assertThrows("maxPool2d", mentions: ["[2, 3]"]) { try maxPool2d(flat, kernelSize: 2) }
        assertThrows("batchNorm2d", mentions: ["[2, 3]"]) {
            try batchNorm2d(flat, weight: nil, bias: nil, runningMean: nil, runningVariance: nil, training: true)
        }
        assertThrows("batchNorm2d", mentions: ["weight", "[4]", "[2, 3, 8, 8]"]) {
            try batchNorm2d(img, weight: Tensor.zeros([4]), bias: nil, runningMean: nil, runningVariance: nil, training: true)
        }
        assertThrows("layerNorm", mentions: ["weight", "[4]", "[2, 3]"]) { try layerNorm(flat, weight: Tensor.zeros([4]), bias: nil) }
        assertThrows("selfAttention", mentions: ["[2, 3]"]) {
            try multiHeadSelfAttention(flat, qkvWeight: Tensor.zeros([9, 3]), qkvBias: nil, projectionWeight: Tensor.zeros([3, 3]),
                                       projectionBias: nil, heads: 1)
        }
        assertThrows("selfAttention", mentions: ["divisible"]) {
            try multiHeadSelfAttention(Tensor.zeros([1, 2, 6]), qkvWeight: Tensor.zeros([18, 6]), qkvBias: nil,
                                       projectionWeight: Tensor.zeros([6, 6]), projectionBias: nil, heads: 4)
        }
        assertThrows("sum", mentions: ["axis 2", "rank 2"]) { try flat.sum(axes: [2]) }
        assertThrows("softmax", mentions: ["axis -3"]) { try flat.softmax(axis: -3) }
        assertThrows("permute", mentions: ["[0, 0]"]) { try flat.permuted(0, 0) }
        assertThrows("transpose", mentions: ["[4]"]) { try Tensor.zeros([4]).transposed() }
        assertThrows("globalAveragePool", mentions: ["[2, 3]"]) { try globalAveragePool(flat) }
    }
}
