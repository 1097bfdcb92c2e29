import Foundation
import LodeScript
import XCTest
@testable import LodeKernel

/// The adapter from the kernel's interpreter interface to a real LodeScript session, driven
/// through a kernel server and the test client.
final class SessionInterpreterTests: XCTestCase {
    private var server: KernelServer!
    private var client: KernelClient!
    private var finished: XCTestExpectation!

    override func setUpWithError() throws {
        var options = KernelServer.Options()
        options.handlesSIGINT = false
        options.watchesParent = false
        let connection = ConnectionInfo(shellPort: 0, iopubPort: 0, stdinPort: 0, controlPort: 0, heartbeatPort: 0, key: "k")
        server = try KernelServer(connection: connection, interpreter: SessionInterpreter(session: Session()), options: options)
        finished = expectation(description: "kernel stopped")
        let running = server!, done = finished!
        Thread { running.run(); done.fulfill() }.start()
        client = try KernelClient(endpoints: server.endpoints, key: "k")
        try client.waitUntilReady()
    }

    override func tearDown() {
        server.stop()
        wait(for: [finished], timeout: 10)
        client = nil
        server = nil
        super.tearDown()
    }

    private func execute(_ code: String, _ extra: JSONObject = [:]) throws -> (reply: JSONObject, output: [Message]) {
        var content: JSONObject = ["code": code, "silent": false, "store_history": true, "user_expressions": JSONObject(),
                                   "allow_stdin": false, "stop_on_error": true]
        content.merge(extra) { $1 }
        let id = try client.send(client.shell, "execute_request", content)
        let reply = try client.receive(client.shell)
        return (reply.content, try client.iopubUntilIdle(id))
    }

    func testResultErrorAndUserExpressions() throws {
        let (reply, output) = try execute("grades = [1, 2]\nlen(grades) * 21", ["user_expressions": ["first": "grades[0] + 0.5"]])
        XCTAssertEqual(reply["status"] as? String, "ok")
        let result = try XCTUnwrap(output.first { $0.type == "execute_result" })
        XCTAssertEqual((result.content["data"] as? JSONObject)?["text/plain"] as? String, "42")
        let first = try XCTUnwrap((reply["user_expressions"] as? JSONObject)?["first"] as? JSONObject)
        XCTAssertEqual((first["data"] as? JSONObject)?["text/plain"] as? String, "1.5")

        let failed = try execute("grades + missing")
        XCTAssertEqual(failed.reply["ename"] as? String, "NameError")
        let error = try XCTUnwrap(failed.output.first { $0.type == "error" })
        XCTAssertTrue((error.content["traceback"] as? [String] ?? []).contains { $0.contains("missing") })
    }

    func testPagerShowsTheRegistryDocumentation() throws {
        for code in ["?print", "print?"] {
            let (reply, _) = try execute(code)
            let payload = try XCTUnwrap((reply["payload"] as? [JSONObject])?.first)
            XCTAssertEqual(payload["source"] as? String, "page")
            let text = try XCTUnwrap((payload["data"] as? JSONObject)?["text/plain"] as? String)
            XCTAssertTrue(text.contains("Writes the values to standard output"), text)
        }
    }

    func testRichContentCommandsAndTheirErrors() throws {
        let (_, output) = try execute("display(html(\"<b>Au</b>\"))")
        let display = try XCTUnwrap(output.first { $0.type == "display_data" })
        XCTAssertEqual((display.content["data"] as? JSONObject)?["text/html"] as? String, "<b>Au</b>")
        let missing = try execute("image(\"/nonexistent/map.png\")")
        XCTAssertEqual(missing.reply["ename"] as? String, "IOError")
        XCTAssertTrue((missing.reply["evalue"] as? String ?? "").contains("/nonexistent/map.png"))
        let notSVG = try execute("svg(\"<p>\")")
        XCTAssertEqual(notSVG.reply["status"] as? String, "error")
    }

    func testProgressBarText() {
        let bundle = ProgressDisplay.bundle(for: ProgressEvent(fraction: 0.5, message: "epoch 5", eta: 75))
        XCTAssertEqual(bundle.data["text/plain"], "[" + String(repeating: "#", count: 15) + String(repeating: "-", count: 15) + "] 50% epoch 5 (eta 1m 15s)")
        XCTAssertTrue(bundle.data["text/html"]?.contains("<progress value=\"50\" max=\"100\"") == true)
        let escaped = ProgressDisplay.bundle(for: ProgressEvent(fraction: nil, message: "<Au & As>"))
        XCTAssertEqual(escaped.data["text/html"], "<div class=\"lode-progress\">&lt;Au &amp; As&gt;</div>")
    }
}
