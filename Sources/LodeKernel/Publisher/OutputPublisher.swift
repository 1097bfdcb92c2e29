import Foundation

public enum OutputStreamName: String { case stdout, stderr }

/// Thrown by `inputRequest` when input cannot be read: the front end does not accept input,
/// or the cell was interrupted while waiting for it.
public struct InputUnavailable: Error, CustomStringConvertible {
    public let description: String
}

/// Publishes one request's output on iopub, each message parented to that request. Streams are
/// buffered and flushed by the kernel at least every 100 ms, and before any other output so the
/// order is kept; a cell's stream output is capped, with a note where it was cut.
public final class OutputPublisher {
    private let iopub: IOPubChannel
    private let parent: JSONObject
    private let silent: Bool
    private let streamLimit: Int
    private let input: ((String, Bool) throws -> String)?
    private let lock = NSLock()
    private var pending: [(name: OutputStreamName, text: String)] = []
    private var streamed = 0
    private var truncated = false
    /// The last `execute_result`'s plain text, kept for history with output.
    public private(set) var resultText: String?

    init(iopub: IOPubChannel, parent: JSONObject, silent: Bool, streamLimit: Int,
         input: ((String, Bool) throws -> String)?) {
        self.iopub = iopub
        self.parent = parent
        self.silent = silent
        self.streamLimit = streamLimit
        self.input = input
    }

    public func stream(_ name: OutputStreamName, _ text: String) {
        guard !silent, !text.isEmpty else { return }
        lock.lock(); defer { lock.unlock() }
        guard !truncated else { return }
        var piece = text
        if streamed + piece.count > streamLimit {
            piece = String(piece.prefix(max(0, streamLimit - streamed)))
            piece += "\n[output truncated: this cell printed more than \(streamLimit) characters]\n"
            truncated = true
        }
        streamed += piece.count
        if let last = pending.last, last.name == name {
            pending[pending.count - 1].text += piece
        } else {
            pending.append((name, piece))
        }
    }

    /// Sends buffered stream text now.
    public func flushStreams() {
        lock.lock()
        let chunks = pending
        pending.removeAll()
        // Publishing under the lock keeps chunks from two flushes in order.
        for chunk in chunks {
            iopub.publish("stream", content: ["name": chunk.name.rawValue, "text": chunk.text], parent: parent)
        }
        lock.unlock()
    }

    public func display(_ bundle: MimeBundle, displayID: String? = nil) {
        publishBundle("display_data", bundle, displayID: displayID)
    }

    public func updateDisplay(_ bundle: MimeBundle, displayID: String) {
        publishBundle("update_display_data", bundle, displayID: displayID)
    }

    public func clearOutput(wait: Bool) {
        guard !silent else { return }
        flushStreams()
        iopub.publish("clear_output", content: ["wait": wait], parent: parent)
    }

    public func result(executionCount: Int, _ bundle: MimeBundle) {
        resultText = bundle.data["text/plain"]
        guard !silent else { return }
        flushStreams()
        iopub.publish("execute_result", content: ["execution_count": executionCount, "data": bundle.data,
                                                  "metadata": bundle.jsonMetadata], parent: parent)
    }

    public func error(_ error: KernelError) {
        guard !silent else { return }
        flushStreams()
        iopub.publish("error", content: ["ename": error.name, "evalue": error.value,
                                         "traceback": error.traceback], parent: parent)
    }

    /// Asks the front end for a line of input over stdin and waits for it.
    public func inputRequest(prompt: String, password: Bool) throws -> String {
        guard let input else {
            throw InputUnavailable(description: "input is not available: this front end does not accept input (allow_stdin is false)")
        }
        flushStreams()
        return try input(prompt, password)
    }

    private func publishBundle(_ type: String, _ bundle: MimeBundle, displayID: String?) {
        guard !silent else { return }
        flushStreams()
        var content: JSONObject = ["data": bundle.data, "metadata": bundle.jsonMetadata]
        if let displayID { content["transient"] = ["display_id": displayID] }
        iopub.publish(type, content: content, parent: parent)
    }
}

extension MimeBundle {
    /// Metadata is keyed by mime type in the protocol; a flat entry applies to the whole bundle.
    var jsonMetadata: JSONObject { metadata }
}
