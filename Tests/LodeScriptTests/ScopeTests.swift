import XCTest
@testable import LodeScript

/// The scope rules of docs/language.md ("Variables and scope"), each with its hand-worked value.
final class ScopeTests: XCTestCase {
    func testALoopCarriedLocalReadsTheGlobalUntilTheFunctionAssignsIt() {
        // Iteration 0 reads the global x (1); then the local x is 10, then 11.
        XCTAssertEqual(value("""
            x = 1
            fn f() { out = []; for i in range(3) { out = append(out, x); x = i + 10 }; out }
            [f(), x]
            """), "[[1, 10, 11], 1]")
    }

    func testALocalWithNoValueYetIsANameErrorThatSaysSo() {
        let run = lode("fn g() { for i in range(3) { total = (total or 0) + i }; total }\ng()")
        XCTAssertEqual(run.errorName, "NameError")
        XCTAssertTrue(run.error?.contains("'total' has no value yet") == true, run.error ?? "")
        XCTAssertEqual(value("fn g() { total = 0; for i in range(4) { total = total + i }; total }\ng()"), "6")
    }

    func testAConditionallyAssignedNameIsNeverASilentNil() {
        XCTAssertEqual(value("fn h(c) { if c { y = 1 }; y }\nh(true)"), "1")
        XCTAssertEqual(lode("fn h(c) { if c { y = 1 }; y }\nh(false)").errorName, "NameError")
        // With a global of that name, the unassigned local reads the global.
        XCTAssertEqual(value("y = 5\nfn h(c) { if c { y = 1 }; y }\n[h(true), h(false), y]"), "[1, 5, 5]")
    }

    func testAnInnerFunctionUpdatesAVariableTheOuterOneAssignsLaterInTheText() {
        XCTAssertEqual(value("fn outer() { fn inner() { count = 1 }; count = 0; inner(); count }\nouter()"), "1")
    }

    func testClosuresCreatedInALoopSeeTheVariableNotItsValueAtCreation() {
        // Late binding, as documented: every closure reads the loop variable's last value...
        XCTAssertEqual(value("""
            fn f() { fs = []; for i in range(3) { fs = append(fs, fn() => i * 10) }; map(fs, fn(g) => g()) }
            f()
            """), "[20, 20, 20]")
        // ...and a factory function gives each closure its own variable.
        XCTAssertEqual(value("""
            fn times(k) => fn() => k * 10
            fn f() { fs = []; for i in range(3) { fs = append(fs, times(i)) }; map(fs, fn(g) => g()) }
            f()
            """), "[0, 10, 20]")
    }

    func testAFunctionNeverChangesAGlobalByAssignment() {
        XCTAssertEqual(value("n = 1\nfn bump() { n = n + 1; n }\n[bump(), bump(), n]"), "[2, 2, 1]")
    }

    func testAModuleSeesItsOwnNamesAndTheCommandsNotTheCallersGlobals() throws {
        let root = NSTemporaryDirectory() + "lode-scope-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "fn mean(xs) => sum(xs) / len(xs)\nfn doubled(xs) => map(xs, fn(v) => v * factor)\nfactor = 2\n"
            .write(toFile: root + "/prelude.lode", atomically: true, encoding: .utf8)
        try "fn spread(xs) => max(xs) - min(xs) + offset\noffset = 0\nfn centre(xs) => mean(xs)\n"
            .write(toFile: root + "/stats.lode", atomically: true, encoding: .utf8)
        let session = Session(searchPaths: [root])
        // A user global named like a command or a module variable changes nothing inside.
        XCTAssertEqual(lode("sum = 0\nmax = 1\nfactor = 10\noffset = 100\nmean([1, 2, 3])", in: session).shown, "2")
        XCTAssertEqual(lode("doubled([1, 2])", in: session).shown, "[2, 4]")
        XCTAssertEqual(lode("use \"stats\"\n[spread([1, 5]), centre([2, 4])]", in: session).shown, "[4, 3]")
        // The user's own values are untouched, except the names the module brings in.
        XCTAssertEqual(lode("[sum, max, factor, offset]", in: session).shown, "[0, 1, 10, 0]")
    }

    func testScriptFileErrorsSayWhy() throws {
        let root = NSTemporaryDirectory() + "lode-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/folder.lode", withIntermediateDirectories: true)
        try Data([0x78, 0x20, 0x3D, 0x20, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: root + "/latin.lode"))
        func message(_ path: String) -> String {
            if case .error(let name, let message, _) = Session().run(file: path, output: CollectingOutput()) {
                XCTAssertEqual(name, "IOError")
                return message
            }
            XCTFail("\(path) ran")
            return ""
        }
        XCTAssertTrue(message(root + "/missing.lode").contains("does not exist"))
        XCTAssertTrue(message(root + "/folder.lode").contains("is a folder"))
        XCTAssertTrue(message(root + "/latin.lode").contains("not UTF-8 text (invalid byte at offset 4)"))
    }
}
