import LodeEval
import LodeGeo
import LodeNN
import LodeScript
import LodeTensor

/// Reading out what a model's attention blocks do on given windows: the weights of every
/// channel, spatial and self-attention block, and the [CLS] token's view of the patches.
enum InspectCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "attention")
        r.add("attention", [Parameter("model", .object("model"), doc: "a model or block: built-in (ssgsnet, resnet, vit) or built from blocks"),
                            Parameter("x", .any, doc: "windows: a tensor [N, C, H, W] (tokens [N, T, D] for a lone self_attention), or a dataset")],
              returns: "record",
              doc: "Runs the model on x in evaluation mode and returns the weights of every attention block it passes through, keyed like its parameters (`ss.layers.0.block1.ca`, `sc.blocks.1.attn`): channel attention [N, C] (the gate of each channel, 0 to 1), spatial attention [N, H, W] (the weight of each cell, 0 to 1), self-attention [N, heads, T, T] (row i: how query token i spreads its attention over all tokens; each row sums to 1; token 0 is [CLS] inside a ViT). A lone block is keyed by its command name.",
              example: "maps = attention(net, slice(data.val.tensor, 0, 0, 2))") { a in
            let module = try a.typed("model", ModelObject.self, "a model").module
            let x = try windows(a, "x").tensor
            guard !module.attentionModules.isEmpty else {
                throw a.failure("\(module.headline) has no channel, spatial or self-attention block, so there are no attention weights to read",
                                hint: "ssgsnet, resnet, vit and blocks built with channel_attention, spatial_attention, self_attention or encoder_block have them")
            }
            let readout: AttentionReadout
            do {
                readout = try module.readAttention(x)
            } catch let error as LodeError where error.kind == .interrupted || error.kind == .budget {
                throw error
            } catch let error as LodeError {
                throw a.failure("the model cannot run on x of shape \(x.shape): \(error.message)")
            } catch {
                throw a.failure("the model cannot run on x of shape \(x.shape): \(error)")
            }
            return .record(LodeRecord(readout.maps.map { map -> (String, LodeValue) in
                (map.key.isEmpty ? blockName(map.kind) : map.key, .object(TensorObject(map.weights)))
            }))
        }
        r.add("cls_attention", [Parameter("weights", .object("tensor"), doc: "self-attention weights [N, heads, T, T] of a ViT block, from attention()"),
                                Parameter("index", .optional(.integer), default: .nil, doc: "one window (all when nil)")],
              returns: "tensor",
              doc: "How much the [CLS] token, whose vector the classifier reads, attends to each patch, laid out on the patch grid: row 0 of the weights without its first column, reshaped to [N, heads, g, g] ([heads, g, g] for one window), where T = 1 + g². Show it with plot_image.",
              example: "plot_image(cls_attention(maps[\"sc.blocks.1.attn\"], index: 0), title: \"[CLS] → patches\")") { a in
            let w = try a.typed("weights", TensorObject.self, "a tensor").tensor
            guard w.rank == 4, w.shape[2] == w.shape[3] else {
                throw a.failure("weights must be self-attention weights [N, heads, T, T], got shape \(w.shape)")
            }
            let (n, heads, tokens) = (w.shape[0], w.shape[1], w.shape[2])
            let side = Int(Double(tokens - 1).squareRoot().rounded())
            guard tokens > 1, side * side == tokens - 1 else {
                throw a.failure("the weights have T = \(tokens) tokens; [CLS] plus a square grid of patches needs T = 1 + g² (e.g. 17 or 65)")
            }
            var picked = 0..<n
            if let index = try a.optionalInteger("index") {
                guard (0..<n).contains(index) else { throw a.failure("index \(index) is out of range for \(n) windows") }
                picked = index..<(index + 1)
            }
            var out: [Float] = []
            out.reserveCapacity(picked.count * heads * (tokens - 1))
            for window in picked {
                for head in 0..<heads {
                    let row = ((window * heads + head) * tokens) * tokens     // query 0 = [CLS]
                    for patch in 1..<tokens { out.append(w.pointer[row + patch]) }
                }
            }
            let shape = a.isNil("index") ? [n, heads, side, side] : [heads, side, side]
            return .object(TensorObject(try Tensor(shape: shape, scalars: out)))
        }
    }

    /// The record key of a lone attention block: the command that builds it.
    static func blockName(_ kind: AttentionKind) -> String {
        switch kind {
        case .channel: return "channel_attention"
        case .spatial: return "spatial_attention"
        case .selfAttention: return "self_attention"
        }
    }

    /// Windows given as a tensor or a dataset (with the dataset, for its layer names and labels).
    static func windows(_ a: Arguments, _ name: String) throws -> (tensor: Tensor, data: Dataset?) {
        switch a[name] {
        case .object(let t as TensorObject): return (t.tensor, nil)
        case .object(let d as DatasetObject): return (try d.data.tensor(), d.data)
        default:
            throw LodeError(.type, "argument '\(name)' of \(a.command)() must be a tensor or a dataset, got \(a[name].described)",
                            at: a.context.location)
        }
    }
}
