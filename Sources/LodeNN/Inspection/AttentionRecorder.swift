import LodeTensor

/// What an attention module computes its weights for.
public enum AttentionKind: String, Sendable {
    /// ChannelAttention: the sigmoid gate of each channel, [N, C].
    case channel
    /// SpatialAttention: the sigmoid weight of each cell, [N, H, W].
    case spatial
    /// SelfAttention: softmax(QKᵀ/√d_head) per head, [N, heads, T, T], rows are queries.
    case selfAttention = "self"
}

/// Where attention modules report their weights while a recording is active.
///
/// Why a recorder bound to the current task rather than hooks stored in the modules or an
/// `attentionWeights` output on every forward: the attention modules sit anywhere in a tree
/// (built-in models, blocks, trees assembled in Lode whose forward passes are scripts), and
/// only they know their weights. With a task-local recorder each module asks "is anyone
/// recording?" (one nil check when nobody is, so training and inference pay nothing) and the
/// modules need no knowledge of their parents or keys. The binding is scoped: it ends when the
/// recording's closure returns or throws, so a failing forward leaves nothing behind, and a
/// forward running concurrently on another thread (a map being predicted) is never recorded.
final class AttentionRecorder: @unchecked Sendable {
    /// The recording in progress on this task or thread, if any.
    @TaskLocal static var active: AttentionRecorder?

    /// Dotted keys of the recorded tree's modules by identity.
    private let keys: [ObjectIdentifier: String]
    private(set) var maps: [AttentionMap] = []
    private var calls: [String: Int] = [:]
    private var outside = 0

    init(root: Module) {
        var keys: [ObjectIdentifier: String] = [:]
        for (key, module) in root.namedModules() where keys[ObjectIdentifier(module)] == nil {
            keys[ObjectIdentifier(module)] = key
        }
        self.keys = keys
    }

    /// Stores one call's weights under the module's key. A module called twice in one pass
    /// (shared weights) gets `key#2` for its second call; a module outside the recorded tree
    /// (a block a scripted forward reaches without declaring it as a part) is keyed
    /// `outside.0`, `outside.1`, ... in call order.
    func record(_ module: Module, _ kind: AttentionKind, _ weights: Tensor) {
        var key: String
        if let known = keys[ObjectIdentifier(module)] {
            key = known
        } else {
            key = "outside.\(outside)"
            outside += 1
        }
        let call = calls[key, default: 0] + 1
        calls[key] = call
        if call > 1 { key += "#\(call)" }
        maps.append(AttentionMap(key: key, kind: kind, weights: weights.detached()))
    }
}
