import XCTest
@testable import LodeScript

final class CompletionTests: XCTestCase {
    private func complete(_ code: String, _ session: Session = Session()) -> CompletionResult {
        session.complete(code, cursor: code.unicodeScalars.count)
    }

    func testCommandsVariablesAndKeywords() {
        let session = Session()
        lode("printer_name = 1", in: session)
        let result = complete("pri", session)
        XCTAssertEqual(result.matches, ["print", "printer_name"])
        XCTAssertEqual(result.cursorStart, 0)
        XCTAssertEqual(result.cursorEnd, 3)
        XCTAssertEqual(complete("x = whi").matches, ["while"])
    }

    func testRecordFieldsAfterDot() {
        let session = Session()
        lode("survey = {samples: 1, faults: 2, extent: 3}", in: session)
        let result = complete("n = survey.f", session)
        XCTAssertEqual(result.matches, ["faults"])
        XCTAssertEqual(result.cursorStart, 11)
        lode("nested = {grid: {cell: 1, rows: 2}}", in: session)
        XCTAssertEqual(complete("nested.grid.", session).matches, ["cell", "rows"])
    }

    func testNamedArgumentsInsideACall() {
        let result = complete("range(3, ste")
        XCTAssertEqual(result.matches.first, "step:")
        XCTAssertEqual(result.cursorStart, 9)
        let session = Session()
        lode("fn survey_grid(cell, rows: 10, cols: 10) { cell }", in: session)
        XCTAssertEqual(complete("survey_grid(100, rows: 5, ", session).matches.prefix(1), ["cols:"],
                       "parameters already given are not offered again")
    }

    func testFilePathsInsideStrings() throws {
        let directory = NSTemporaryDirectory() + "lode-complete-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/surveys", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: directory + "/samples.csv", contents: Data())
        let code = "read(\"\(directory)/sa"
        let result = complete(code)
        XCTAssertEqual(result.matches, ["\(directory)/samples.csv"])
        XCTAssertEqual(result.cursorStart, 6)
        XCTAssertEqual(complete("read(\"\(directory)/su").matches, ["\(directory)/surveys/"])
    }

    func testInspectShowsCommandDocAndValueSummary() {
        let session = Session()
        let help = session.inspect("range", cursor: 2) ?? ""
        XCTAssertTrue(help.hasPrefix("range(start, end: nil, step: 1) -> list\n\nThe numbers from start"), help)
        XCTAssertTrue(help.contains("Examples:\n  range(3)"))
        XCTAssertEqual(session.inspect("map([1], ", cursor: 9)?.components(separatedBy: "\n").first,
                       "map(values, function) -> list", "inside a call: the call's doc")
        lode("grid = {cell: 100}", in: session)
        XCTAssertEqual(session.inspect("grid.cell", cursor: 7), "grid.cell: number\n100")
        XCTAssertEqual(session.inspect("grid", cursor: 4), "grid: record\n{cell: 100}")
        lode("fn scaled(x, factor: 2) => x * factor", in: session)
        XCTAssertEqual(session.inspect("scaled", cursor: 1), "scaled: fn scaled(x, factor: …)")
        XCTAssertNil(session.inspect("   ", cursor: 1))
    }

    func testIsComplete() {
        let session = Session()
        XCTAssertEqual(session.isComplete("x = 1"), .complete)
        XCTAssertEqual(session.isComplete("fn f(x) {"), .incomplete(indent: "    "))
        XCTAssertEqual(session.isComplete("fn f(x) {\n  if x {"), .incomplete(indent: "        "))
        XCTAssertEqual(session.isComplete("print(1,"), .incomplete(indent: "    "))
        XCTAssertEqual(session.isComplete("x = \"abc"), .incomplete(indent: ""))
        XCTAssertEqual(session.isComplete("total = 1 +"), .incomplete(indent: "    "))
        XCTAssertEqual(session.isComplete("fn f(x) {\n  x\n}"), .complete)
        XCTAssertEqual(session.isComplete("x = )"), .invalid)
        XCTAssertEqual(session.isComplete("x = [1 2]"), .invalid)
    }
}
