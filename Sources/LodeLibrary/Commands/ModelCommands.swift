import Foundation
import LodeNN
import LodeScript
import LodeTensor

/// The paper's four models, weights in and out, and forward passes.
enum ModelCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "models")
        let models: [(String, ModelKind, String)] = [
            ("ssgsnet", .ssgsnet, "SSGSNet, the paper's model: a spectral-spatial branch of improved residual blocks (channel and spatial attention) beside a ViT branch, fused by learned gates."),
            ("resnet", .resnet, "The ResNet baseline: SSGSNet's spectral-spatial branch alone with a linear head."),
            ("vit", .vit, "The ViT baseline: SSGSNet's transformer branch alone with a linear head."),
            ("dualbranch", .dualbranch, "The DualBranchNet baseline: a small CNN beside an MLP on channel means."),
        ]
        for (name, kind, doc) in models {
            r.add(name, [Parameter("channels", .integer, default: 15, range: .within(1, 100_000), doc: "input layers"),
                         Parameter("preset", .string, default: "paper", doc: "\"paper\" (full width) or \"tiny\" (the fixtures' narrow widths)"),
                         Parameter("window", .integer, default: 32, range: .within(1, 100_000), doc: "window side in cells"),
                         Parameter("widths", .optional(.list), default: .nil, doc: "override the residual stage widths"),
                         Parameter("seed", .integer, default: 0, range: .nonNegative, doc: "seed of the initial weights")],
                  returns: "model", doc: doc + " Built with PyTorch's default initialisation; parameter keys equal the reference implementation's.",
                  example: "model = \(name)(channels: 15, preset: \"tiny\")") { a in
                var config: ModelConfig
                switch try a.string("preset") {
                case "paper": config = .paper
                case "tiny": config = .tiny
                case let other: throw a.failure("unknown preset '\(other)'", hint: "choose \"paper\" or \"tiny\"")
                }
                config.inputChannels = try a.integer("channels")
                config.window = try a.integer("window")
                if !a.isNil("widths") { config.widths = try a.sizes("widths") }
                return .object(ModelObject(try makeModel(kind, config: config, seed: try a.seed())))
            }
        }
        r.add("load_weights", [Parameter("model", .object("model"), doc: "the model to fill"), Parameter("path", .string, doc: "a safetensors file"),
                               Parameter("prefix", .string, default: "", doc: "key prefix in the file (e.g. \"param.\")")],
              returns: "model", doc: "Loads parameters and running statistics from a safetensors file (Lode's own or PyTorch's state dict). Every key must match in name and shape; nothing changes when one does not.",
              example: "load_weights(model, \"ssgsnet.safetensors\")") { a in
            let model = try a.typed("model", ModelObject.self, "a model")
            let path = try a.string("path"), prefix = try a.string("prefix")
            let file = try SafetensorsFile.read(path: path)
            var values: [String: Tensor] = [:]
            for (key, array) in file.arrays where key.hasPrefix(prefix) && !key.hasSuffix("num_batches_tracked") {
                values[String(key.dropFirst(prefix.count))] = array.tensor()
            }
            try model.module.loadStateDict(values, source: path)
            return .object(model)
        }
        r.add("load_tensor", [Parameter("path", .string, doc: "a safetensors file"), Parameter("key", .string, doc: "the tensor's name")],
              returns: "tensor", doc: "Reads one tensor from a safetensors file.", example: "x = load_tensor(\"fixture.safetensors\", \"input.x\")") { a in
            .object(TensorObject(try SafetensorsFile.read(path: try a.string("path")).tensor(try a.string("key"))))
        }
        r.add("forward", [Parameter("model", .object("model"), doc: "a model or block"), Parameter("x", .object("tensor"), doc: "input [N, C, H, W]")],
              returns: "tensor", doc: "The model's output in evaluation mode (running BatchNorm statistics, no gradients).",
              example: "logits = forward(model, x)") { a in
            let module = try a.typed("model", ModelObject.self, "a model").module
            let wasTraining = module.isTraining
            module.eval()
            defer { module.train(wasTraining) }
            let x = try a.typed("x", TensorObject.self, "a tensor").tensor
            return .object(TensorObject(try noGrad { try module(x) }))
        }
        r.add("train_mode", [Parameter("model", .object("model"), doc: "a model"), Parameter("on", .bool, default: true, doc: "training (true) or evaluation (false)")],
              returns: "model", doc: "Switches a model between training and evaluation mode (BatchNorm statistics).", example: "train_mode(model, false)") { a in
            let model = try a.typed("model", ModelObject.self, "a model")
            model.module.train(try a.bool("on"))
            return .object(model)
        }
    }
}
