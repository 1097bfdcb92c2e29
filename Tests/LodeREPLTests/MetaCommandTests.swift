import Foundation
import XCTest
@testable import LodeREPL

/// The prompt's own lines: one table for `:help`, completion and docs/language.md.
final class MetaCommandTests: XCTestCase {
    /// docs/language.md shows the table `:help` prints, line for line.
    func testLanguageGuideListsTheMetaCommandsOfTheREPL() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let guide = try String(contentsOf: root.appendingPathComponent("docs/language.md"), encoding: .utf8)
        let block = "  ```text\n" + MetaCommand.table + "\n  ```\n"
        XCTAssertTrue(guide.contains(block),
                      "docs/language.md's REPL table differs from MetaCommand.entries; paste this:\n" + block)
        XCTAssertTrue(MetaCommand.helpText.contains(MetaCommand.table))
    }

    /// Every `:word` of the table is understood, and completion offers exactly those words.
    func testEveryListedWordIsACommand() {
        XCTAssertEqual(MetaCommand.words, [":help", ":doc", ":vars", ":load", ":open", ":reset", ":time", ":quit"])
        for word in MetaCommand.words {
            if case .unknown = MetaCommand(word + " x") { XCTFail("\(word) is listed but not understood") }
        }
        XCTAssertEqual(MetaCommand.table.split(separator: "\n")[2], "  ?name, name?   the same as :doc name")
    }
}
