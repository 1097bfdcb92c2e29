import XCTest
@testable import LodeKernel

final class WireTests: XCTestCase {
    private let parts: [[UInt8]] = [Array(#"{"msg_id":"a","msg_type":"kernel_info_request","session":"s","username":"u","date":"d","version":"5.3"}"#.utf8),
                                    Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]

    func testSignatureMatchesRFC4231Vector() {
        // RFC 4231 test case 2, the data split over the four signed frames.
        let signer = MessageSigner(key: "Jefe")
        let data = Array("what do ya want for nothing?".utf8)
        let split = [Array(data[0..<4]), Array(data[4..<10]), [], Array(data[10...])]
        XCTAssertEqual(signer.signature(for: split), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        XCTAssertTrue(signer.isValid(signature: Array("5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843".utf8), parts: split))
        XCTAssertFalse(signer.isValid(signature: Array("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3844".utf8), parts: split))
    }

    func testEmptyKeySignsNothingAndAcceptsAnything() {
        let signer = MessageSigner(key: "")
        XCTAssertEqual(signer.signature(for: parts), "")
        XCTAssertTrue(signer.isValid(signature: [], parts: parts))
    }

    func testConstantTimeEqualAndHexDecoding() {
        XCTAssertTrue(constantTimeEqual([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(constantTimeEqual([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(constantTimeEqual([1, 2], [1, 2, 3]))
        XCTAssertEqual(decodeHex(Array("00ff10Ab".utf8)), [0x00, 0xff, 0x10, 0xab])
        XCTAssertNil(decodeHex(Array("0g".utf8)))
        XCTAssertNil(decodeHex(Array("abc".utf8)))
    }

    func testDecodeAcceptsSignedFramesAndKeepsIdentitiesAndBuffers() throws {
        let codec = WireCodec(signer: MessageSigner(key: "secret"))
        let signature = Array(codec.signer.signature(for: parts).utf8)
        let frames = [Array("peer".utf8), WireCodec.delimiter, signature] + parts + [[9, 9]]
        let message = try codec.decode(frames).get()
        XCTAssertEqual(message.identities, [Array("peer".utf8)])
        XCTAssertEqual(message.type, "kernel_info_request")
        XCTAssertEqual(message.buffers, [[9, 9]])
    }

    func testDecodeRejectsBadEmptyReplayedAndMalformed() {
        let codec = WireCodec(signer: MessageSigner(key: "secret"))
        let good = Array(codec.signer.signature(for: parts).utf8)
        let wrong = Array(MessageSigner(key: "other").signature(for: parts).utf8)
        XCTAssertEqual(decodeFailure(codec, [WireCodec.delimiter, wrong] + parts), .badSignature)
        XCTAssertEqual(decodeFailure(codec, [WireCodec.delimiter, []] + parts), .badSignature)
        XCTAssertEqual(decodeFailure(codec, [Array("x".utf8), good] + parts), .missingDelimiter)
        XCTAssertEqual(decodeFailure(codec, [WireCodec.delimiter, good] + parts.prefix(3)), .tooFewFrames(4))
        XCTAssertNil(decodeFailure(codec, [WireCodec.delimiter, good] + parts))
        XCTAssertEqual(decodeFailure(codec, [WireCodec.delimiter, good] + parts), .replayedSignature)
        // A correctly signed frame that is not JSON is refused after the signature check.
        let broken = [Array("not json".utf8)] + parts.dropFirst()
        let brokenSignature = Array(codec.signer.signature(for: broken).utf8)
        XCTAssertEqual(decodeFailure(codec, [WireCodec.delimiter, brokenSignature] + broken), .malformedJSON(part: "header"))
    }

    func testEncodedMessageRoundTripsThroughDecode() throws {
        let sender = WireCodec(signer: MessageSigner(key: "k"))
        let receiver = WireCodec(signer: MessageSigner(key: "k"))
        var header = Message.header(type: "execute_request", session: "abc")
        header["extra"] = "é✓"
        let sent = Message(identities: [[1], [2]], header: header, content: ["code": "x = 1", "silent": false])
        let received = try receiver.decode(sender.encode(sent)).get()
        XCTAssertEqual(received.identities, [[1], [2]])
        XCTAssertEqual(received.header["extra"] as? String, "é✓")
        XCTAssertEqual(received.content["code"] as? String, "x = 1")
        XCTAssertEqual(received.header["version"] as? String, "5.3")
        let date = try XCTUnwrap(received.header["date"] as? String)
        XCTAssertNotNil(date.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"#, options: .regularExpression), date)
    }

    func testReplayGuardForgetsOldestBeyondCapacity() {
        let guardian = ReplayGuard(capacity: 2)
        XCTAssertTrue(guardian.admit([1]))
        XCTAssertTrue(guardian.admit([2]))
        XCTAssertFalse(guardian.admit([1]))
        XCTAssertTrue(guardian.admit([3]))  // evicts [1]
        XCTAssertTrue(guardian.admit([1]))
        XCTAssertFalse(guardian.admit([3]))
    }

    func testConnectionFileEndpoints() throws {
        let path = NSTemporaryDirectory() + "lode-conn-\(UUID().uuidString).json"
        try Data(#"{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005, "ip": "127.0.0.2", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256"}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        let info = try ConnectionInfo(contentsOf: path)
        XCTAssertEqual(info.endpoint(port: info.shellPort), "tcp://127.0.0.2:5001")
        var ipc = info
        ipc.transport = "ipc"
        ipc.ip = "/tmp/kernel"
        XCTAssertEqual(ipc.endpoint(port: 7), "ipc:///tmp/kernel-7")
        ipc.transport = "tcp"
        ipc.ip = "::1"
        XCTAssertEqual(ipc.endpoint(port: 7), "tcp://[::1]:7")
        try Data(#"{"shell_port": "x"}"#.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ConnectionInfo(contentsOf: path)) { error in
            XCTAssertTrue("\(error)".contains("shell_port"), "\(error)")
        }
    }

    private func decodeFailure(_ codec: WireCodec, _ frames: [[UInt8]]) -> WireRejection? {
        if case .failure(let rejection) = codec.decode(frames) { return rejection }
        return nil
    }
}
