import LodeTensor

/// A building block of a network: it owns parameters (trained tensors), buffers (state such as
/// BatchNorm running statistics) and named child modules.
///
/// Every value is reachable by a dotted key built from the names a module gives its children
/// and tensors (`ss.layers.0.block1.ca.fc1.weight`); the keys equal the PyTorch reference's
/// state-dict keys, so checkpoints move between the two. Subclasses declare what they own by
/// overriding `children`, `ownParameters` and `ownBuffers` (explicit lists: cheap to walk and
/// the key names are visible in the code), and compute in `callAsFunction`.
open class Module: CustomStringConvertible {
    /// Training mode (BatchNorm uses batch statistics and updates its running ones) or
    /// evaluation mode. Set for a whole tree with `train()` / `eval()`.
    public internal(set) var isTraining = true
    /// The windows this model takes (set by the built-in models, by training, or by loading a
    /// checkpoint); nil for a block that has not met data yet.
    public var contract: InputContract?

    public init() {}

    /// Child modules with the key segment of each, in declaration order.
    open var children: [(name: String, module: Module)] { [] }
    /// Trained tensors owned directly by this module.
    open var ownParameters: [(name: String, tensor: Tensor)] { [] }
    /// Non-trained state owned directly by this module (saved in the state dict).
    open var ownBuffers: [(name: String, tensor: Tensor)] { [] }

    /// One line describing this module's own settings, e.g. `Conv2d(15 → 64, kernel 3, padding 1)`.
    open var headline: String { String(describing: type(of: self)) }

    /// The forward pass. Containers without a computation of their own (lists) throw.
    open func callAsFunction(_ x: Tensor) throws -> Tensor {
        throw NNError("\(headline) has no forward pass of its own; call its children")
    }

    // MARK: Traversal

    /// Every module of the tree with its dotted key prefix ("" for the root), depth first.
    public func namedModules(prefix: String = "") -> [(key: String, module: Module)] {
        var out: [(String, Module)] = [(prefix, self)]
        for (name, child) in children {
            out += child.namedModules(prefix: prefix.isEmpty ? name : prefix + "." + name)
        }
        return out
    }

    private func collect(_ pick: (Module) -> [(name: String, tensor: Tensor)]) -> [(key: String, tensor: Tensor)] {
        var out: [(key: String, tensor: Tensor)] = []
        for (prefix, module) in namedModules() {
            for (name, t) in pick(module) { out.append((prefix.isEmpty ? name : prefix + "." + name, t)) }
        }
        return out
    }

    /// Trained tensors by dotted key, in the reference's order.
    public func namedParameters() -> [(key: String, tensor: Tensor)] { collect { $0.ownParameters } }
    /// Buffers (running statistics) by dotted key.
    public func namedBuffers() -> [(key: String, tensor: Tensor)] { collect { $0.ownBuffers } }
    /// The trained tensors (what an optimiser updates).
    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }
    /// Number of trained scalars.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    // MARK: Mode

    /// Puts the whole tree in training mode (or evaluation mode with `false`).
    public func train(_ on: Bool = true) {
        for (_, m) in namedModules() { m.isTraining = on }
    }

    /// Puts the whole tree in evaluation mode.
    public func eval() { train(false) }

    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in parameters() { p.grad = nil } }

    // MARK: Summary

    /// The tree with each module's settings, its own tensors' shapes and parameter counts.
    public var summary: String {
        var lines: [String] = []
        func walk(_ m: Module, name: String, depth: Int) {
            let indent = String(repeating: "  ", count: depth)
            let count = m.parameterCount
            let label = name.isEmpty ? m.headline : "(\(name)) \(m.headline)"
            lines.append("\(indent)\(label)\(count > 0 ? "  [\(formatCount(count)) params]" : "")")
            for (n, t) in m.ownParameters { lines.append("\(indent)  \(n) \(t.shape)") }
            for (n, t) in m.ownBuffers { lines.append("\(indent)  \(n) \(t.shape) (buffer)") }
            for (n, c) in m.children { walk(c, name: n, depth: depth + 1) }
        }
        walk(self, name: "", depth: 0)
        lines.append("total: \(formatCount(parameterCount)) parameters")
        return lines.joined(separator: "\n")
    }

    public var description: String { summary }
}

/// 13684106 → "13,684,106".
func formatCount(_ n: Int) -> String {
    let digits = Array(String(n))
    var out = ""
    for (i, d) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(d)
    }
    return out
}
