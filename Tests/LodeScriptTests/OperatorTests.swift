import XCTest
@testable import LodeScript

final class OperatorTests: XCTestCase {
    func testArithmeticPrecedence() {
        XCTAssertEqual(value("1 + 2 * 3"), "7")
        XCTAssertEqual(value("(1 + 2) * 3"), "9")
        XCTAssertEqual(value("10 - 4 - 3"), "3")
        XCTAssertEqual(value("2 ^ 3 ^ 2"), "512")
        XCTAssertEqual(value("-2 ^ 2"), "-4")
        XCTAssertEqual(value("2 ^ -1"), "0.5")
        XCTAssertEqual(value("7 / 2"), "3.5")
        XCTAssertEqual(value("7 % 3"), "1")
        XCTAssertEqual(value("-1 % 3"), "2")
        XCTAssertEqual(value("-(3)"), "-3")
        XCTAssertEqual(value("+4"), "4")
    }

    func testComparisonAndLogic() {
        XCTAssertEqual(value("1 < 2"), "true")
        XCTAssertEqual(value("2 <= 2 and 3 >= 4"), "false")
        XCTAssertEqual(value("\"a\" < \"b\""), "true")
        XCTAssertEqual(value("[1, 2] == [1, 2]"), "true")
        XCTAssertEqual(value("{a: 1} != {a: 2}"), "true")
        XCTAssertEqual(value("not 1 == 2"), "true")
        XCTAssertEqual(value("nil or \"default\""), #""default""#)
        XCTAssertEqual(value("0 and 5"), "5", "only false and nil are false")
        XCTAssertEqual(value("false and undefined_name"), "false", "and stops early")
        XCTAssertEqual(value("true or undefined_name"), "true", "or stops early")
        XCTAssertEqual(value("not nil"), "true")
    }

    func testStringAndListOperators() {
        XCTAssertEqual(value("\"Au\" + \"-\" + \"ppb\""), #""Au-ppb""#)
        XCTAssertEqual(value("[1] + [2, 3]"), "[1, 2, 3]")
        XCTAssertEqual(value("\"ab\" * 3"), #""ababab""#)
    }

    func testIndexingAndMembers() {
        XCTAssertEqual(value("xs = [10, 20, 30]\nxs[0] + xs[-1]"), "40")
        XCTAssertEqual(value("\"héllo\"[1]"), #""é""#)
        XCTAssertEqual(value("r = {a: {b: [1, 2]}}\nr.a.b[1]"), "2")
        XCTAssertEqual(value("r = {\"unit\": \"ppb\"}\nr[\"unit\"]"), #""ppb""#)
    }

    func testPipe() {
        XCTAssertEqual(value("fn f(x, a, k: 0) { x * 100 + a * 10 + k }\n1 |> f(2, k: 3)"), "123")
        XCTAssertEqual(value("9 |> sqrt"), "3")
        XCTAssertEqual(value("[1, 2, 3]\n  |> map(fn(x) => x * 2)\n  |> sum"), "12")
        XCTAssertEqual(value("1 + 2 |> str"), #""3""#, "the pipe binds looser than +")
        XCTAssertEqual(value("4 |> fn(x) => x + 1"), "5")
    }
}
