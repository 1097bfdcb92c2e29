import Foundation
import XCTest
@testable import LodeTensor

/// Path of a file under Tests/LodeTensorTests/Fixtures (copied into the test bundle).
func fixturePath(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        throw TensorError(op: "test", "fixture \(name) missing from the test bundle")
    }
    return url.path
}

/// Largest violation of |a − b| ≤ tol·max(1, |b|) (absolute below 1, relative above), as a
/// ratio to the tolerance: ≤ 1 passes. Shapes must match.
func toleranceRatio(_ a: Tensor, _ b: Tensor, tolerance: Float) -> Float {
    guard a.shape == b.shape else { return .infinity }
    var worst: Float = 0
    for i in 0..<a.count {
        let e = Swift.abs(a.pointer[i] - b.pointer[i]) / (tolerance * Swift.max(1, Swift.abs(b.pointer[i])))
        if !(e <= worst) { worst = e.isNaN ? .infinity : e }
    }
    return worst
}

func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-5, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, message, file: file, line: line)
    let r = toleranceRatio(a, b, tolerance: tolerance)
    XCTAssertLessThanOrEqual(r, 1, "\(message): off by \(r)× tolerance\n got \(a)\n want \(b)", file: file, line: line)
}

func tensor(_ shape: [Int], _ values: [Float]) -> Tensor {
    // Test literals: shapes and counts are written together, so a mismatch is a test bug.
    guard let t = try? Tensor(shape: shape, scalars: values) else {
        XCTFail("bad literal \(shape) / \(values.count)")
        return Tensor.zeros(shape)
    }
    return t
}
