import XCTest
@testable import LodeScript

/// Runs code in a session and returns what a front end would show.
struct Run {
    let outcome: ExecutionOutcome
    let output: CollectingOutput

    /// The displayed value of the cell (text/plain), nil when nothing is shown.
    var shown: String? {
        if case .ok(let bundle) = outcome { return bundle?.plainText }
        return nil
    }

    var stdout: String { output.stdout }

    /// The full rendered diagnostic, nil when the cell succeeded.
    var error: String? {
        if case .error(_, _, let traceback) = outcome { return traceback.joined(separator: "\n") }
        return nil
    }

    var errorName: String? {
        if case .error(let name, _, _) = outcome { return name }
        return nil
    }
}

@discardableResult
func lode(_ code: String, in session: Session = Session(), cell: String = "cell[1]") -> Run {
    let output = CollectingOutput()
    let outcome = session.execute(code, cellName: cell, output: output)
    return Run(outcome: outcome, output: output)
}

/// The displayed value of an expression, failing the test on error.
func value(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
    let result = lode(code)
    if let error = result.error { XCTFail("unexpected error:\n\(error)", file: file, line: line) }
    return result.shown
}

let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures").path
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
