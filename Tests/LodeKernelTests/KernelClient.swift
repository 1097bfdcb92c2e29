import CZeroMQ
import Foundation
import XCTest
@testable import LodeKernel

/// A minimal Jupyter client over real ZeroMQ sockets, for driving a KernelServer in-process.
final class KernelClient {
    let context: ZeroMQContext
    let shell, control, stdin, iopub, heartbeat: ZeroMQSocket
    var codec: WireCodec
    let session = UUID().uuidString

    init(endpoints: [String: String], key: String) throws {
        context = try ZeroMQContext()
        codec = WireCodec(signer: MessageSigner(key: key))
        shell = try ZeroMQSocket(context: context, kind: .dealer)
        control = try ZeroMQSocket(context: context, kind: .dealer)
        stdin = try ZeroMQSocket(context: context, kind: .dealer)
        iopub = try ZeroMQSocket(context: context, kind: .subscriber)
        heartbeat = try ZeroMQSocket(context: context, kind: .request)
        let identity = Array(session.utf8)
        for socket in [shell, stdin] { try socket.setOption(ZMQ_ROUTING_ID, bytes: identity) }
        try iopub.setOption(ZMQ_SUBSCRIBE, bytes: [])
        for socket in [shell, control, stdin, iopub, heartbeat] {
            try socket.setReceiveTimeout(milliseconds: 10_000)
            try socket.setOption(ZMQ_LINGER, 0)
        }
        try shell.connect(try XCTUnwrap(endpoints["shell"]))
        try control.connect(try XCTUnwrap(endpoints["control"]))
        try stdin.connect(try XCTUnwrap(endpoints["stdin"]))
        try iopub.connect(try XCTUnwrap(endpoints["iopub"]))
        try heartbeat.connect(try XCTUnwrap(endpoints["hb"]))
    }

    deinit {
        for socket in [shell, control, stdin, iopub, heartbeat] { socket.close() }
        context.terminate()
    }

    /// The frames of a request, for tests that tamper with them.
    func frames(_ type: String, _ content: JSONObject = [:]) -> (id: String, frames: [[UInt8]]) {
        let message = Message(header: Message.header(type: type, session: session), content: content)
        return (message.id, codec.encode(message))
    }

    @discardableResult
    func send(_ socket: ZeroMQSocket, _ type: String, _ content: JSONObject = [:]) throws -> String {
        let request = frames(type, content)
        try socket.send(request.frames)
        return request.id
    }

    func receive(_ socket: ZeroMQSocket, file: StaticString = #filePath, line: UInt = #line) throws -> Message {
        var received: [[UInt8]]?
        let deadline = Date().addingTimeInterval(10)
        while received == nil && Date() < deadline { received = try socket.receive() }
        let frames = try XCTUnwrap(received, "no message within the guard time", file: file, line: line)
        // Replies are checked with a fresh guard: the kernel signs, replay protection is the kernel's.
        return try WireCodec(signer: codec.signer).decode(frames).get()
    }

    /// iopub messages parented to `id`, from busy through idle.
    func iopubUntilIdle(_ id: String) throws -> [Message] {
        var collected: [Message] = []
        while true {
            let message = try receive(iopub)
            guard (message.parentHeader["msg_id"] as? String) == id else { continue }
            collected.append(message)
            if message.type == "status", message.content["execution_state"] as? String == "idle" { return collected }
        }
    }

    /// Repeats kernel_info until an iopub message arrives, so the subscription is live.
    func waitUntilReady() throws {
        for _ in 0..<50 {
            let id = try send(shell, "kernel_info_request")
            _ = try receive(shell)
            try iopub.setReceiveTimeout(milliseconds: 200)
            defer { try? iopub.setReceiveTimeout(milliseconds: 10_000) }
            if let frames = try iopub.receive(), case .success(let message) = WireCodec(signer: codec.signer).decode(frames),
               (message.parentHeader["msg_id"] as? String) == id {
                // The subscription may have started between busy and idle.
                if message.content["execution_state"] as? String != "idle" { _ = try iopubUntilIdle(id) }
                return
            }
        }
        XCTFail("iopub never delivered")
    }
}
