import Foundation
import LodeScript
import XCTest
@testable import LodeREPL

final class TerminalOutputTests: XCTestCase {
    private var directory = ""
    private let out = Pipe()
    private let err = Pipe()

    override func setUp() {
        directory = NSTemporaryDirectory() + "lode-figures-\(UUID().uuidString)"
    }

    private func makeOutput() -> TerminalOutput {
        TerminalOutput(figureDirectory: directory, standardOutput: out.fileHandleForWriting,
                       standardError: err.fileHandleForWriting)
    }

    private func read(_ pipe: Pipe) -> String {
        pipe.fileHandleForWriting.closeFile()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    func testFiguresAreSavedAndTheirPathPrinted() throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
        let output = makeOutput()
        output.display(DisplayBundle(data: ["text/plain": "figure 640×480",
                                            "image/png": png.base64EncodedString()]),
                       displayID: nil, update: false)
        output.display(DisplayBundle(data: ["image/svg+xml": "<svg/>"]), displayID: nil, update: false)
        let path1 = directory + "/figure-\(output.sessionStamp)-1.png"
        let path2 = directory + "/figure-\(output.sessionStamp)-2.svg"
        XCTAssertEqual(read(out), "figure 640×480\nfigure saved to \(path1)\nfigure saved to \(path2)\n")
        XCTAssertEqual(FileManager.default.contents(atPath: path1), png)
        XCTAssertEqual(FileManager.default.contents(atPath: path2), Data("<svg/>".utf8))
        XCTAssertEqual(output.lastFigurePath, path2)
    }

    /// A file already holding the next name (left by an earlier session of the same process
    /// id, or made by hand) is kept; the figure takes the following number.
    func testAnExistingFileIsNeverOverwritten() throws {
        let output = makeOutput()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let taken = directory + "/figure-\(output.sessionStamp)-1.svg"
        try Data("mine".utf8).write(to: URL(fileURLWithPath: taken))
        output.display(DisplayBundle(data: ["image/svg+xml": "<svg/>"]), displayID: nil, update: false)
        XCTAssertEqual(FileManager.default.contents(atPath: taken), Data("mine".utf8))
        XCTAssertEqual(output.lastFigurePath, directory + "/figure-\(output.sessionStamp)-2.svg")
        XCTAssertEqual(FileManager.default.contents(atPath: directory + "/figure-\(output.sessionStamp)-2.svg"), Data("<svg/>".utf8))
        XCTAssertNotEqual(TerminalOutput.makeSessionStamp(), "")
    }

    func testProgressBarWithGivenEtaAndClosingLine() {
        let output = makeOutput()
        output.progress(ProgressEvent(fraction: 0.5, message: "training", eta: 75))
        output.progress(ProgressEvent(fraction: 1, message: "training", finished: true))
        output.stream(.stdout, text: "done\n")
        XCTAssertEqual(read(err), "\r\u{1B}[K[###############...............]  50% training  ETA 1m15s"
                       + "\r\u{1B}[K[##############################] 100% training\n")
        XCTAssertEqual(read(out), "done\n")
    }

    func testDurations() {
        XCTAssertEqual(TerminalOutput.formatDuration(9.4), "9s")
        XCTAssertEqual(TerminalOutput.formatDuration(75), "1m15s")
        XCTAssertEqual(TerminalOutput.formatDuration(3725), "1h02m")
    }

    func testMetaCommandsParse() {
        guard case .doc("range") = MetaCommand(":doc range") else { return XCTFail() }
        guard case .time("1 + 1") = MetaCommand("  :time 1 + 1") else { return XCTFail() }
        guard case .unknown(":frobnicate") = MetaCommand(":frobnicate x") else { return XCTFail() }
        guard case .quit = MetaCommand(":q") else { return XCTFail() }
        XCTAssertEqual(MetaCommand(":load \"data/run.lode\""), .load("data/run.lode"))
        XCTAssertEqual(MetaCommand(":open"), .open(""))
    }
}
