import Foundation

/// The one error type of LodeTensor: which operation failed and why, with the shapes involved.
public struct TensorError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// The operation (or file reader) that rejected its input, e.g. "matmul", "safetensors".
    public var op: String
    public var message: String

    public init(op: String, _ message: String) {
        self.op = op
        self.message = message
    }

    public var description: String { "\(op): \(message)" }
    public var errorDescription: String? { description }

    static func shapes(_ op: String, _ what: String, _ shapes: [Int]...) -> TensorError {
        TensorError(op: op, "\(what) (shapes \(shapes.map { "\($0)" }.joined(separator: ", ")))")
    }
}
