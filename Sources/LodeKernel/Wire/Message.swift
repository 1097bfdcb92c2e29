import Foundation

public typealias JSONObject = [String: Any]

/// The protocol version this kernel speaks.
public let jupyterProtocolVersion = "5.3"

/// A decoded Jupyter message: the routing identities it came with, and its four JSON parts.
public struct Message {
    public var identities: [[UInt8]]
    public var header: JSONObject
    public var parentHeader: JSONObject
    public var metadata: JSONObject
    public var content: JSONObject
    public var buffers: [[UInt8]]

    public init(identities: [[UInt8]] = [], header: JSONObject, parentHeader: JSONObject = [:],
                metadata: JSONObject = [:], content: JSONObject = [:], buffers: [[UInt8]] = []) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    public var type: String { header["msg_type"] as? String ?? "" }
    public var id: String { header["msg_id"] as? String ?? "" }

    /// A fresh header for a message this kernel sends.
    public static func header(type: String, session: String) -> JSONObject {
        ["msg_id": UUID().uuidString.lowercased(), "session": session, "username": "lode",
         "date": iso8601Now(), "msg_type": type, "version": jupyterProtocolVersion]
    }
}

/// Reads values out of a message's JSON content with the defaults the protocol prescribes.
extension Dictionary where Key == String, Value == Any {
    func string(_ key: String, default fallback: String = "") -> String { self[key] as? String ?? fallback }
    func bool(_ key: String, default fallback: Bool) -> Bool { self[key] as? Bool ?? fallback }
    func int(_ key: String) -> Int? {
        if let value = self[key] as? Int { return value }
        if let value = self[key] as? Double, value.isFinite, value.rounded() == value { return Int(value) }
        return nil
    }
}

func encodeJSON(_ object: JSONObject) -> [UInt8] {
    guard JSONSerialization.isValidJSONObject(object),
          let data = try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]) else {
        return Array("{}".utf8)
    }
    return Array(data)
}

func decodeJSONObject(_ bytes: [UInt8]) -> JSONObject? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: []) else { return nil }
    return object as? JSONObject
}
