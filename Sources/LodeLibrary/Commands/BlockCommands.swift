import Foundation
import LodeNN
import LodeScript
import LodeTensor

/// Where blocks built without an explicit seed draw their initial weights: one stream per
/// library registration, continued from block to block, so a script builds the same weights
/// every run — and a model written from blocks after `seed_blocks(s)` draws exactly what the
/// Swift model of the same architecture draws from seed s.
final class BlockRandom {
    var generator = RandomStream(seed: 0)

    func draw<T>(_ a: Arguments, _ body: (inout RandomStream) throws -> T) throws -> T {
        if a.values["seed"] != nil, !a.isNil("seed") {
            var own = RandomStream(seed: try a.seed())
            return try body(&own)
        }
        return try body(&generator)
    }
}

/// Building blocks of networks: layers, attention, combinators and blocks with forward
/// passes written in Lode.
enum BlockCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "building blocks")
        let random = BlockRandom()
        let seed = Parameter("seed", .optional(.integer), default: .nil, doc: "seed of the initial weights (the session's block generator when nil)")
        func block(_ module: Module) -> LodeValue { .object(ModelObject(module)) }

        r.add("seed_blocks", [Parameter("seed", .integer, range: .nonNegative, doc: "the new seed")], returns: "nil",
              doc: "Restarts the generator that blocks built without a seed draw their initial weights from.",
              example: "seed_blocks(1)") { a in
            random.generator = RandomStream(seed: try a.seed())
            return .nil
        }
        r.add("conv2d", [Parameter("input", .integer, range: .atLeastOne, doc: "input channels"), Parameter("output", .integer, range: .atLeastOne, doc: "output channels"),
                         Parameter("kernel", .integer, default: 3, range: .atLeastOne, doc: "kernel size"), Parameter("stride", .integer, default: 1, range: .atLeastOne, doc: "stride"),
                         Parameter("padding", .optional(.integer), default: .nil, range: .nonNegative, doc: "zero padding (kernel / 2, \"same\", when nil)"),
                         Parameter("bias", .bool, default: true, doc: "learn a bias per output channel"), seed],
              returns: "model", doc: "A 2-D convolution over windows [N, C, H, W].", example: "conv2d(15, 64, 3, stride: 1, bias: false)") { a in
            try random.draw(a) { rng in
                let kernel = try a.integer("kernel")
                return block(try Conv2d(try a.integer("input"), try a.integer("output"), kernelSize: kernel, stride: try a.integer("stride"),
                                        padding: try a.optionalInteger("padding") ?? kernel / 2, bias: try a.bool("bias"), rng: &rng))
            }
        }
        r.add("batchnorm", [Parameter("channels", .integer, range: .within(1, 1_000_000), doc: "channels normalised")], returns: "model",
              doc: "Batch normalisation over channels (batch statistics while training, running ones in evaluation).", example: "batchnorm(64)") { a in
            block(BatchNorm2d(try a.integer("channels")))
        }
        r.add("layernorm", [Parameter("features", .integer, range: .within(1, 1_000_000), doc: "size of the last axis")], returns: "model",
              doc: "Layer normalisation over the last axis (transformer tokens).", example: "layernorm(256)") { a in
            block(LayerNorm(try a.integer("features")))
        }
        for (name, doc, make, apply) in [
            ("relu", "max(0, x): the rectified linear unit. Given a tensor, applies it; without, returns the layer.", { ReLU() as Module }, { (t: Tensor) in t.relu() }),
            ("gelu", "The Gaussian error linear unit of transformers. Given a tensor, applies it; without, returns the layer.", { GELU() as Module }, { (t: Tensor) in t.gelu() }),
            ("sigmoid", "1 / (1 + e^-x). Given a tensor, applies it; without, returns the layer.", { Sigmoid() as Module }, { (t: Tensor) in t.sigmoid() }),
        ] {
            r.add(name, [Parameter("x", .optional(.object("tensor")), default: .nil, doc: "a tensor to apply it to")], returns: "model or tensor",
                  doc: doc, example: "\(name)()") { a in
                if a.isNil("x") { return block(make()) }
                return .object(TensorObject(apply(try a.typed("x", TensorObject.self, "a tensor").tensor)))
            }
        }
        r.add("linear", [Parameter("input", .integer, range: .atLeastOne, doc: "input features"), Parameter("output", .integer, range: .atLeastOne, doc: "output features"),
                         Parameter("bias", .bool, default: true, doc: "learn a bias"), seed],
              returns: "model", doc: "A fully connected layer y = xWᵀ + b.", example: "linear(256, 2)") { a in
            try random.draw(a) { rng in
                return block(try Linear(try a.integer("input"), try a.integer("output"), bias: try a.bool("bias"), rng: &rng))
            }
        }
        r.add("maxpool", [Parameter("kernel", .integer, default: 2, range: .atLeastOne, doc: "pool size"), Parameter("stride", .optional(.integer), default: .nil, range: .atLeastOne, doc: "stride (the kernel when nil)")],
              returns: "model", doc: "Maximum over kernel×kernel patches.", example: "maxpool(2)") { a in
            block(MaxPool2d(kernelSize: try a.integer("kernel"), stride: try a.optionalInteger("stride")))
        }
        r.add("global_avg_pool", [], returns: "model", doc: "Mean of each channel over the window: [N, C, H, W] → [N, C].", example: "global_avg_pool()") { _ in
            block(GlobalAvgPool())
        }
        r.add("channel_attention", [Parameter("channels", .integer, range: .within(1, 100_000), doc: "channels"), Parameter("reduction", .integer, default: 16, range: .atLeastOne, doc: "squeeze ratio"), seed],
              returns: "model", doc: "Squeeze-and-excitation channel attention (the paper's Eqs. 1-3): channel means → fc → ReLU → fc → sigmoid, scaling each channel.",
              example: "channel_attention(64, reduction: 16)") { a in
            try random.draw(a) { rng in
                return block(try ChannelAttention(channels: try a.integer("channels"), reduction: try a.integer("reduction"), rng: &rng))
            }
        }
        r.add("spatial_attention", [Parameter("kernel", .integer, default: 7, range: .within(1, 1_000), doc: "convolution size"), seed],
              returns: "model", doc: "CBAM spatial attention (Eqs. 4-5): channel mean and max → k×k convolution → sigmoid, scaling each pixel.",
              example: "spatial_attention(kernel: 7)") { a in
            try random.draw(a) { rng in
                return block(try SpatialAttention(kernelSize: try a.integer("kernel"), rng: &rng))
            }
        }
        r.add("sequential", [.variadic("layers", .any, doc: "blocks in order, or one record {name: block, ...} naming them")],
              returns: "model", doc: "Blocks applied one after another. Given a record, each block is keyed by its field name (`{conv: ..., bn: ...}` gives keys conv.weight, bn.weight), which is how blocks written in Lode match the reference model's parameter names.",
              example: "sequential(conv2d(15, 64, 3), batchnorm(64), relu())") { a in
            if a.rest.count == 1, case .record(let record) = a.rest[0] {
                return block(Sequential(named: try record.fields.map { ($0.key, try module($0.value, a, "layers")) }))
            }
            if a.rest.count == 1, case .list(let items) = a.rest[0] {
                return block(Sequential(named: try items.enumerated().map { (String($0.offset), try module($0.element, a, "layers")) }))
            }
            return block(Sequential(named: try a.rest.enumerated().map { (String($0.offset), try module($0.element, a, "layers")) }))
        }
        r.add("residual", [Parameter("body", .object("model"), doc: "the main path"),
                           Parameter("shortcut", .optional(.object("model")), default: .nil, doc: "the skip path (identity when nil)")],
              returns: "model", doc: "body(x) + shortcut(x). The body's named layers keep their names at this level and the shortcut is keyed `shortcut`, as in the paper's improved residual block.",
              example: "residual(body, shortcut: projection(64, 128, 2)) |> then(relu())") { a in
            block(Residual(try module(a["body"], a, "body"), shortcut: a.isNil("shortcut") ? nil : try module(a["shortcut"], a, "shortcut")))
        }
        r.add("then", [Parameter("first", .object("model"), doc: "the block applied first"), Parameter("next", .object("model"), doc: "the block applied to its output")],
              returns: "model", doc: "next(first(x)), keeping first's parameter names (for a final activation after a residual sum).",
              example: "residual(body) |> then(relu())") { a in
            block(Then(try module(a["first"], a, "first"), try module(a["next"], a, "next")))
        }
        r.add("projection", [Parameter("input", .integer, range: .within(1, 10_000_000), doc: "input channels"), Parameter("output", .integer, range: .within(1, 10_000_000), doc: "output channels"),
                             Parameter("stride", .integer, default: 1, range: .atLeastOne, doc: "stride"), seed],
              returns: "model", doc: "The projection shortcut: 1×1 convolution without bias then batch normalisation (keys conv, bn).",
              example: "projection(64, 128, 2)") { a in
            try random.draw(a) { rng in
                let (cin, cout) = (try a.integer("input"), try a.integer("output"))
                return block(Sequential(named: [("conv", try Conv2d(cin, cout, kernelSize: 1, stride: try a.integer("stride"), padding: 0, bias: false, rng: &rng)),
                                              ("bn", BatchNorm2d(cout))]))
            }
        }
        r.add("patch_embedding", [Parameter("input", .integer, range: .within(1, 10_000_000), doc: "input channels"), Parameter("dimension", .integer, range: .within(1, 100_000), doc: "token size"),
                                  Parameter("patch", .integer, default: 4, range: .within(1, 10_000), doc: "patch side in cells"), seed],
              returns: "model", doc: "Cuts windows into patch×patch squares and projects each to a token: [N, C, H, W] → [N, tokens, dimension].",
              example: "patch_embedding(15, 256, patch: 4)") { a in
            try random.draw(a) { rng in
                return block(try PatchEmbedding(inputChannels: try a.integer("input"), dimension: try a.integer("dimension"), patchSize: try a.integer("patch"), rng: &rng))
            }
        }
        r.add("self_attention", [Parameter("dimension", .integer, range: .within(1, 100_000), doc: "token size"), Parameter("heads", .integer, default: 8, range: .within(1, 10_000), doc: "attention heads"), seed],
              returns: "model", doc: "Multi-head self-attention over tokens [N, T, D].", example: "self_attention(256, heads: 8)") { a in
            try random.draw(a) { rng in
                return block(try SelfAttention(dimension: try a.integer("dimension"), heads: try a.integer("heads"), rng: &rng))
            }
        }
        r.add("encoder_block", [Parameter("dimension", .integer, range: .within(1, 100_000), doc: "token size"), Parameter("heads", .integer, default: 8, range: .within(1, 10_000), doc: "attention heads"),
                                Parameter("mlp", .integer, default: 512, range: .within(1, 1_000_000), doc: "hidden size of the MLP"),
                                Parameter("norm", .string, default: "post", doc: "\"post\" (the paper) or \"pre\" layer normalisation"), seed],
              returns: "model", doc: "A transformer encoder block: self-attention and an MLP, each with a residual connection and layer normalisation.",
              example: "encoder_block(256, heads: 8, mlp: 512)") { a in
            try random.draw(a) { rng in
                guard let norm = ModelConfig.NormPlacement(rawValue: try a.string("norm")) else { throw a.failure("norm must be \"post\" or \"pre\"") }
                return block(try EncoderBlock(dimension: try a.integer("dimension"), heads: try a.integer("heads"), mlpHidden: try a.integer("mlp"), norm: norm, rng: &rng))
            }
        }
        r.add("fusion_gate", [Parameter("dimension", .integer, range: .within(1, 100_000), doc: "feature size"), Parameter("hidden", .integer, default: 32, range: .within(1, 100_000), doc: "hidden size"), seed],
              returns: "model", doc: "The fusion gate of Eqs. 7-8: a = sigmoid(W2 ReLU(W1 f)); multiply a feature vector by its gate to weigh it.",
              example: "gate = fusion_gate(256, hidden: 32)") { a in
            try random.draw(a) { rng in
                return block(try FusionGate(dimension: try a.integer("dimension"), hidden: try a.integer("hidden"), rng: &rng))
            }
        }
        r.add("parameter", [Parameter("shape", .list, doc: "the tensor's shape"), Parameter("std", .number, default: 0.02, doc: "standard deviation of the truncated normal start"), seed],
              returns: "tensor", doc: "A trained tensor (such as a class token or position embedding) for a block written in Lode.",
              example: "cls = parameter([1, 1, 256])") { a in
            try random.draw(a) { rng in
                let t = try Initializer.truncatedNormal(try a.sizes("shape"), standardDeviation: Float(try a.number("std")), using: &rng)
                t.requiresGrad = true
                return .object(TensorObject(t))
            }
        }
        r.add("block", [Parameter("parts", .record, doc: "named layers and parameter tensors"),
                        Parameter("forward", .function, doc: "fn(m, x) computing the output from m.name parts"),
                        Parameter("name", .string, default: "Block", doc: "shown in summaries")],
              returns: "model", doc: "A block with a forward pass written in Lode: its parts are keyed by their field names and reached as m.name inside forward, which combines tensors with +, *, concat and the activations.",
              example: "gated = block({f: linear(8, 8), g: fusion_gate(8)}, forward: fn(m, x) => m.f(x) * m.g(m.f(x)))") { a in
            var layers: [(String, Module)] = [], tensors: [(String, Tensor)] = []
            for (key, value) in try a.record("parts").fields {
                switch value {
                case .object(let t as TensorObject): tensors.append((key, t.tensor))
                default: layers.append((key, try module(value, a, "parts")))
                }
            }
            let scripted = ScriptedBlock(name: try a.string("name"), layers: layers, tensors: tensors, forward: a["forward"], context: a.context)
            let object = ModelObject(scripted)
            scripted.object = object
            return .object(object)
        }
        registerTensorOps(r)
    }

    static func module(_ value: LodeValue, _ a: Arguments, _ name: String) throws -> Module {
        guard case .object(let object as ModelObject) = value else {
            throw LodeError(.type, "\(a.command)(): '\(name)' must hold blocks, found \(value.described)", at: a.context.location)
        }
        return object.module
    }

    /// The tensor operations a forward pass written in Lode needs.
    static func registerTensorOps(_ r: Registrar) {
        func tensor(_ a: Arguments, _ name: String) throws -> Tensor { try a.typed(name, TensorObject.self, "a tensor").tensor }
        r.add("concat", [Parameter("tensors", .list, doc: "tensors with equal shapes except along axis"), Parameter("axis", .integer, default: 1, doc: "the axis joined")],
              returns: "tensor", doc: "Joins tensors along an axis (features of two branches side by side).", example: "concat([a, b], axis: 1)") { a in
            let parts = try a.list("tensors").map { value -> Tensor in
                guard case .object(let t as TensorObject) = value else { throw a.failure("tensors must hold tensors, found \(value.described)") }
                return t.tensor
            }
            return .object(TensorObject(try Tensor.concatenated(parts, axis: try a.integer("axis"))))
        }
        r.add("expand", [Parameter("x", .object("tensor"), doc: "a tensor with size-1 axes"), Parameter("shape", .list, doc: "the target shape")],
              returns: "tensor", doc: "Repeats size-1 axes to the given shape (a class token for every window).", example: "expand(m.cls, [n, 1, 256])") { a in
            .object(TensorObject(try tensor(a, "x").expanded(to: try a.sizes("shape"))))
        }
        r.add("slice", [Parameter("x", .object("tensor"), doc: "a tensor"), Parameter("axis", .integer, doc: "the axis"),
                        Parameter("start", .integer, doc: "first index"), Parameter("end", .integer, doc: "one past the last index")],
              returns: "tensor", doc: "The part of a tensor from start to end along one axis.", example: "slice(t, 1, 0, 1)") { a in
            .object(TensorObject(try tensor(a, "x").sliced(axis: try a.integer("axis"), range: try a.integer("start")..<(try a.integer("end")))))
        }
        r.add("first_token", [Parameter("layers", .object("model"), doc: "blocks working on tokens [N, T, D]: an encoder block, or a sequential of them"),
                              Parameter("x", .object("tensor"), doc: "tokens [N, T, D]")],
              returns: "tensor", doc: "Token 0 of layers(x), [N, 1, D]: the same values as slice(layers(x), 1, 0, 1), but a last encoder block computes that row alone (a class-token readout needs no other), about a sixth less work in a four-block ViT.",
              example: "first_token(m.blocks, t)") { a in
            .object(TensorObject(try firstToken(of: try module(a["layers"], a, "layers"), try tensor(a, "x"))))
        }
        r.add("reshape", [Parameter("x", .object("tensor"), doc: "a tensor"), Parameter("shape", .list, doc: "the new shape (same element count)")],
              returns: "tensor", doc: "The same values under another shape.", example: "reshape(t, [n, 256])") { a in
            .object(TensorObject(try tensor(a, "x").reshaped(try a.sizes("shape"))))
        }
        r.add("tensor", [Parameter("values", .list, doc: "numbers (row-major)"), Parameter("shape", .optional(.list), default: .nil, doc: "the shape ([count] when nil)")],
              returns: "tensor", doc: "A tensor from numbers.", example: "tensor([1, 2, 3, 4], shape: [2, 2])") { a in
            let values = try a.numbers("values").map { Float($0) }
            let shape = a.isNil("shape") ? [values.count] : try a.sizes("shape")
            return .object(TensorObject(try Tensor(shape: shape, scalars: values)))
        }
    }
}
