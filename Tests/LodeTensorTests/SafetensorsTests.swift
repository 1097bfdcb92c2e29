import Foundation
import XCTest
@testable import LodeTensor

final class SafetensorsTests: XCTestCase {
    private func sample() throws -> SafetensorsFile {
        var f = SafetensorsFile(tensors: ["w": try Tensor.normal([3, 4], seed: 1), "b": tensor([2], [-0.0, .infinity])],
                                metadata: ["config": "{\"a\": [1, 2], \"q\": \"x\\\\y\"}", "note": "é\n"])
        f.arrays["labels"] = try SafetensorsArray(int64: [1, 0, -7, Int64.max], shape: [2, 2])
        f.arrays["double"] = try SafetensorsArray(float64: [1.0 / 3.0, -2e300], shape: [2])
        f.arrays["scalar"] = SafetensorsArray(Tensor(scalar: 4.5))
        return f
    }

    func testRoundTripIsBitIdentical() throws {
        let original = try sample()
        let path = NSTemporaryDirectory() + "lode-roundtrip-\(getpid()).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try original.write(path: path)
        let back = try SafetensorsFile.read(path: path)
        XCTAssertEqual(back, original)  // same names, dtypes, shapes, bytes and metadata
        XCTAssertEqual(back.serialized(), original.serialized())
        XCTAssertEqual(try back["labels"]?.int64Values(), [1, 0, -7, Int64.max])
        XCTAssertEqual(back["double"]?.doubleValues(), [1.0 / 3.0, -2e300])
        XCTAssertEqual(back["scalar"]?.shape, [])
        XCTAssertEqual(back.metadata["note"], "é\n")
        // The header is 8-byte aligned, as the format recommends.
        let bytes = original.serialized()
        let headerSize = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(headerSize % 8, 0)
    }

    func testFixtureFilesLoad() throws {
        let ops = try SafetensorsFile.read(path: try fixturePath("ops.safetensors"))
        XCTAssertEqual(ops.metadata.count, 18)
        XCTAssertEqual(ops["cross_entropy.target"]?.dtype, .int64)
        XCTAssertEqual(try ops["cross_entropy.target"]?.int64Values(), [0, 1, 1, 0, 1])
        XCTAssertEqual(ops["conv3_s1_p1.x"]?.shape, [2, 3, 9, 9])
        let model = try SafetensorsFile.read(path: try fixturePath("model_dualbranch.safetensors"))
        XCTAssertEqual(model.metadata["model"], "dualbranch")
        XCTAssertEqual(try model["input.y"]?.int64Values(), [1, 0, 1, 0])
        XCTAssertEqual(model["param.conv1.weight"]?.shape, [8, 15, 3, 3])
        // Loading and re-serialising a PyTorch-written file keeps every array's bytes.
        let again = try SafetensorsFile(bytes: model.serialized())
        XCTAssertEqual(again, model)
    }

    func testBadFilesGiveNamedErrors() throws {
        let good = try sample().serialized()
        func message(_ bytes: [UInt8]) -> String {
            do {
                _ = try SafetensorsFile(bytes: bytes)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(message(Array(good.prefix(5))).contains("truncated"), message(Array(good.prefix(5))))
        XCTAssertTrue(message(Array(good.prefix(40))).contains("truncated"))
        XCTAssertTrue(message(Array(good.dropLast(3))).contains("truncated"), message(Array(good.dropLast(3))))
        var header = Array("{\"t\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var unknown: [UInt8] = (0..<8).map { UInt8((header.count >> (8 * $0)) & 0xFF) } + header
        unknown += [0, 0]
        XCTAssertTrue(message(unknown).contains("unknown dtype BF16"), message(unknown))
        var garbage = good
        garbage[9] = UInt8(ascii: "#")
        XCTAssertTrue(message(garbage).contains("bad header"), message(garbage))
        XCTAssertThrowsError(try SafetensorsFile.read(path: "/nonexistent/x.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/x.safetensors"))
        }
    }
}
