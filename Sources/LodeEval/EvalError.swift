/// Every bad input to LodeEval ends here: one error type whose description names what was wrong
/// and where, so a geologist reading it in a notebook knows which argument to fix.
public struct EvalError: Error, CustomStringConvertible, Equatable {
    /// The operation that refused the input, e.g. "roc_curve" or "predict_map".
    public let operation: String
    public let message: String

    public init(_ operation: String, _ message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }
}
