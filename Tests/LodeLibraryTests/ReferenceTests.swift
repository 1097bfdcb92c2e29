import Foundation
import LodeLibrary
import LodeScript
import XCTest

/// docs/reference.md is generated from the full registry (`lode reference docs/reference.md`).
final class ReferenceTests: XCTestCase {
    func testReferencePageIsCurrent() throws {
        let committed = try String(contentsOfFile: repositoryRoot.appendingPathComponent("docs/reference.md").path, encoding: .utf8)
        XCTAssertEqual(committed, librarySession().registry.referenceMarkdown(),
                       "docs/reference.md is stale: run `lode reference docs/reference.md`")
    }

    func testEveryLibraryCommandIsDocumented() {
        let registry = CommandRegistry()
        LodeLibrary.register(in: registry)
        XCTAssertGreaterThan(registry.commands().count, 60)
        for entry in registry.commands() {
            XCTAssertFalse(entry.doc.isEmpty, entry.name)
            XCTAssertFalse(entry.examples.isEmpty, entry.name)
            for parameter in entry.parameters { XCTAssertFalse(parameter.doc.isEmpty, "\(entry.name).\(parameter.name)") }
        }
        let session = librarySession()
        XCTAssertTrue(session.inspect("idw", cursor: 3)?.contains("power") ?? false)
        XCTAssertTrue(session.complete("kmeans_n", cursor: 8).matches.contains("kmeans_negatives"))
    }
}
