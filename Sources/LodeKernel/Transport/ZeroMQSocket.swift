import CZeroMQ
import Foundation

/// A failure reported by libzmq, with the operation that failed and libzmq's own explanation.
public struct ZeroMQError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32
    public var description: String { "\(operation): \(String(cString: zmq_strerror(code))) (errno \(code))" }

    /// True when the context is being shut down: the owning thread should close its socket and stop.
    public var isTermination: Bool { code == ETERM }

    static func last(_ operation: String) -> ZeroMQError {
        ZeroMQError(operation: operation, code: zmq_errno())
    }
}

/// One libzmq context per kernel process; every socket is created from it.
public final class ZeroMQContext {
    let handle: UnsafeMutableRawPointer

    public init() throws {
        guard let handle = zmq_ctx_new() else { throw ZeroMQError.last("zmq_ctx_new") }
        self.handle = handle
    }

    /// Makes every blocking call on this context's sockets return with ETERM, so that the
    /// threads owning them can close them; used when the kernel shuts down.
    public func shutdown() { zmq_ctx_shutdown(handle) }

    /// Waits until every socket is closed (honouring each socket's linger) and frees the context.
    public func terminate() {
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}

public enum ZeroMQSocketKind {
    case router, publisher, reply, dealer, subscriber, request

    var rawValue: Int32 {
        switch self {
        case .router: return ZMQ_ROUTER
        case .publisher: return ZMQ_PUB
        case .reply: return ZMQ_REP
        case .dealer: return ZMQ_DEALER
        case .subscriber: return ZMQ_SUB
        case .request: return ZMQ_REQ
        }
    }
}

/// A libzmq socket. Not thread-safe: each socket is used by one thread, or behind a lock.
public final class ZeroMQSocket {
    private var handle: UnsafeMutableRawPointer?

    public init(context: ZeroMQContext, kind: ZeroMQSocketKind) throws {
        guard let handle = zmq_socket(context.handle, kind.rawValue) else {
            throw ZeroMQError.last("zmq_socket")
        }
        self.handle = handle
        try setOption(ZMQ_LINGER, 1000)
    }

    deinit { close() }

    public func close() {
        if let handle { zmq_close(handle) }
        handle = nil
    }

    public func setOption(_ option: Int32, _ value: Int32) throws {
        var value = value
        guard zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size) == 0 else {
            throw ZeroMQError.last("zmq_setsockopt(\(option))")
        }
    }

    public func setOption(_ option: Int32, bytes: [UInt8]) throws {
        let status = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        guard status == 0 else { throw ZeroMQError.last("zmq_setsockopt(\(option))") }
    }

    /// Milliseconds a receive waits before returning nil; -1 waits forever.
    public func setReceiveTimeout(milliseconds: Int32) throws { try setOption(ZMQ_RCVTIMEO, milliseconds) }

    public func bind(_ endpoint: String) throws {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZeroMQError.last("zmq_bind(\(endpoint))") }
    }

    public func connect(_ endpoint: String) throws {
        guard zmq_connect(handle, endpoint) == 0 else { throw ZeroMQError.last("zmq_connect(\(endpoint))") }
    }

    /// The endpoint libzmq actually bound (resolves a wildcard port).
    public var lastEndpoint: String {
        var buffer = [CChar](repeating: 0, count: 512)
        var size = buffer.count
        guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else { return "" }
        return String(cString: buffer)
    }

    /// Sends all frames as one multipart message.
    public func send(_ frames: [[UInt8]]) throws {
        for (index, frame) in frames.enumerated() {
            let flags: Int32 = index < frames.count - 1 ? ZMQ_SNDMORE : 0
            while true {
                let sent = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
                if sent >= 0 { break }
                if zmq_errno() != EINTR { throw ZeroMQError.last("zmq_send") }
            }
        }
    }

    /// Receives one multipart message; nil when the receive timeout passed with nothing to read
    /// (or, with `dontWait`, when nothing is queued).
    public func receive(dontWait: Bool = false) throws -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        while true {
            let received = zmq_msg_recv(&message, handle, dontWait && frames.isEmpty ? ZMQ_DONTWAIT : 0)
            if received < 0 {
                let code = zmq_errno()
                if code == EINTR { continue }
                if code == EAGAIN && frames.isEmpty { return nil }
                throw ZeroMQError(operation: "zmq_msg_recv", code: code)
            }
            let size = zmq_msg_size(&message)
            if let data = zmq_msg_data(&message), size > 0 {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                frames.append([])
            }
            if zmq_msg_more(&message) == 0 { return frames }
        }
    }
}
