import LodeNN
import LodeScript
import LodeTensor

/// A block written in Lode: named children (layers or parameter tensors) and a forward
/// function `fn(m, x)` that calls them (`m.conv(x)`) and combines tensors.
final class ScriptedBlock: Module {
    let layers: [(name: String, module: Module)]
    let tensors: [(name: String, tensor: Tensor)]
    let forward: LodeValue
    let context: CallContext
    let name: String
    weak var object: ModelObject?

    init(name: String, layers: [(name: String, module: Module)], tensors: [(name: String, tensor: Tensor)],
         forward: LodeValue, context: CallContext) {
        self.name = name
        self.layers = layers
        self.tensors = tensors
        self.forward = forward
        self.context = context
        super.init()
    }

    override var children: [(name: String, module: Module)] { layers }
    override var ownParameters: [(name: String, tensor: Tensor)] { tensors }
    override var headline: String { name }

    override func callAsFunction(_ x: Tensor) throws -> Tensor {
        let me = object ?? ModelObject(self)
        let result = try context.call(forward, [.object(me), .object(TensorObject(x))])
        guard case .object(let out as TensorObject) = result else {
            throw LodeError(.type, "the forward function of \(name) must return a tensor, got \(result.typeName)",
                            at: context.location)
        }
        return out.tensor
    }
}

/// Parameter tensors and named layers of a scripted block are reachable as `m.name`.
extension ModelObject {
    func scriptedMember(_ name: String) -> LodeValue? {
        guard let block = module as? ScriptedBlock else { return nil }
        return block.tensors.first { $0.name == name }.map { .object(TensorObject($0.tensor)) }
    }
}

