import Foundation

/// Element types Lode reads and writes in safetensors files.
public enum SafetensorsDType: String, Sendable {
    case float32 = "F32", float64 = "F64", int64 = "I64"

    var byteSize: Int { self == .float32 ? 4 : 8 }
}

/// One named array of a safetensors file: its type, shape and little-endian bytes.
public struct SafetensorsArray: Equatable {
    public var dtype: SafetensorsDType
    public var shape: [Int]
    public var bytes: [UInt8]

    public init(dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws {
        let expected = ShapeMath.count(shape) * dtype.byteSize
        guard shape.allSatisfy({ $0 >= 0 }), bytes.count == expected else {
            throw TensorError(op: "safetensors", "\(dtype.rawValue) array of shape \(shape) needs \(expected) bytes, got \(bytes.count)")
        }
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// A Float32 array holding the tensor's values.
    public init(_ tensor: Tensor) {
        dtype = .float32
        shape = tensor.shape
        bytes = Array(UnsafeRawBufferPointer(start: tensor.pointer, count: tensor.count * 4))
    }

    public init(int64 values: [Int64], shape: [Int]) throws {
        try self.init(dtype: .int64, shape: shape, bytes: values.withUnsafeBytes { Array($0) })
    }

    public init(float64 values: [Double], shape: [Int]) throws {
        try self.init(dtype: .float64, shape: shape, bytes: values.withUnsafeBytes { Array($0) })
    }

    private func load<T>(_ type: T.Type) -> [T] {
        let n = bytes.count / MemoryLayout<T>.size
        return [T](unsafeUninitializedCapacity: n) { buffer, initialised in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
            }
            initialised = n
        }
    }

    /// The values as a Float32 tensor (F64 and I64 are converted).
    public func tensor() -> Tensor {
        let t = Tensor.zeros(shape)
        switch dtype {
        case .float32:
            bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress { UnsafeMutableRawPointer(t.pointer).copyMemory(from: base, byteCount: raw.count) }
            }
        case .float64: for (i, v) in load(Double.self).enumerated() { t.pointer[i] = Float(v) }
        case .int64: for (i, v) in load(Int64.self).enumerated() { t.pointer[i] = Float(v) }
        }
        return t
    }

    /// The values as integers (for labels); F32/F64 must hold whole numbers.
    public func int64Values() throws -> [Int64] {
        switch dtype {
        case .int64: return load(Int64.self)
        case .float32, .float64:
            let d = dtype == .float32 ? load(Float.self).map(Double.init) : load(Double.self)
            guard d.allSatisfy({ $0 == $0.rounded() && Swift.abs($0) < 9e18 }) else {
                throw TensorError(op: "safetensors", "\(dtype.rawValue) array does not hold whole numbers")
            }
            return d.map { Int64($0) }
        }
    }

    public func doubleValues() -> [Double] {
        switch dtype {
        case .float32: return load(Float.self).map(Double.init)
        case .float64: return load(Double.self)
        case .int64: return load(Int64.self).map(Double.init)
        }
    }
}

/// A safetensors file: named arrays plus the `__metadata__` string map.
/// Layout: u64 little-endian header size, a JSON header, then the raw array bytes.
public struct SafetensorsFile: Equatable {
    public var arrays: [String: SafetensorsArray]
    public var metadata: [String: String]

    public init(arrays: [String: SafetensorsArray] = [:], metadata: [String: String] = [:]) {
        self.arrays = arrays
        self.metadata = metadata
    }

    /// Float32 tensors by name (for checkpoints).
    public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
        self.init(arrays: tensors.mapValues { SafetensorsArray($0) }, metadata: metadata)
    }

    public subscript(name: String) -> SafetensorsArray? { arrays[name] }

    /// The named array as a Float32 tensor, or an error naming the missing key.
    public func tensor(_ name: String) throws -> Tensor {
        guard let a = arrays[name] else { throw TensorError(op: "safetensors", "no tensor named '\(name)'") }
        return a.tensor()
    }

    public static func read(path: String) throws -> SafetensorsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TensorError(op: "safetensors", "cannot read file \(path)")
        }
        do {
            return try SafetensorsFile(bytes: [UInt8](data))
        } catch let e as TensorError {
            throw TensorError(op: e.op, "\(path): \(e.message)")
        }
    }

    public init(bytes: [UInt8]) throws {
        func fail(_ m: String) -> TensorError { TensorError(op: "safetensors", m) }
        guard bytes.count >= 8 else { throw fail("truncated file: \(bytes.count) bytes, no header size") }
        var headerSize: UInt64 = 0
        for i in 0..<8 { headerSize |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerSize <= UInt64(bytes.count - 8) else {
            throw fail("truncated file: header of \(headerSize) bytes but only \(bytes.count - 8) follow")
        }
        let dataStart = 8 + Int(headerSize)
        let header = Data(bytes[8..<dataStart])
        guard let json = try? JSONSerialization.jsonObject(with: header), let entries = json as? [String: Any] else {
            throw fail("bad header: not a JSON object")
        }
        var arrays: [String: SafetensorsArray] = [:]
        var metadata: [String: String] = [:]
        let dataCount = bytes.count - dataStart
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw fail("bad header: __metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v as? String else { throw fail("bad header: metadata '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let e = value as? [String: Any], let dt = e["dtype"] as? String,
                  let shape = (e["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offsets = (e["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2, shape.count == (e["shape"] as? [Any])?.count else {
                throw fail("bad header: entry '\(name)' needs dtype, shape and data_offsets")
            }
            guard let dtype = SafetensorsDType(rawValue: dt) else {
                throw fail("unknown dtype \(dt) for tensor '\(name)' (supported: F32, F64, I64)")
            }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataCount else {
                throw fail("truncated file: tensor '\(name)' spans bytes \(offsets[0])..<\(offsets[1]) of a \(dataCount)-byte data section")
            }
            let slice = Array(bytes[(dataStart + offsets[0])..<(dataStart + offsets[1])])
            do {
                arrays[name] = try SafetensorsArray(dtype: dtype, shape: shape, bytes: slice)
            } catch let err as TensorError {
                throw fail("tensor '\(name)': \(err.message)")
            }
        }
        self.arrays = arrays
        self.metadata = metadata
    }

    /// The file's bytes: arrays in name order, the header padded with spaces to 8 bytes.
    public func serialized() -> [UInt8] {
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let m = metadata.keys.sorted().map { "\(Self.quoted($0)):\(Self.quoted(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(m.joined(separator: ","))}")
        }
        var offset = 0
        let names = arrays.keys.sorted()
        for name in names {
            let a = arrays[name]!
            let shape = a.shape.map(String.init).joined(separator: ",")
            parts.append("\(Self.quoted(name)):{\"dtype\":\"\(a.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + a.bytes.count)]}")
            offset += a.bytes.count
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        let n = UInt64(headerBytes.count)
        for i in 0..<8 { out.append(UInt8((n >> (8 * UInt64(i))) & 0xFF)) }
        out += headerBytes
        for name in names { out += arrays[name]!.bytes }
        return out
    }

    public func write(path: String) throws {
        do {
            try Data(serialized()).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TensorError(op: "safetensors", "cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// A JSON string literal.
    private static func quoted(_ s: String) -> String {
        var r = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\r": r += "\\r"
            case "\t": r += "\\t"
            default:
                if u.value < 0x20 { r += String(format: "\\u%04x", u.value) } else { r.unicodeScalars.append(u) }
            }
        }
        return r + "\""
    }
}
