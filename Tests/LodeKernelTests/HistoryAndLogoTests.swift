import XCTest
@testable import LodeKernel

final class HistoryAndLogoTests: XCTestCase {
    func testGlob() {
        XCTAssertTrue(globMatches("*1 + 1*", "x = 1 + 1"))
        XCTAssertTrue(globMatches("pr?nt*", "print(1)"))
        XCTAssertFalse(globMatches("pr?nt", "print(1)"))
        XCTAssertTrue(globMatches("*", ""))
        XCTAssertFalse(globMatches("a*b", "acd"))
    }

    func testTailRangeSearchAndUnique() {
        let store = HistoryStore()
        for (line, input) in ["a = 1", "b = 2", "a = 1", "c = a + b"].enumerated() {
            store.record(line: line + 1, input: input, output: line == 3 ? "3" : nil)
        }
        XCTAssertEqual(store.entries(matching: .init(access: .tail(count: 2), includeOutput: false)).map(\.line), [3, 4])
        XCTAssertEqual(store.entries(matching: .init(access: .range(session: 1, start: 2, stop: 3), includeOutput: false)).map(\.input), ["b = 2"])
        XCTAssertEqual(store.entries(matching: .init(access: .range(session: 0, start: 3, stop: 0), includeOutput: false)).map(\.line), [3, 4])
        XCTAssertEqual(store.entries(matching: .init(access: .range(session: 7, start: 1, stop: 0), includeOutput: false)), [])
        XCTAssertEqual(store.entries(matching: .init(access: .search(pattern: "a = *", count: nil, unique: false), includeOutput: false)).map(\.line), [1, 3])
        XCTAssertEqual(store.entries(matching: .init(access: .search(pattern: "a = *", count: nil, unique: true), includeOutput: false)).map(\.line), [3])
        XCTAssertEqual(store.entries(matching: .init(access: .search(pattern: "*", count: 1, unique: false), includeOutput: true)).first?.output, "3")
    }

    func testCRC32CheckValue() {
        XCTAssertEqual(crc32(Array("123456789".utf8)), 0xCBF4_3926)
    }

    func testLogoIsAWellFormedPNG() throws {
        let png = KernelLogo.png(size: 32)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // Walk the chunks: each CRC must match, IHDR must say 32 x 32 RGBA, IEND must close it.
        var offset = 8
        var types: [String] = []
        while offset < png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
            let typed = Array(png[(offset + 4)..<(offset + 8 + length)])
            let stored = png[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            XCTAssertEqual(crc32(typed), stored)
            types.append(String(decoding: typed.prefix(4), as: UTF8.self))
            if types.last == "IHDR" { XCTAssertEqual(Array(typed[4..<12]), [0, 0, 0, 32, 0, 0, 0, 32]); XCTAssertEqual(typed[13], 6) }
            offset += 12 + length
        }
        XCTAssertEqual(types, ["IHDR", "IDAT", "IEND"])
    }

    func testInstallWritesSpecAndLogosAndUninstallRemovesThem() throws {
        let prefix = NSTemporaryDirectory() + "lode-spec-\(UUID().uuidString)"
        let folder = try KernelspecInstaller.install(name: "lode-test", location: .prefix(prefix), executable: "/opt/lode")
        XCTAssertEqual(folder, prefix + "/share/jupyter/kernels/lode-test")
        let spec = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/kernel.json"))) as? [String: Any])
        XCTAssertEqual(spec["argv"] as? [String], ["/opt/lode", "kernel", "-f", "{connection_file}"])
        XCTAssertEqual(spec["interrupt_mode"] as? String, "message")
        XCTAssertEqual(spec["language"] as? String, "lode")
        for logo in ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/" + logo), logo)
        }
        try KernelspecInstaller.uninstall(name: "lode-test", location: .prefix(prefix))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
        XCTAssertThrowsError(try KernelspecInstaller.uninstall(name: "lode-test", location: .prefix(prefix)))
        XCTAssertThrowsError(try KernelspecInstaller.install(name: "bad/name", location: .prefix(prefix), executable: "x"))
    }
}
