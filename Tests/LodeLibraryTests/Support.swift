import Foundation
import LodeLibrary
import LodeScript
import XCTest

/// The repository root (stdlib/, docs/) and the shared reference fixtures beside it.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let referenceFixtures = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/fixtures")

/// A session with the full command library and the repository's stdlib.
func librarySession() -> Session {
    LodeLibrary.makeSession(searchPaths: [repositoryRoot.appendingPathComponent("stdlib").path])
}

extension Session {
    /// Runs source and fails the test (returning nil) on a Lode error.
    @discardableResult
    func run(_ source: String, output: CollectingOutput = CollectingOutput(),
             file: StaticString = #filePath, line: UInt = #line) -> DisplayBundle? {
        switch execute(source, cellName: "<test>", output: output) {
        case .ok(let bundle): return bundle
        case .error(_, _, let traceback):
            XCTFail(traceback.joined(separator: "\n"), file: file, line: line)
            return nil
        }
    }

    /// The error text of source expected to fail.
    func failure(_ source: String) -> String? {
        if case .error(_, _, let traceback) = execute(source, cellName: "<test>", output: CollectingOutput()) {
            return traceback.joined(separator: "\n")
        }
        return nil
    }

    func object<T>(_ name: String, as type: T.Type) -> T? {
        guard case .object(let object)? = value(of: name) else { return nil }
        return object as? T
    }

    func number(_ name: String) -> Double? { value(of: name)?.numberValue }
}
