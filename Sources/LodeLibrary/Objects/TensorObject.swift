import LodeScript
import LodeTensor

/// A Float32 tensor (NCHW for windows). Arithmetic with tensors of the same shape or with
/// numbers records gradients, so forward passes written in Lode train like built-in ones.
public final class TensorObject: OperatorOverloadable {
    public let tensor: Tensor
    public init(_ tensor: Tensor) { self.tensor = tensor }

    public var typeName: String { "tensor" }
    public var summary: String {
        let values = tensor.count <= 6 ? tensor.scalars.map { LodeValue.formatNumber(Double($0)) }.joined(separator: ", ")
            : tensor.scalars.prefix(4).map { LodeValue.formatNumber(Double($0)) }.joined(separator: ", ") + ", …"
        return "tensor \(tensor.shape.map(String.init).joined(separator: "×")) [\(values)]"
    }
    public var memberNames: [String] { ["shape", "count", "values"] }

    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "shape": return .list(tensor.shape.map { .number(Double($0)) })
        case "count": return .number(Double(tensor.count))
        case "values": return .list(tensor.scalars.map { .number(Double($0)) })
        default: return nil
        }
    }

    public func binary(_ op: BinaryOperator, _ other: LodeValue, selfIsLeft: Bool) throws -> LodeValue? {
        switch other {
        case .object(let object as TensorObject):
            let (a, b) = selfIsLeft ? (tensor, object.tensor) : (object.tensor, tensor)
            switch op {
            case .add: return .object(TensorObject(try a + b))
            case .subtract: return .object(TensorObject(try a - b))
            case .multiply: return .object(TensorObject(try a * b))
            case .divide: return .object(TensorObject(try a / b))
            default: return nil
            }
        case .number(let number):
            let s = Float(number)
            switch (op, selfIsLeft) {
            case (.add, _): return .object(TensorObject(tensor + s))
            case (.subtract, true): return .object(TensorObject(tensor - s))
            case (.subtract, false): return .object(TensorObject(s - tensor))
            case (.multiply, _): return .object(TensorObject(tensor * s))
            case (.divide, true):
                guard s != 0 else { throw LodeError(.arithmetic, "division of a tensor by zero") }
                return .object(TensorObject(tensor / s))
            case (.divide, false): return .object(TensorObject(s / tensor))
            default: return nil
            }
        default:
            return nil
        }
    }

    public func unary(_ op: UnaryOperator) throws -> LodeValue? {
        .object(TensorObject(op == .negate ? tensor * -1 : tensor))
    }
}
