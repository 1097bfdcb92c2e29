import Foundation
import LodeLibrary
import LodeScript
import LodeTensor
import XCTest

/// `threads(n)`: sets and reports the cores tensor work uses; bad counts are refused by name.
final class SettingsCommandTests: XCTestCase {
    func testThreadsSetsAndReports() {
        let before = Threads.count
        defer { Threads.set(before) }
        let session = librarySession()
        session.run("t = threads(1)\nnow = threads()")
        XCTAssertEqual(session.number("t"), 1)
        XCTAssertEqual(session.number("now"), 1)
        XCTAssertEqual(Threads.count, 1)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let output = CollectingOutput()
        session.run("t = threads(\(cores + 1))", output: output)
        XCTAssertEqual(session.number("t"), Double(cores + 1))
        XCTAssertTrue(output.stderr.contains("extra threads share them"), output.stderr)
    }

    func testThreadsRefusesBadCounts() {
        let before = Threads.count
        defer { Threads.set(before) }
        let session = librarySession()
        let zero = session.failure("threads(0)") ?? ""
        XCTAssertTrue(zero.contains("count") && zero.contains("threads"), zero)
        let text = session.failure("threads(\"two\")") ?? ""
        XCTAssertTrue(text.contains("count"), text)
        XCTAssertNotNil(session.failure("threads(1.5)"))
        XCTAssertEqual(Threads.count, before)
    }
}
