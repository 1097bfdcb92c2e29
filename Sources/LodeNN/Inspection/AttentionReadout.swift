import LodeTensor

/// The weights one attention module used in a forward pass.
public struct AttentionMap {
    /// The module's dotted key in the tree (the prefix of its state-dict keys, e.g.
    /// `ss.layers.0.block1.ca`); "" when the recorded module is itself the attention block.
    public let key: String
    public let kind: AttentionKind
    /// [N, C] (channel), [N, H, W] (spatial) or [N, heads, T, T] (self-attention).
    public let weights: Tensor
}

/// A forward pass's output and the weights of every attention module it ran, in call order.
public struct AttentionReadout {
    public let output: Tensor
    public let maps: [AttentionMap]

    /// The keys of the recorded modules in the order the forward pass reached them.
    public var keys: [String] { maps.map(\.key) }

    public subscript(key: String) -> AttentionMap? { maps.first { $0.key == key } }
}

extension Module {
    /// Runs the forward pass on `x` in evaluation mode without gradients and collects the
    /// weights of every channel, spatial and self-attention module it reaches, keyed by their
    /// place in this tree. Every module's training flag is restored afterwards, also when the
    /// forward pass throws.
    public func readAttention(_ x: Tensor) throws -> AttentionReadout {
        let modules = namedModules().map(\.module)
        let modes = modules.map(\.isTraining)
        eval()
        defer { for (module, mode) in zip(modules, modes) { module.isTraining = mode } }
        let recorder = AttentionRecorder(root: self)
        let output = try AttentionRecorder.$active.withValue(recorder) { try noGrad { try self(x) } }
        return AttentionReadout(output: output, maps: recorder.maps)
    }
}

extension Module {
    /// The attention modules of this tree with their dotted keys, in declaration order.
    public var attentionModules: [(key: String, kind: AttentionKind)] {
        var found: [(key: String, kind: AttentionKind)] = []
        for (key, module) in namedModules() {
            switch module {
            case is ChannelAttention: found.append((key, .channel))
            case is SpatialAttention: found.append((key, .spatial))
            case is SelfAttention: found.append((key, .selfAttention))
            default: break
            }
        }
        return found
    }
}
