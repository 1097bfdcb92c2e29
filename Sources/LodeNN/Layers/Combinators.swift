import LodeTensor

/// Modules applied one after another; children are keyed "0", "1", ... (as nn.Sequential).
public final class Sequential: Module {
    public let layers: [Module]

    public init(_ layers: [Module]) {
        self.layers = layers
        super.init()
    }

    public override var children: [(name: String, module: Module)] {
        layers.enumerated().map { (String($0.offset), $0.element) }
    }
    public override var headline: String { "Sequential(\(layers.count) layers)" }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = x
        for layer in layers { y = try layer(y) }
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

/// activation(body(x) + shortcut(x)); the shortcut is the identity when nil.
public final class Residual: Module {
    public let body: Module
    public let shortcut: Module?
    public let activation: Module?

    public init(_ body: Module, shortcut: Module? = nil, activation: Module? = nil) {
        self.body = body
        self.shortcut = shortcut
        self.activation = activation
        super.init()
    }

    public override var children: [(name: String, module: Module)] {
        var c: [(name: String, module: Module)] = [("body", body)]
        if let shortcut { c.append(("shortcut", shortcut)) }
        if let activation { c.append(("activation", activation)) }
        return c
    }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try body(x)
        let s = try shortcut?(x) ?? x
        guard y.shape == s.shape else {
            throw NNError("Residual: body gives shape \(y.shape) but the shortcut gives \(s.shape); add a projection shortcut")
        }
        let sum = try y + s
        return try activation?(sum) ?? sum
    }
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
