import XCTest
@testable import LodeScript

final class ModuleTests: XCTestCase {
    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "lode-modules-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path + "/stdlib", withIntermediateDirectories: true)
        return path
    }

    func testUseLoadsFromTheSearchPathOnce() throws {
        let root = try temporaryDirectory()
        try "print(\"tools ran\")\nfn triple(x) => x * 3\n".write(
            toFile: root + "/stdlib/tools.lode", atomically: true, encoding: .utf8)
        let session = Session(searchPaths: [root + "/stdlib"])
        let run = lode("use \"tools\"\nuse \"tools\"\ntriple(2)", in: session)
        XCTAssertEqual(run.shown, "6")
        XCTAssertEqual(run.stdout.components(separatedBy: "tools ran").count - 1, 1)
    }

    func testUseOfARelativeFileFromAFile() throws {
        let root = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: root + "/lib", withIntermediateDirectories: true)
        try "helper_value = 41\n".write(toFile: root + "/lib/helper.lode", atomically: true, encoding: .utf8)
        try "use \"lib/helper.lode\"\nresult = helper_value + 1\n".write(
            toFile: root + "/main.lode", atomically: true, encoding: .utf8)
        let session = Session()
        let outcome = session.run(file: root + "/main.lode", output: CollectingOutput())
        if case .error(_, _, let traceback) = outcome { XCTFail(traceback.joined(separator: "\n")) }
        XCTAssertEqual(session.value(of: "result"), .number(42))
    }

    func testPreludeIsLoadedBeforeTheFirstCell() {
        let session = Session(searchPaths: [repositoryRoot + "/stdlib"])
        XCTAssertEqual(lode("mean([1, 2, 3, 6])", in: session).shown, "3")
        XCTAssertEqual(lode("zip([1, 2], [\"a\", \"b\"])", in: session).shown, #"[[1, "a"], [2, "b"]]"#)
        lode("mine = 1", in: session)
        XCTAssertEqual(session.variables.map(\.name), ["mine"], "prelude helpers are not listed as variables")
    }

    func testMissingModuleSuggestsAName() throws {
        let root = try temporaryDirectory()
        try "x = 1\n".write(toFile: root + "/stdlib/pipeline.lode", atomically: true, encoding: .utf8)
        let result = lode("use \"pipline\"", in: Session(searchPaths: [root + "/stdlib"]))
        XCTAssertEqual(result.error?.components(separatedBy: "\n").first,
                       "cell[1]:1:1: IOError: cannot find module 'pipline'")
        XCTAssertTrue(result.error?.contains("hint: did you mean 'pipeline'?") ?? false)
    }

    func testManyGlobalsAcrossCells() {
        let session = Session()
        for index in 0..<150 { lode("v\(index) = \(index)", in: session, cell: "cell[\(index)]") }
        let names = (0..<150).map { "v\($0)" }.joined(separator: ", ")
        XCTAssertEqual(lode("sum([\(names)])", in: session).shown, "11175")
    }

    func testVariablesPersistAcrossCellsAndReset() {
        let session = Session()
        lode("x = 5", in: session)
        XCTAssertEqual(lode("x * 2", in: session, cell: "cell[2]").shown, "10")
        XCTAssertEqual(session.variables.map(\.name), ["x"])
        session.reset()
        XCTAssertEqual(lode("x", in: session, cell: "cell[3]").errorName, "NameError")
        XCTAssertEqual(session.executionCount, 3)
    }
}
