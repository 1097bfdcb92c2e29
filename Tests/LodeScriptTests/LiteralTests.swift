import XCTest
@testable import LodeScript

final class LiteralTests: XCTestCase {
    func testNumbers() {
        XCTAssertEqual(value("42"), "42")
        XCTAssertEqual(value("3.25"), "3.25")
        XCTAssertEqual(value("1e-5"), "1e-05")
        XCTAssertEqual(value("2.5E3"), "2500")
        XCTAssertEqual(value("1_000_000"), "1000000")
        XCTAssertEqual(value("0.1 + 0.2"), "0.30000000000000004")
    }

    func testStringsAndEscapes() {
        XCTAssertEqual(value(#""a\tb""#), #""a\tb""#)
        let result = lode(#"print("line\none", 'it\'s', "q\"", "\\", "\u{41}\u{1F30B}")"#)
        XCTAssertEqual(result.stdout, "line\none it's q\" \\ A🌋\n")
    }

    func testBooleansAndNil() {
        XCTAssertEqual(value("true"), "true")
        XCTAssertEqual(value("false"), "false")
        XCTAssertNil(value("nil"), "nil is not displayed")
        XCTAssertEqual(value("[nil]"), "[nil]")
    }

    func testListsAndRecords() {
        XCTAssertEqual(value("[1, \"a\", [2, 3],]"), #"[1, "a", [2, 3]]"#)
        XCTAssertEqual(value("{name: \"Au\", \"unit x\": \"ppb\", n: 2}"),
                       #"{name: "Au", "unit x": "ppb", n: 2}"#)
        XCTAssertEqual(value("{\n  a: 1,\n  b: 2\n}"), "{a: 1, b: 2}")
        XCTAssertEqual(value("[]"), "[]")
        XCTAssertEqual(value("{}"), "{}")
    }

    func testComments() {
        XCTAssertEqual(value("# a comment\n1 + 1 # another"), "2")
    }
}
