import LodeNN
import LodeScript
import LodeTensor

/// Layers applied in order under the names a record gives them: `sequential({conv: ..., bn: ...})`
/// keys its parameters `conv.weight`, `bn.weight`, like the reference's modules; positional
/// layers are keyed "0", "1", ... as nn.Sequential.
final class NamedSequential: Module {
    let layers: [(name: String, module: Module)]

    init(_ layers: [(name: String, module: Module)]) {
        self.layers = layers
        super.init()
    }

    override var children: [(name: String, module: Module)] { layers }
    override var headline: String { "Sequential(\(layers.map(\.name).joined(separator: ", ")))" }

    override func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = x
        for (_, layer) in layers { y = try layer(y) }
        return y
    }
}

/// `next(first(x))` where the keys of `first`'s children stay at this level (so
/// `residual(...) |> then(relu())` keys like the reference's block, not `0.conv1`).
final class ThenBlock: Module {
    let first: Module
    let next: Module

    init(_ first: Module, _ next: Module) {
        self.first = first
        self.next = next
        super.init()
    }

    override var children: [(name: String, module: Module)] {
        inlinedChildren(of: first) + (next.parameterCount > 0 || !next.namedBuffers().isEmpty ? [("then", next)] : [])
    }
    override var headline: String { "Then(\(first.headline) → \(next.headline))" }
    override func callAsFunction(_ x: Tensor) throws -> Tensor { try next(first(x)) }
}

/// `body(x) + shortcut(x)` (identity when there is no shortcut); the body's named layers are
/// keyed at this level and the shortcut under `shortcut`, as in the paper's residual block.
final class ResidualBlock: Module {
    let body: Module
    let shortcut: Module?

    init(_ body: Module, shortcut: Module?) {
        self.body = body
        self.shortcut = shortcut
        super.init()
    }

    override var children: [(name: String, module: Module)] {
        inlinedChildren(of: body) + (shortcut.map { [("shortcut", $0)] } ?? [])
    }
    override var headline: String { "Residual(\(shortcut == nil ? "identity" : "projection") shortcut)" }

    override func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try body(x)
        let s = try shortcut?(x) ?? x
        guard y.shape == s.shape else {
            throw LodeError(.type, "residual: the body gives shape \(y.shape) but the shortcut gives \(s.shape)",
                            hint: "add shortcut: projection(cin, cout, stride)")
        }
        return try y + s
    }
}

/// Children of a container block shown at the parent's level. Only containers without
/// parameters or training-mode behaviour of their own are inlined; a leaf layer keeps a name.
func inlinedChildren(of module: Module) -> [(name: String, module: Module)] {
    if module is NamedSequential || module is ThenBlock || module is ResidualBlock { return module.children }
    return [("0", module)]
}

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

