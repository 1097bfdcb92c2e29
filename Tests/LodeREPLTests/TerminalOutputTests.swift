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

    private func makeOutput(progressStyle: ProgressWriter.Style? = .bar) -> TerminalOutput {
        TerminalOutput(figureDirectory: directory, standardOutput: out.fileHandleForWriting,
                       standardError: err.fileHandleForWriting, progressStyle: progressStyle)
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

    /// Into a pipe (a log): whole lines, no `\r` or escape codes; the first event, each
    /// further tenth at least 2 s after the last line, and the finish.
    func testProgressIntoAPipeIsPlainThrottledLines() {
        var clock = Date(timeIntervalSince1970: 1000)
        let writer = ProgressWriter(handle: err.fileHandleForWriting, now: { clock })
        XCTAssertEqual(writer.style, .lines, "a pipe is not a terminal")
        // Events every 0.5 s at 5 %, 10 %, ... 95 %: a line at 5 % (first), then a new tenth
        // is due only when 2 s have passed: 25 % (t = 2 s), 45 % (t = 4 s), 65 %, 85 %.
        for step in 1...19 {
            writer.show(ProgressEvent(fraction: Double(step) * 0.05, message: "tiles", eta: 10))
            clock += 0.5
        }
        writer.show(ProgressEvent(fraction: 1, message: "tiles", finished: true))
        // The next piece of work starts its own lines at once; without an ETA of its own one
        // is estimated once a second has passed: 25 % in 3 s leaves 9 s.
        writer.show(ProgressEvent(fraction: 0.05, message: "maps"))
        clock += 3
        writer.show(ProgressEvent(fraction: 0.25, message: "maps"))
        let lines = read(err).components(separatedBy: "\n")
        XCTAssertEqual(lines, [
            "[#.............................]   5% tiles  ETA 10s",
            "[#######.......................]  25% tiles  ETA 10s",
            "[#############.................]  45% tiles  ETA 10s",
            "[###################...........]  65% tiles  ETA 10s",
            "[#########################.....]  85% tiles  ETA 10s",
            "[##############################] 100% tiles",
            "[#.............................]   5% maps",
            "[#######.......................]  25% maps  ETA 9s", ""])
    }

    func testDurations() {
        XCTAssertEqual(ProgressWriter.formatDuration(9.4), "9s")
        XCTAssertEqual(ProgressWriter.formatDuration(75), "1m15s")
        XCTAssertEqual(ProgressWriter.formatDuration(3725), "1h02m")
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
