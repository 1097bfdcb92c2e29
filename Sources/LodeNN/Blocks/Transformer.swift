import LodeTensor

/// Non-overlapping patches projected by a convolution (kernel = stride = patch size, with
/// bias) and laid out as tokens: [N, C, H, W] → [N, (H/p)·(W/p), dimension]. Its tensors are
/// keyed `weight` and `bias` like the reference's plain `nn.Conv2d`.
public final class PatchEmbedding: Module {
    public let projection: Conv2d

    public init(inputChannels: Int, dimension: Int, patchSize: Int, rng: inout RandomStream) throws {
        projection = try Conv2d(inputChannels, dimension, kernelSize: patchSize, stride: patchSize, rng: &rng)
        super.init()
    }

    public override var ownParameters: [(name: String, tensor: Tensor)] { projection.ownParameters }
    public override var headline: String {
        "PatchEmbedding(\(projection.inputChannels) → \(projection.outputChannels), patch \(projection.kernelSize))"
    }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        let p = try projection(x)
        let (n, d) = (p.shape[0], p.shape[1])
        return try p.reshaped([n, d, p.shape[2] * p.shape[3]]).transposed(1, 2)
    }
}

/// Multi-head scaled dot-product self-attention (PAPER Eq. 6) with a fused qkv projection.
public final class SelfAttention: Module {
    public let qkv: Linear
    public let proj: Linear
    public let heads: Int

    public init(dimension: Int, heads: Int, rng: inout RandomStream) throws {
        guard heads > 0, dimension % heads == 0 else {
            throw NNError("SelfAttention: dimension \(dimension) is not divisible by \(heads) heads")
        }
        qkv = try Linear(dimension, 3 * dimension, rng: &rng)
        proj = try Linear(dimension, dimension, rng: &rng)
        self.heads = heads
        super.init()
    }

    public override var children: [(name: String, module: Module)] { [("qkv", qkv), ("proj", proj)] }
    public override var headline: String { "SelfAttention(\(proj.inputFeatures), \(heads) heads)" }

    /// softmax(QKᵀ/√d_head) of tokens x [N, T, D]: [N, heads, T, T], row i holding how much
    /// query token i draws on every token (each row sums to 1).
    public func attentionWeights(_ x: Tensor) throws -> Tensor {
        let (q, k, _) = try attentionHeads(x, qkvWeight: qkv.weight, qkvBias: qkv.bias, heads: heads)
        return try LodeTensor.attentionWeights(queries: q, keys: k)
    }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        // The fused forward never forms the weights; they are computed a second time, from
        // the same projection, only while a recording asks for them.
        if let recorder = AttentionRecorder.active { recorder.record(self, .selfAttention, try attentionWeights(x)) }
        return try multiHeadSelfAttention(x, qkvWeight: qkv.weight, qkvBias: qkv.bias, projectionWeight: proj.weight,
                                          projectionBias: proj.bias, heads: heads)
    }

    /// self(x) at token 0 alone, [N, 1, D] (recorded whole, like a full call).
    public func firstToken(_ x: Tensor) throws -> Tensor {
        if let recorder = AttentionRecorder.active { recorder.record(self, .selfAttention, try attentionWeights(x)) }
        return try firstTokenSelfAttention(x, qkvWeight: qkv.weight, qkvBias: qkv.bias, projectionWeight: proj.weight,
                                           projectionBias: proj.bias, heads: heads)
    }
}

/// A transformer encoder block: attention and a GELU MLP, each with a residual sum; LayerNorm
/// after each sum (post-norm, the paper's "MSA-LN-MLP-LN") or before each sub-layer (pre-norm).
public final class EncoderBlock: Module {
    public let ln1: LayerNorm
    public let attn: SelfAttention
    public let ln2: LayerNorm
    public let fc1: Linear
    public let fc2: Linear
    public let norm: ModelConfig.NormPlacement

    public init(dimension: Int, heads: Int, mlpHidden: Int, norm: ModelConfig.NormPlacement = .post,
                rng: inout RandomStream) throws {
        ln1 = LayerNorm(dimension)
        attn = try SelfAttention(dimension: dimension, heads: heads, rng: &rng)
        ln2 = LayerNorm(dimension)
        fc1 = try Linear(dimension, mlpHidden, rng: &rng)
        fc2 = try Linear(mlpHidden, dimension, rng: &rng)
        self.norm = norm
        super.init()
    }

    public override var children: [(name: String, module: Module)] {
        [("ln1", ln1), ("attn", attn), ("ln2", ln2), ("fc1", fc1), ("fc2", fc2)]
    }
    public override var headline: String { "EncoderBlock(\(fc1.inputFeatures), mlp \(fc1.outputFeatures), \(norm.rawValue)-norm)" }

    func mlp(_ x: Tensor) throws -> Tensor { try fc2(fc1(x).gelu()) }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        switch norm {
        case .post:
            let y = try ln1(x + attn(x))
            return try ln2(y + mlp(y))
        case .pre:
            let y = try x + attn(ln1(x))
            return try y + mlp(ln2(y))
        }
    }

    /// self(x) at token 0 alone, [N, 1, D]: attention reads every token's keys and values, and
    /// the rest of the block works token by token, so only the first token's row is computed.
    public func firstToken(_ x: Tensor) throws -> Tensor {
        let first = try x.sliced(axis: 1, range: 0..<1)
        switch norm {
        case .post:
            let y = try ln1(first + attn.firstToken(x))
            return try ln2(y + mlp(y))
        case .pre:
            let y = try first + attn.firstToken(ln1(x))
            return try y + mlp(ln2(y))
        }
    }
}

/// Token 0 of layers(x) for tokens x [N, T, D], [N, 1, D]: the same values as
/// layers(x)[:, 0:1]. An encoder block last in line computes that row alone (attention reads
/// every token's keys and values; the rest of the block works token by token), so a readout of
/// the [CLS] token skips most of the last block: about a sixth of a four-block ViT's work.
/// `layers`: an encoder block, or a Sequential whose last layer is one; anything else runs
/// whole and is sliced.
public func firstToken(of layers: Module, _ x: Tensor) throws -> Tensor {
    if let block = layers as? EncoderBlock { return try block.firstToken(x) }
    if let sequence = layers as? Sequential, let last = sequence.layers.last?.module, last is EncoderBlock || last is Sequential {
        return try firstToken(of: last, sequence.applying(x, first: sequence.layers.count - 1))
    }
    return try layers(x).sliced(axis: 1, range: 0..<1)
}

/// The global spatial correlation branch (ViT): patch tokens, a learnable [CLS] token and
/// position embedding, encoder blocks (a final LayerNorm with pre-norm), then the [CLS]
/// vector → linear → f_sc.
public final class ViTBranch: Module {
    public let patch: PatchEmbedding
    public let cls: Tensor
    public let pos: Tensor
    public let blocks: ModuleList
    public let encoderBlocks: [EncoderBlock]
    public let norm: LayerNorm?
    public let fc: Linear

    public init(config: ModelConfig, rng: inout RandomStream) throws {
        let tokens = (config.window / config.patchSize) * (config.window / config.patchSize)
        patch = try PatchEmbedding(inputChannels: config.inputChannels, dimension: config.vitDimension,
                                   patchSize: config.patchSize, rng: &rng)
        cls = trained(try Initializer.truncatedNormal([1, 1, config.vitDimension], using: &rng))
        pos = trained(try Initializer.truncatedNormal([1, tokens + 1, config.vitDimension], using: &rng))
        encoderBlocks = try (0..<config.vitDepth).map { _ in
            try EncoderBlock(dimension: config.vitDimension, heads: config.vitHeads, mlpHidden: config.vitMLP,
                             norm: config.vitNorm, rng: &rng)
        }
        blocks = ModuleList(encoderBlocks)
        norm = config.vitNorm == .pre ? LayerNorm(config.vitDimension) : nil
        fc = try Linear(config.vitDimension, config.featureDimension, rng: &rng)
        super.init()
    }

    public override var ownParameters: [(name: String, tensor: Tensor)] { [("cls", cls), ("pos", pos)] }
    public override var children: [(name: String, module: Module)] {
        var c: [(name: String, module: Module)] = [("patch", patch), ("blocks", blocks)]
        if let norm { c.append(("norm", norm)) }
        c.append(("fc", fc))
        return c
    }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        let tokens = try patch(x)
        let (n, d) = (tokens.shape[0], tokens.shape[2])
        var t = try Tensor.concatenated([cls.expanded(to: [n, 1, d]), tokens], axis: 1) + pos
        // Only the [CLS] token is read out, so the last block computes its row alone (a sixth
        // of the branch's multiply-adds at 65 tokens and depth 4).
        for block in encoderBlocks.dropLast() { t = try block(t) }
        t = try encoderBlocks.last?.firstToken(t) ?? t.sliced(axis: 1, range: 0..<1)
        if let norm { t = try norm(t) }
        return try fc(t.reshaped([n, d]))
    }
}

/// The fusion gate of PAPER Eqs. 7-8: a = sigmoid(W2 ReLU(W1 f)).
public final class FusionGate: Module {
    public let w1: Linear
    public let w2: Linear

    public init(dimension: Int, hidden: Int, rng: inout RandomStream) throws {
        w1 = try Linear(dimension, hidden, rng: &rng)
        w2 = try Linear(hidden, dimension, rng: &rng)
        super.init()
    }

    public override var children: [(name: String, module: Module)] { [("w1", w1), ("w2", w2)] }
    public override var headline: String { "FusionGate(\(w1.inputFeatures) → \(w1.outputFeatures) → \(w2.outputFeatures))" }

    /// The gate values (not yet multiplied into f).
    public override func callAsFunction(_ f: Tensor) throws -> Tensor { try w2(w1(f).relu()).sigmoid() }
}
