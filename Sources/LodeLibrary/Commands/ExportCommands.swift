import Foundation
import LodeGeo
import LodeNN
import LodeScript
import LodeTensor

/// Moving a survey's training to PyTorch (python/lode_torch, docs/scale.md) and back: the
/// windows out as a dataset file, the trained checkpoint's description in.
enum ExportCommands {
    /// The dataset file's format name; python/lode_torch/lode_torch/data.py reads the same.
    static let datasetFormat = "lode-dataset-1"

    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "files")
        r.add("export_dataset", [Parameter("data", .object("dataset"), doc: "labelled windows, split or not"),
                                 Parameter("path", .string, doc: "the file to write, ending in .safetensors")],
              returns: "string",
              doc: "Writes a dataset for training elsewhere (python/lode_torch under torchrun, on a cluster or GPUs; see docs/scale.md): `windows` [N, C, k, k] float32, `labels` [N] (1 deposit, 0 barren), `sites` [N] (the site each window was cut around, an index into the metadata's site_ids: augmented copies share it), `centre_x`/`centre_y` [N], and for a split dataset `train_indices` and `validation_indices`; the metadata names the layers in channel order, the window side and the split, which the checkpoint trained from it carries back so predict_map checks the stack. Returns the path.",
              example: "export_dataset(data, \"out/windows.safetensors\")") { a in
            let object = try a.typed("data", DatasetObject.self, "a dataset")
            let path = try a.string("path")
            guard !path.isEmpty else { throw a.failure("the path is empty", hint: "give a file name such as \"out/windows.safetensors\"") }
            let url = URL(fileURLWithPath: path)
            guard url.pathExtension.lowercased() == "safetensors" else {
                throw a.failure("'\(path)' does not end in .safetensors", hint: "datasets are written as safetensors: \"windows.safetensors\"")
            }
            let data = object.data
            guard data.count > 0 else { throw a.failure("the dataset has no windows", hint: "check the sites given to windows()") }
            let unlabelled = data.labels.filter { $0 != 0 && $0 != 1 }.count
            if unlabelled > 0 {
                WorkMonitor.warn("\(unlabelled) of \(data.count) windows have no label (neither 1 = deposit nor 0 = barren); training refuses them")
            } else if Set(data.labels).count < 2 {
                WorkMonitor.warn("every window has label \(data.labels[0]); a classifier needs both deposits and barren windows")
            }
            let file = try datasetFile(data, split: object.split)
            let folder = url.deletingLastPathComponent().path
            if path.contains("/") { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            // Temporary file, then rename: a crash while writing leaves no half file under the name.
            let temporary = (path.contains("/") ? folder + "/." : ".") + url.lastPathComponent + ".\(ProcessInfo.processInfo.processIdentifier).partial"
            do {
                try file.write(path: temporary)
                if rename(temporary, path) != 0 { throw a.failure("cannot write '\(path)': \(String(cString: strerror(errno)))") }
            } catch let error as LodeError {
                try? FileManager.default.removeItem(atPath: temporary)
                throw error
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw LodeError(.io, "export_dataset(): cannot write '\(path)': \(error)", at: a.context.location)
            }
            return .string(path)
        }
        r.add("checkpoint_info", [Parameter("path", .string, doc: "a model checkpoint (.safetensors) written by Lode or python/lode_torch")],
              returns: "record",
              doc: "What a checkpoint says about itself, without loading it: `model` (\"ssgsnet\", \"resnet\", \"vit\", \"dualbranch\", or nil for a model built from blocks), `preset` (when recorded), `channels`, `window`, `classes`, `layers` (the layer names in channel order, or nil), `architecture`, `trained_with` and `training` (the options of a python/lode_torch run, as JSON text). Build the same model, then load_weights(model, path).",
              example: "info = checkpoint_info(\"ssgsnet.safetensors\")\nmodel = load_weights(model_named(info.model, info.channels, info.window, 0, preset: info.preset), \"ssgsnet.safetensors\")") { a in
            let path = try a.string("path")
            // A regular file only: a folder or a device (/dev/zero) is no checkpoint and must not be read.
            guard let kind = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType else {
                throw LodeError(.io, "checkpoint_info(): no such file '\(path)'", at: a.context.location)
            }
            guard kind == .typeRegular else { throw a.failure("'\(path)' is not a file") }
            let summary = try readCheckpointSummary(path: path)
            let metadata = try SafetensorsFile.read(path: path).metadata
            func text(_ value: String?) -> LodeValue { value.map { .string($0) } ?? .nil }
            func number(_ value: Int?) -> LodeValue { value.map { .number(Double($0)) } ?? .nil }
            let contract = summary.contract
            return .record(LodeRecord([
                ("model", text(summary.builtInKind?.rawValue)), ("preset", text(metadata["preset"])),
                ("channels", number(contract?.channels)), ("window", number(contract?.window)), ("classes", number(contract?.classes)),
                ("layers", contract?.layerNames.map { .list($0.map { .string($0) }) } ?? .nil),
                ("architecture", text(summary.architecture)), ("trained_with", text(metadata["trained_with"])),
                ("training", text(metadata["torch_training"]))]))
        }
    }

    /// The dataset as safetensors arrays and metadata (layout in the export_dataset doc).
    static func datasetFile(_ data: Dataset, split: Split?) throws -> SafetensorsFile {
        var siteIndex: [String: Int] = [:], siteIDs: [String] = []
        let sites = data.sourceIDs.map { id -> Int64 in
            if let known = siteIndex[id] { return Int64(known) }
            siteIndex[id] = siteIDs.count
            siteIDs.append(id)
            return Int64(siteIDs.count - 1)
        }
        let n = data.count
        var arrays: [String: SafetensorsArray] = [
            "windows": try SafetensorsArray(dtype: .float32, shape: data.shape, bytes: data.windows.withUnsafeBytes { Array($0) }),
            "labels": try SafetensorsArray(int64: data.labels.map(Int64.init), shape: [n]),
            "sites": try SafetensorsArray(int64: sites, shape: [n]),
            "centre_x": try SafetensorsArray(float64: data.centreX, shape: [n]),
            "centre_y": try SafetensorsArray(float64: data.centreY, shape: [n]),
        ]
        var metadata = ["format": datasetFormat, "layers": try json(data.layerNames), "site_ids": try json(siteIDs),
                        "channels": "\(data.channels)", "window": "\(data.size)", "count": "\(n)", "classes": "2"]
        if let split {
            arrays["train_indices"] = try SafetensorsArray(int64: split.train.map(Int64.init), shape: [split.train.count])
            arrays["validation_indices"] = try SafetensorsArray(int64: split.validation.map(Int64.init), shape: [split.validation.count])
            metadata["split"] = split.name
        }
        return SafetensorsFile(arrays: arrays, metadata: metadata)
    }

    static func json(_ strings: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(strings), as: UTF8.self)
    }
}
