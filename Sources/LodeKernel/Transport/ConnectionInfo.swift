import Foundation

/// The connection file a Jupyter front end writes before starting the kernel: where each
/// socket must listen and the key that signs every message.
public struct ConnectionInfo: Equatable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var heartbeatPort: Int
    public var key: String
    public var signatureScheme: String

    public init(transport: String = "tcp", ip: String = "127.0.0.1", shellPort: Int, iopubPort: Int,
                stdinPort: Int, controlPort: Int, heartbeatPort: Int, key: String,
                signatureScheme: String = "hmac-sha256") {
        self.transport = transport
        self.ip = ip
        self.shellPort = shellPort
        self.iopubPort = iopubPort
        self.stdinPort = stdinPort
        self.controlPort = controlPort
        self.heartbeatPort = heartbeatPort
        self.key = key
        self.signatureScheme = signatureScheme
    }

    /// Reads and checks a connection file; errors name the file and the field at fault.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KernelSetupError("cannot read the connection file \(path)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let fields = object as? [String: Any] else {
            throw KernelSetupError("the connection file \(path) is not a JSON object")
        }
        func port(_ name: String) throws -> Int {
            guard let value = fields[name] as? Int, (0...65535).contains(value) else {
                throw KernelSetupError("the connection file \(path) has no valid integer '\(name)'")
            }
            return value
        }
        func text(_ name: String, default fallback: String?) throws -> String {
            if let value = fields[name] as? String { return value }
            if let fallback { return fallback }
            throw KernelSetupError("the connection file \(path) has no string '\(name)'")
        }
        self.init(transport: try text("transport", default: "tcp"),
                  ip: try text("ip", default: "127.0.0.1"),
                  shellPort: try port("shell_port"), iopubPort: try port("iopub_port"),
                  stdinPort: try port("stdin_port"), controlPort: try port("control_port"),
                  heartbeatPort: try port("hb_port"), key: try text("key", default: ""),
                  signatureScheme: try text("signature_scheme", default: "hmac-sha256"))
        guard transport == "tcp" || transport == "ipc" else {
            throw KernelSetupError("the connection file \(path) asks for transport '\(transport)'; Lode serves 'tcp' and 'ipc'")
        }
        guard signatureScheme == "hmac-sha256" || key.isEmpty else {
            throw KernelSetupError("the connection file \(path) asks for signature scheme '\(signatureScheme)'; Lode signs with 'hmac-sha256'")
        }
    }

    /// The exact address a socket binds: `tcp://ip:port`, or for ipc the file `ip-port`
    /// (the naming Jupyter clients use). Port 0 over tcp asks libzmq for a free port.
    public func endpoint(port: Int) -> String {
        if transport == "ipc" { return "ipc://\(ip)-\(port)" }
        let host = ip.contains(":") && !ip.hasPrefix("[") ? "[\(ip)]" : ip
        return port == 0 ? "tcp://\(host):*" : "tcp://\(host):\(port)"
    }
}

/// The kernel could not start: a bad connection file, an address that cannot be bound, and so on.
public struct KernelSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
