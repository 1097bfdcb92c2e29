import Foundation

/// Why an incoming multipart message was dropped (logged, never fatal).
public enum WireRejection: Error, CustomStringConvertible, Equatable {
    case missingDelimiter
    case tooFewFrames(Int)
    case badSignature
    case replayedSignature
    case malformedJSON(part: String)

    public var description: String {
        switch self {
        case .missingDelimiter: return "no <IDS|MSG> delimiter frame"
        case .tooFewFrames(let count): return "only \(count) frames after the delimiter (need 5)"
        case .badSignature: return "signature does not match (wrong key, empty or tampered)"
        case .replayedSignature: return "signature already seen (replayed message)"
        case .malformedJSON(let part): return "the \(part) frame is not a JSON object"
        }
    }
}

/// Turns frames into messages and back: `[ids..., <IDS|MSG>, hmac, header, parent, metadata,
/// content, buffers...]`. The signature is checked over the raw frames before any JSON is read.
public struct WireCodec {
    public static let delimiter = Array("<IDS|MSG>".utf8)
    public let signer: MessageSigner
    public let replays: ReplayGuard

    public init(signer: MessageSigner, replays: ReplayGuard = ReplayGuard()) {
        self.signer = signer
        self.replays = replays
    }

    public func decode(_ frames: [[UInt8]]) -> Result<Message, WireRejection> {
        guard let split = frames.firstIndex(of: Self.delimiter) else { return .failure(.missingDelimiter) }
        let rest = frames[(split + 1)...]
        guard rest.count >= 5 else { return .failure(.tooFewFrames(rest.count)) }
        let signature = rest[rest.startIndex]
        let parts = Array(rest[(rest.startIndex + 1)..<(rest.startIndex + 5)])
        guard signer.isValid(signature: signature, parts: parts) else { return .failure(.badSignature) }
        if signer.isSigning && !replays.admit(signature) { return .failure(.replayedSignature) }
        let names = ["header", "parent_header", "metadata", "content"]
        var objects: [JSONObject] = []
        for (index, part) in parts.enumerated() {
            guard let object = decodeJSONObject(part) else { return .failure(.malformedJSON(part: names[index])) }
            objects.append(object)
        }
        guard objects[0]["msg_type"] is String else { return .failure(.malformedJSON(part: "header")) }
        return .success(Message(identities: Array(frames[..<split]), header: objects[0],
                                parentHeader: objects[1], metadata: objects[2], content: objects[3],
                                buffers: Array(rest.dropFirst(5))))
    }

    public func encode(_ message: Message) -> [[UInt8]] {
        let parts = [encodeJSON(message.header), encodeJSON(message.parentHeader),
                     encodeJSON(message.metadata), encodeJSON(message.content)]
        let signature = Array(signer.signature(for: parts).utf8)
        return message.identities + [Self.delimiter, signature] + parts + message.buffers
    }
}
