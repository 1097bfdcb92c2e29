import Foundation
import XCTest
@testable import LodeKernel

final class KernelServerTests: XCTestCase {
    private var interpreter: ScriptedInterpreter!
    private var server: KernelServer!
    private var client: KernelClient!
    private var finished: XCTestExpectation!

    private func startKernel(key: String = "test-key", streamLimit: Int = 1_000_000) throws {
        interpreter = ScriptedInterpreter()
        var options = KernelServer.Options()
        options.handlesSIGINT = false
        options.watchesParent = false
        options.streamLimit = streamLimit
        let connection = ConnectionInfo(shellPort: 0, iopubPort: 0, stdinPort: 0, controlPort: 0, heartbeatPort: 0, key: key)
        server = try KernelServer(connection: connection, interpreter: interpreter, options: options)
        finished = expectation(description: "kernel stopped")
        let running = server!, done = finished!
        Thread { running.run(); done.fulfill() }.start()
        client = try KernelClient(endpoints: server.endpoints, key: key)
        try client.waitUntilReady()
    }

    override func tearDown() {
        if let server, let finished {
            server.stop()
            wait(for: [finished], timeout: 10)
        }
        client = nil
        server = nil
        super.tearDown()
    }

    private func execute(_ code: String, _ extra: JSONObject = [:]) throws -> (reply: Message, output: [Message]) {
        var content: JSONObject = ["code": code, "silent": false, "store_history": true, "user_expressions": JSONObject(),
                                   "allow_stdin": false, "stop_on_error": true]
        content.merge(extra) { $1 }
        let id = try client.send(client.shell, "execute_request", content)
        let reply = try client.receive(client.shell)
        XCTAssertEqual(reply.parentHeader["msg_id"] as? String, id)
        return (reply, try client.iopubUntilIdle(id))
    }

    func testEndpointsAreExactlyTheConnectionAddress() throws {
        try startKernel()
        XCTAssertEqual(Set(server.endpoints.keys), ["shell", "control", "stdin", "hb", "iopub"])
        for endpoint in server.endpoints.values { XCTAssertTrue(endpoint.hasPrefix("tcp://127.0.0.1:"), endpoint) }
    }

    func testKernelInfoAndHeartbeat() throws {
        try startKernel()
        try client.send(client.shell, "kernel_info_request")
        let reply = try client.receive(client.shell)
        XCTAssertEqual(reply.type, "kernel_info_reply")
        XCTAssertEqual(reply.header["version"] as? String, "5.3")
        XCTAssertEqual((reply.content["language_info"] as? JSONObject)?["file_extension"] as? String, ".txt")
        try client.heartbeat.send([Array("ping".utf8)])
        XCTAssertEqual(try client.heartbeat.receive(), [Array("ping".utf8)])
    }

    func testExecutePublishesBusyInputStreamResultIdleInOrder() throws {
        try startKernel()
        let (reply, output) = try execute("value 42")
        XCTAssertEqual(reply.content["status"] as? String, "ok")
        XCTAssertEqual(reply.content["execution_count"] as? Int, 1)
        XCTAssertEqual(output.map(\.type), ["status", "execute_input", "execute_result", "status"])
        XCTAssertEqual(output[0].content["execution_state"] as? String, "busy")
        XCTAssertEqual((output[2].content["data"] as? JSONObject)?["text/plain"] as? String, "42")
        XCTAssertEqual(output[2].content["execution_count"] as? Int, 1)

        let printed = try execute("print hello, world")
        XCTAssertEqual(printed.reply.content["execution_count"] as? Int, 2)
        let stream = try XCTUnwrap(printed.output.first { $0.type == "stream" })
        XCTAssertEqual(stream.content["name"] as? String, "stdout")
        XCTAssertEqual(stream.content["text"] as? String, "hello, world\n")
    }

    func testSilentAndNoHistoryCellsDoNotAdvanceTheCounter() throws {
        try startKernel()
        _ = try execute("value 1")
        let silent = try execute("value 2", ["silent": true])
        XCTAssertEqual(silent.reply.content["execution_count"] as? Int, 1)
        XCTAssertEqual(silent.output.map(\.type), ["status", "status"])
        let unstored = try execute("value 3", ["store_history": false])
        XCTAssertEqual(unstored.reply.content["execution_count"] as? Int, 1)
        XCTAssertEqual(try execute("value 4").reply.content["execution_count"] as? Int, 2)
    }

    func testErrorReplyAndStopOnErrorAbortsQueuedCells() throws {
        try startKernel()
        let base: JSONObject = ["silent": false, "store_history": true, "allow_stdin": false, "user_expressions": JSONObject()]
        // Queue three cells at once, as a notebook's "run all" does; the second waits behind the first.
        let first = try client.send(client.shell, "execute_request", base.merging(["code": "block", "stop_on_error": true]) { $1 })
        let second = try client.send(client.shell, "execute_request", base.merging(["code": "value 2", "stop_on_error": true]) { $1 })
        // Give the second request time to reach the kernel's queue before the first fails.
        Thread.sleep(forTimeInterval: 0.3)
        interpreter.release.signal()
        let replies = try [client.receive(client.shell), client.receive(client.shell)]
        XCTAssertEqual(replies[0].parentHeader["msg_id"] as? String, first)
        XCTAssertEqual(replies[0].content["status"] as? String, "error")
        XCTAssertEqual(replies[0].content["ename"] as? String, "Blocked")
        XCTAssertEqual(replies[1].parentHeader["msg_id"] as? String, second)
        XCTAssertEqual(replies[1].content["status"] as? String, "aborted")
        let errorOutput = try client.iopubUntilIdle(first)
        XCTAssertEqual(errorOutput.map(\.type), ["status", "execute_input", "error", "status"])
        // Without stop_on_error the next cell runs.
        let unknown = try execute("bogus", ["stop_on_error": false])
        XCTAssertEqual(unknown.reply.content["traceback"] as? [String], ["at cell"])
        XCTAssertEqual(try execute("value ok").reply.content["status"] as? String, "ok")
        // A request sent after the error reply arrived is not aborted.
        _ = try execute("bogus")
        XCTAssertEqual(try execute("value fresh").reply.content["status"] as? String, "ok")
    }

    func testBadEmptyAndReplayedSignaturesAreDroppedAndTheNextGoodOneAnswered() throws {
        try startKernel()
        var request = client.frames("kernel_info_request")
        request.frames[request.frames.firstIndex(of: WireCodec.delimiter)! + 1] = Array(String(repeating: "0", count: 64).utf8)
        try client.shell.send(request.frames)
        var unsigned = client.frames("kernel_info_request")
        unsigned.frames[unsigned.frames.firstIndex(of: WireCodec.delimiter)! + 1] = []
        try client.shell.send(unsigned.frames)
        try client.shell.send([Array("garbage".utf8)])
        let good = client.frames("kernel_info_request")
        try client.shell.send(good.frames)
        XCTAssertEqual(try client.receive(client.shell).parentHeader["msg_id"] as? String, good.id)
        try client.shell.send(good.frames)  // replay
        let next = try client.send(client.shell, "kernel_info_request")
        XCTAssertEqual(try client.receive(client.shell).parentHeader["msg_id"] as? String, next)
    }

    func testEmptyKeyAcceptsUnsignedMessages() throws {
        try startKernel(key: "")
        let request = client.frames("kernel_info_request")
        XCTAssertEqual(request.frames[request.frames.firstIndex(of: WireCodec.delimiter)! + 1], [])
        try client.shell.send(request.frames)
        XCTAssertEqual(try client.receive(client.shell).parentHeader["msg_id"] as? String, request.id)
    }

    func testInterruptOnControlStopsARunningCellAndKeepsState() throws {
        try startKernel()
        _ = try execute("set model=trained")
        let base: JSONObject = ["silent": false, "store_history": true, "allow_stdin": false,
                                "user_expressions": JSONObject(), "stop_on_error": true]
        let id = try client.send(client.shell, "execute_request", base.merging(["code": "spin"]) { $1 })
        // Interrupt once the cell is running (its execute_input is published).
        while try client.receive(client.iopub).type != "execute_input" {}
        try client.send(client.control, "interrupt_request")
        XCTAssertEqual(try client.receive(client.control).type, "interrupt_reply")
        let reply = try client.receive(client.shell)
        XCTAssertEqual(reply.parentHeader["msg_id"] as? String, id)
        XCTAssertEqual(reply.content["ename"] as? String, "Interrupted")
        let after = try execute("get model")
        let result = try XCTUnwrap(after.output.first { $0.type == "execute_result" })
        XCTAssertEqual((result.content["data"] as? JSONObject)?["text/plain"] as? String, "trained")
    }

    func testInputRoundTripsThroughStdin() throws {
        try startKernel()
        let id = try client.send(client.shell, "execute_request",
                                 ["code": "ask", "silent": false, "store_history": true, "allow_stdin": true,
                                  "user_expressions": JSONObject(), "stop_on_error": true])
        let ask = try client.receive(client.stdin)
        XCTAssertEqual(ask.type, "input_request")
        XCTAssertEqual(ask.content["prompt"] as? String, "name? ")
        XCTAssertEqual(ask.parentHeader["msg_id"] as? String, id)
        let answer = Message(header: Message.header(type: "input_reply", session: client.session),
                             parentHeader: ask.header, content: ["value": "Ada"])
        try client.stdin.send(client.codec.encode(answer))
        XCTAssertEqual(try client.receive(client.shell).content["status"] as? String, "ok")
        let stream = try XCTUnwrap(try client.iopubUntilIdle(id).first { $0.type == "stream" })
        XCTAssertEqual(stream.content["text"] as? String, "hello Ada\n")
        // Without allow_stdin the cell gets an error instead of hanging.
        let refused = try execute("ask")
        XCTAssertEqual(refused.reply.content["ename"] as? String, "InputError")
    }

    func testDisplayUpdateClearAndPager() throws {
        try startKernel()
        let (_, output) = try execute("display")
        let kinds = output.map(\.type)
        XCTAssertEqual(kinds, ["status", "execute_input", "display_data", "update_display_data", "clear_output", "status"])
        XCTAssertEqual((output[2].content["transient"] as? JSONObject)?["display_id"] as? String, "progress-1")
        XCTAssertEqual((output[3].content["transient"] as? JSONObject)?["display_id"] as? String, "progress-1")
        XCTAssertEqual((output[2].content["data"] as? JSONObject)?["image/png"] as? String, "iVBORw0KGgo=")
        XCTAssertEqual(output[4].content["wait"] as? Bool, true)
        let help = try execute("help")
        let payload = try XCTUnwrap((help.reply.content["payload"] as? [JSONObject])?.first)
        XCTAssertEqual(payload["source"] as? String, "page")
        XCTAssertEqual((payload["data"] as? JSONObject)?["text/plain"] as? String, "help text")
    }

    func testStreamOutputIsCappedWithANote() throws {
        try startKernel(streamLimit: 100)
        let (_, output) = try execute("flood 250")
        let text = output.filter { $0.type == "stream" }.compactMap { $0.content["text"] as? String }.joined()
        XCTAssertTrue(text.hasPrefix(String(repeating: "x", count: 100) + "\n[output truncated"), text)
        XCTAssertEqual(text.filter { $0 == "x" }.count, 100)
    }

    func testUserExpressionsCompletionInspectIsCompleteAndHistory() throws {
        try startKernel()
        _ = try execute("set a=7")
        let (reply, _) = try execute("value 5", ["user_expressions": ["x": "a", "y": "missing"]])
        let expressions = try XCTUnwrap(reply.content["user_expressions"] as? JSONObject)
        XCTAssertEqual(((expressions["x"] as? JSONObject)?["data"] as? JSONObject)?["text/plain"] as? String, "7")
        XCTAssertEqual((expressions["y"] as? JSONObject)?["status"] as? String, "error")

        // Cursor positions count code points: "é" before the word is one position.
        try client.send(client.shell, "complete_request", ["code": "é vä", "cursor_pos": 4])
        let completion = try client.receive(client.shell).content
        XCTAssertEqual(completion["matches"] as? [String], ["välue"])
        XCTAssertEqual(completion["cursor_start"] as? Int, 2)
        XCTAssertEqual(completion["cursor_end"] as? Int, 4)

        try client.send(client.shell, "inspect_request", ["code": "print", "cursor_pos": 5, "detail_level": 0])
        let inspected = try client.receive(client.shell).content
        XCTAssertEqual(inspected["found"] as? Bool, true)
        XCTAssertEqual((inspected["data"] as? JSONObject)?["text/plain"] as? String, "print TEXT: writes TEXT")

        for (code, status) in [("f {", "incomplete"), ("} x", "invalid"), ("x", "complete")] {
            try client.send(client.shell, "is_complete_request", ["code": code])
            let answer = try client.receive(client.shell).content
            XCTAssertEqual(answer["status"] as? String, status)
            if status == "incomplete" { XCTAssertEqual(answer["indent"] as? String, "    ") }
        }

        try client.send(client.shell, "history_request", ["hist_access_type": "tail", "n": 2, "output": true, "raw": true])
        let tail = try XCTUnwrap(try client.receive(client.shell).content["history"] as? [[Any]])
        XCTAssertEqual(tail.count, 2)
        XCTAssertEqual(tail[1][1] as? Int, 2)
        XCTAssertEqual((tail[1][2] as? [Any])?.first as? String, "value 5")
        XCTAssertEqual((tail[1][2] as? [Any])?.last as? String, "5")
        try client.send(client.shell, "history_request", ["hist_access_type": "search", "pattern": "set *", "output": false, "raw": true])
        let search = try XCTUnwrap(try client.receive(client.shell).content["history"] as? [[Any]])
        XCTAssertEqual(search.map { $0[2] as? String }, ["set a=7"])

        try client.send(client.shell, "comm_info_request")
        XCTAssertEqual((try client.receive(client.shell).content["comms"] as? JSONObject)?.count, 0)
    }

    func testShutdownRepliesAndStopsTheServer() throws {
        try startKernel()
        try client.send(client.control, "shutdown_request", ["restart": true])
        let reply = try client.receive(client.control)
        XCTAssertEqual(reply.type, "shutdown_reply")
        XCTAssertEqual(reply.content["restart"] as? Bool, true)
        wait(for: [finished], timeout: 10)
        XCTAssertEqual(interpreter.shutdownRestart, true)
        finished = nil
    }
}
