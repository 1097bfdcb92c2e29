import LodeTensor

/// Modules applied one after another under names: positional layers are keyed "0", "1", ...
/// (as nn.Sequential); named layers (`Sequential(named: [("conv", ...), ("bn", ...)])`) key
/// their parameters `conv.weight`, `bn.weight`, which is how blocks written in Lode match the
/// reference model's keys.
public final class Sequential: Module {
    public let layers: [(name: String, module: Module)]

    public init(_ layers: [Module]) {
        self.layers = layers.enumerated().map { (String($0.offset), $0.element) }
        super.init()
    }

    public init(named layers: [(name: String, module: Module)]) {
        self.layers = layers
        super.init()
    }

    public override var children: [(name: String, module: Module)] { layers }
    public override var headline: String { "Sequential(\(layers.map(\.name).joined(separator: ", ")))" }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor { try applying(x, first: layers.count) }

    /// x through the first `count` layers.
    public func applying(_ x: Tensor, first count: Int) throws -> Tensor {
        var y = x
        var i = 0
        while i < count {
            // Convolution, BatchNorm (and ReLU) run as one: BatchNorm folded into the convolution
            // at inference, the ReLU fused into BatchNorm in training.
            if let conv = layers[i].module as? Conv2d, i + 1 < count, let bn = layers[i + 1].module as? BatchNorm2d {
                let thenReLU = i + 2 < count && layers[i + 2].module is ReLU
                y = try conv(y, normalizedBy: bn, thenReLU: thenReLU)
                i += thenReLU ? 3 : 2
            } else {
                y = try layers[i].module(y)
                i += 1
            }
        }
        return y
    }
}

/// A list of modules keyed "0", "1", ... with no forward of its own (nn.ModuleList).
public final class ModuleList: Module {
    public let items: [Module]

    public init(_ items: [Module]) {
        self.items = items
        super.init()
    }

    public override var children: [(name: String, module: Module)] {
        items.enumerated().map { (String($0.offset), $0.element) }
    }
    public override var headline: String { "ModuleList(\(items.count))" }
}

/// `next(first(x))` where `first`'s children keep their keys at this level (so a residual sum
/// followed by an activation keys like the reference's block, not `0.conv1`); `next` is keyed
/// `then` when it has parameters or buffers.
public final class Then: Module {
    public let first: Module
    public let next: Module

    public init(_ first: Module, _ next: Module) {
        self.first = first
        self.next = next
        super.init()
    }

    public override var children: [(name: String, module: Module)] {
        inlinedChildren(of: first) + (next.parameterCount > 0 || !next.namedBuffers().isEmpty ? [("then", next)] : [])
    }
    public override var headline: String { "Then(\(first.headline) → \(next.headline))" }
    public override func callAsFunction(_ x: Tensor) throws -> Tensor { try next(first(x)) }
}

/// `body(x) + shortcut(x)` (identity when there is no shortcut); the body's named layers are
/// keyed at this level and the shortcut under `shortcut`, as in the paper's residual block.
public final class Residual: Module {
    public let body: Module
    public let shortcut: Module?

    public init(_ body: Module, shortcut: Module? = nil) {
        self.body = body
        self.shortcut = shortcut
        super.init()
    }

    public override var children: [(name: String, module: Module)] {
        inlinedChildren(of: body) + (shortcut.map { [("shortcut", $0)] } ?? [])
    }
    public override var headline: String { "Residual(\(shortcut == nil ? "identity" : "projection") shortcut)" }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try body(x)
        let s = try shortcut?(x) ?? x
        guard y.shape == s.shape else {
            throw NNError("residual: the body gives shape \(y.shape) but the shortcut gives \(s.shape); add a projection shortcut")
        }
        return try y + s
    }
}

/// Children of a container shown at the parent's level. Only containers without parameters or
/// training-mode behaviour of their own are inlined; a leaf layer keeps the name "0".
func inlinedChildren(of module: Module) -> [(name: String, module: Module)] {
    if module is Sequential || module is Then || module is Residual { return module.children }
    return [("0", module)]
}

/// Runs every branch on the same input and concatenates the results along `axis`
/// (channels by default); children are keyed "0", "1", ...
public final class Concat: Module {
    public let branches: [Module]
    public let axis: Int

    public init(_ branches: [Module], axis: Int = 1) {
        self.branches = branches
        self.axis = axis
        super.init()
    }

    public override var children: [(name: String, module: Module)] {
        branches.enumerated().map { (String($0.offset), $0.element) }
    }
    public override var headline: String { "Concat(\(branches.count) branches, axis \(axis))" }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Tensor.concatenated(branches.map { try $0(x) }, axis: axis)
    }
}

/// `Parallel` is the same combinator under the name some users look for.
public typealias Parallel = Concat
