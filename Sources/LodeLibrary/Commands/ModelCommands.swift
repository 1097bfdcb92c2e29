import LodeEval
import Foundation
import LodeNN
import LodeScript
import LodeTensor

/// The paper's four models, weights in and out, and forward passes.
enum ModelCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "models")
        // ssgsnet(), resnet(), vit() and dualbranch() are written in Lode (stdlib/models.lode).
        r.add("with_contract", [Parameter("model", .object("model"), doc: "a model"),
                                Parameter("channels", .integer, doc: "input layers"),
                                Parameter("window", .integer, doc: "window side in cells"),
                                Parameter("classes", .integer, default: 2, doc: "output classes"),
                                Parameter("layers", .optional(.list), default: .nil, doc: "the layer names, in channel order")],
              returns: "model", doc: "Declares what a model takes: windows of `channels` layers, `window` cells square (and gives `classes` logits). predict_map, shap and checkpoints ask the model for this; training sets it from the data when it is missing.",
              example: "model = sequential(conv2d(15, 8, 3), relu(), global_avg_pool(), linear(8, 2)) |> with_contract(channels: 15, window: 16)") { a in
            let model = try a.typed("model", ModelObject.self, "a model")
            let channels = try a.integer("channels"), window = try a.integer("window"), classes = try a.integer("classes")
            guard channels >= 1 else { throw a.failure("channels is \(channels); it must be at least 1") }
            guard window >= 1 else { throw a.failure("window is \(window); it must be at least 1") }
            guard classes >= 2 else { throw a.failure("classes is \(classes); a classifier has at least 2") }
            let names = a.isNil("layers") ? nil : try a.strings("layers")
            if let names, names.count != channels { throw a.failure("\(names.count) layer names for \(channels) channels") }
            model.module.contract = InputContract(channels: channels, window: window, classes: classes, layerNames: names)
            return .object(model)
        }
        r.add("load_weights", [Parameter("model", .object("model"), doc: "the model to fill (built with the same architecture)"), Parameter("path", .string, doc: "a safetensors file"),
                               Parameter("prefix", .string, default: "", doc: "key prefix in the file (e.g. \"param.\")")],
              returns: "model", doc: "Loads parameters and running statistics from a safetensors file: Lode's checkpoints (save(model, ...), train(best:, checkpoint:)) or PyTorch's state dict. Every key must match in name and shape, and a Lode checkpoint's input contract must fit the model; nothing changes when one does not. The model takes the checkpoint's contract (channels, window, layer names).",
              example: "load_weights(ssgsnet(preset: \"tiny\"), \"ssgsnet.safetensors\")") { a in
            let model = try a.typed("model", ModelObject.self, "a model")
            let path = try a.string("path"), prefix = try a.string("prefix")
            if prefix.isEmpty {
                try model.module.loadCheckpoint(path: path)
                return .object(model)
            }
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
