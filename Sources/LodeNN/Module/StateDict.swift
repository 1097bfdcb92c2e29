import Foundation
import LodeTensor

extension Module {
    /// Parameters then buffers by dotted key (the PyTorch state dict without
    /// `num_batches_tracked`).
    public func stateDict() -> [(key: String, tensor: Tensor)] { namedParameters() + namedBuffers() }

    /// Copies `values` into this module's parameters and buffers, in place (optimisers keep
    /// their references). Every key must be present with the same shape and no key may be
    /// left over (PyTorch's `num_batches_tracked` counters are ignored); the first mismatch is
    /// named and nothing is changed when any check fails.
    public func loadStateDict(_ values: [String: Tensor], source: String = "state dict") throws {
        let own = stateDict()
        var pairs: [(target: Tensor, value: Tensor)] = []
        for (key, t) in own {
            guard let v = values[key] else {
                throw NNError("\(source): missing '\(key)' (expected shape \(t.shape)) for \(headline)")
            }
            guard v.shape == t.shape else {
                throw NNError("\(source): '\(key)' has shape \(v.shape) but the model expects \(t.shape)")
            }
            pairs.append((t, v))
        }
        let known = Set(own.map(\.key))
        if let extra = values.keys.sorted().first(where: { !known.contains($0) && !$0.hasSuffix("num_batches_tracked") }) {
            throw NNError("\(source): unexpected '\(extra)', which \(headline) does not have")
        }
        for (target, value) in pairs { try target.assign(value) }
    }

    /// Writes the state dict as a safetensors file (temporary file, then rename).
    public func save(path: String, metadata: [String: String] = [:]) throws {
        var tensors: [String: Tensor] = [:]
        for (k, t) in stateDict() { tensors[k] = t }
        try writeAtomically(SafetensorsFile(tensors: tensors, metadata: metadata), to: path)
    }

    /// Loads weights written by `save` or by PyTorch's `save_file(model.state_dict())`.
    public func load(path: String) throws {
        let file = try readSafetensors(path)
        var values: [String: Tensor] = [:]
        for (k, a) in file.arrays where !k.hasSuffix("num_batches_tracked") { values[k] = a.tensor() }
        try loadStateDict(values, source: path)
    }
}

/// Reads a safetensors file, naming the path in any error.
func readSafetensors(_ path: String) throws -> SafetensorsFile {
    guard FileManager.default.fileExists(atPath: path) else { throw NNError("\(path): no such file") }
    do { return try SafetensorsFile.read(path: path) } catch { throw NNError("\(path): \(error)") }
}

/// Writes next to `path` under a temporary name and renames it over `path`, so a crash while
/// writing leaves the previous file intact.
func writeAtomically(_ file: SafetensorsFile, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: dir) else { throw NNError("\(path): folder \(dir) does not exist") }
    let temporary = dir + "/." + url.lastPathComponent + ".\(ProcessInfo.processInfo.processIdentifier).partial"
    do {
        try file.write(path: temporary)
        if rename(temporary, path) != 0 {
            throw NNError("\(path): cannot replace the file (\(String(cString: strerror(errno))))")
        }
    } catch {
        try? FileManager.default.removeItem(atPath: temporary)
        throw error is NNError ? error : NNError("\(path): \(error)")
    }
}
