import Crypto
import Foundation

/// Signs and verifies the four JSON frames of a message with HMAC-SHA256 (the connection
/// file's key). An empty key means the front end does not sign, so nothing is checked.
public struct MessageSigner {
    private let key: SymmetricKey?

    public init(key: String) {
        self.key = key.isEmpty ? nil : SymmetricKey(data: Array(key.utf8))
    }

    public var isSigning: Bool { key != nil }

    /// Lower-case hex HMAC over header, parent, metadata and content, as sent; "" without a key.
    public func signature(for parts: [[UInt8]]) -> String {
        guard let key else { return "" }
        var hmac = HMAC<SHA256>(key: key)
        for part in parts { hmac.update(data: part) }
        return hexString(Array(hmac.finalize()))
    }

    /// Checks a received signature frame against the raw frames, in constant time. With a key
    /// set, an empty or malformed signature never passes.
    public func isValid(signature: [UInt8], parts: [[UInt8]]) -> Bool {
        guard let key else { return true }
        guard let received = decodeHex(signature), received.count == SHA256.byteCount else { return false }
        var hmac = HMAC<SHA256>(key: key)
        for part in parts { hmac.update(data: part) }
        return constantTimeEqual(Array(hmac.finalize()), received)
    }
}

/// Equality whose running time depends only on the lengths, never on where bytes differ.
func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for index in 0..<left.count { difference |= left[index] ^ right[index] }
    return difference == 0
}

func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}

func decodeHex(_ text: [UInt8]) -> [UInt8]? {
    guard text.count % 2 == 0 else { return nil }
    func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
    var out = [UInt8]()
    out.reserveCapacity(text.count / 2)
    var index = 0
    while index < text.count {
        guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
        out.append(high << 4 | low)
        index += 2
    }
    return out
}

/// Remembers the most recent signatures so a captured message replayed later is refused.
/// Thread-safe: shell and control share one guard.
public final class ReplayGuard {
    private let capacity: Int
    private var seen = Set<[UInt8]>()
    private var order: [[UInt8]] = []
    private var oldest = 0
    private let lock = NSLock()

    public init(capacity: Int = 65_536) { self.capacity = max(1, capacity) }

    /// Records the signature; false if it was already seen (a replay).
    public func admit(_ signature: [UInt8]) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard !seen.contains(signature) else { return false }
        seen.insert(signature)
        if order.count < capacity {
            order.append(signature)
        } else {
            seen.remove(order[oldest])
            order[oldest] = signature
            oldest = (oldest + 1) % capacity
        }
        return true
    }
}
