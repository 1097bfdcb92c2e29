import Foundation

/// The PUB socket every front end subscribes to. Shell, control and the stream flusher all
/// publish on it, so sends are serialised by a lock (libzmq sockets are not thread-safe).
public final class IOPubChannel {
    private let socket: ZeroMQSocket
    private let codec: WireCodec
    let session: String
    private let lock = NSLock()
    private var closed = false

    init(socket: ZeroMQSocket, codec: WireCodec, session: String) {
        self.socket = socket
        self.codec = codec
        self.session = session
    }

    func publish(_ type: String, content: JSONObject, parent: JSONObject, metadata: JSONObject = [:]) {
        let message = Message(identities: [Array("kernel.\(session).\(type)".utf8)],
                              header: Message.header(type: type, session: session),
                              parentHeader: parent, metadata: metadata, content: content)
        let frames = codec.encode(message)
        lock.lock(); defer { lock.unlock() }
        guard !closed else { return }
        do { try socket.send(frames) } catch { KernelLog.write("iopub: could not publish \(type): \(error)") }
    }

    func status(_ state: String, parent: JSONObject) {
        publish("status", content: ["execution_state": state], parent: parent)
    }

    func close() {
        lock.lock(); defer { lock.unlock() }
        closed = true
        socket.close()
    }
}

/// Diagnostics go to stderr, which the front end keeps in its log; the kernel never stops for them.
public enum KernelLog {
    public static func write(_ text: String) {
        FileHandle.standardError.write(Data("[lode kernel] \(text)\n".utf8))
    }
}
