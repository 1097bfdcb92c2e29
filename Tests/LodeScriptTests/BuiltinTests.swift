import XCTest
@testable import LodeScript

final class BuiltinTests: XCTestCase {
    func testPrintAndEprint() {
        let result = lode("print(\"a\", 1, [2], sep: \"-\", end: \"!\")\neprint(\"warn\")")
        XCTAssertEqual(result.stdout, "a-1-[2]!")
        XCTAssertEqual(result.output.stderr, "warn\n")
    }

    /// print shows a whole long list (print(commands()) was cut at 100); the REPL's summary of
    /// the same value stays one short line.
    func testPrintShowsAWholeLongList() {
        let result = lode("print(range(150))")
        XCTAssertEqual(result.stdout, "[" + (0..<150).map(String.init).joined(separator: ", ") + "]\n")
        XCTAssertEqual(value("range(150)")?.hasSuffix("… 50 more]"), true)
    }

    func testCollectionsAndConversions() {
        XCTAssertEqual(value("[len([1, 2]), len(\"héllo\"), len({a: 1})]"), "[2, 5, 1]")
        XCTAssertEqual(value("range(3)"), "[0, 1, 2]")
        XCTAssertEqual(value("range(1, 2.5, step: 0.5)"), "[1, 1.5, 2]")
        XCTAssertEqual(value("keys({b: 1, a: 2})"), #"["b", "a"]"#)
        XCTAssertEqual(value("map([1, 2], fn(x) => x * 10)"), "[10, 20]")
        XCTAssertEqual(value("filter(range(6), fn(x) => x % 2 == 0)"), "[0, 2, 4]")
        XCTAssertEqual(value("reduce([1, 2, 3, 4], fn(a, b) => a * b)"), "24")
        XCTAssertEqual(value("reduce([], fn(a, b) => a + b, initial: 7)"), "7")
        XCTAssertEqual(value("[str(1.5) + \"!\", str(\"x\"), num(\" 2.5 \"), num(true)]"), #"["1.5!", "x", 2.5, 1]"#)
        XCTAssertEqual(value("[type(1), type(\"\"), type(nil), type([]), type({}), type(print), type(fn() => 1), type(true)]"),
                       #"["number", "string", "nil", "list", "record", "function", "function", "bool"]"#)
        XCTAssertEqual(value("sort([3, 1, 2])"), "[1, 2, 3]")
        XCTAssertEqual(value("sort([\"bb\", \"a\", \"ccc\"], key: len)"), #"["a", "bb", "ccc"]"#)
        XCTAssertEqual(value("join([\"Au\", 1], \"+\")"), #""Au+1""#)
        XCTAssertEqual(value("[sqrt(16), log10(1000), abs(-2), floor(2.7), ceil(2.1), round(2.5), min(3, 1), max([4, 9]), sum(1, 2, 3)]"),
                       "[4, 3, 2, 2, 3, 3, 1, 9, 6]")
    }

    func testAssertPassesAndFails() {
        XCTAssertNil(lode("assert(1 == 1)").error)
        XCTAssertEqual(lode("assert(1 == 2, message: \"numbers differ\")").errorName, "AssertionError")
    }

    func testTimePrintsAndReturnsTheValue() {
        let result = lode("time(sum(range(1000)))")
        XCTAssertEqual(result.shown, "499500")
        XCTAssertTrue(result.stdout.hasPrefix("time: "), result.stdout)
        let called = lode("time(fn() => 2 + 3)")
        XCTAssertEqual(called.shown, "5")
    }

    func testDisplayClearOutputAndInput() {
        let session = Session()
        let output = CollectingOutput()
        output.inputs = ["Au"]
        _ = session.execute("print(\"before\")\nclear_output()\ndisplay([1, 2])\nname = input(\"element? \")",
                            cellName: "cell[1]", output: output)
        XCTAssertEqual(output.clearCount, 1)
        XCTAssertEqual(output.displays.map(\.plainText), ["[1, 2]"])
        XCTAssertEqual(output.stdout, "element? ", "clear_output dropped the earlier text")
        XCTAssertEqual(session.value(of: "name"), .string("Au"))
    }

    func testProgressReachesTheSink() {
        let result = lode("for i in range(2) { progress((i + 1) / 2, message: \"tiles\") }")
        XCTAssertEqual(result.output.progressEvents, [
            ProgressEvent(fraction: 0.5, message: "tiles", eta: nil, finished: false),
            ProgressEvent(fraction: 1, message: "tiles", eta: nil, finished: true),
        ])
    }

    func testHelpAndCommands() {
        let result = lode("help(\"range\")")
        XCTAssertTrue(result.stdout.hasPrefix("range(start, end: nil, step: 1) -> list\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("range(3)          # [0, 1, 2]"))
        XCTAssertEqual(lode("help(print)").stdout.components(separatedBy: "\n").first,
                       "print(...values, sep: \" \", end: \"\\n\") -> nil")
        XCTAssertEqual(value("len(filter(commands(), fn(c) => c == \"map\"))"), "1")
    }
}
