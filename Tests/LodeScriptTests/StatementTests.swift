import XCTest
@testable import LodeScript

final class StatementTests: XCTestCase {
    func testAssignmentForms() {
        XCTAssertEqual(value("x = 1\nx = x + 1\nx"), "2")
        XCTAssertEqual(value("xs = [1, 2]\nys = xs\nys[0] = 9\n[xs, ys]"), "[[1, 2], [9, 2]]",
                       "lists are values")
        XCTAssertEqual(value("r = {a: {b: [1, 2]}}\nr.a.b[0] = 5\nr.a.c = 6\nr"), "{a: {b: [5, 2], c: 6}}")
        XCTAssertEqual(value("a = b = 3\na + b"), "6")
        XCTAssertNil(value("x = 5"), "an assignment shows nothing")
    }

    func testLinesContinueAfterAnOperatorAndInsideBrackets() {
        XCTAssertEqual(value("total = 1 +\n  2 *\n  3\ntotal"), "7")
        XCTAssertEqual(value("xs = [\n  1,\n  2\n]\nlen(xs)"), "2")
        XCTAssertEqual(value("fn f(a,\n      b: 2,) { a + b }\nf(1,\n  b: 3,\n)"), "4")
        XCTAssertEqual(value("ok = true and\n  not false\nok"), "true")
    }

    func testSemicolonHidesTheValue() {
        XCTAssertNil(value("1 + 1;"))
        XCTAssertEqual(value("x = 1; x + 1"), "2")
    }

    func testIfIsAnExpression() {
        XCTAssertEqual(value("x = 5\nif x > 3 { \"big\" } else { \"small\" }"), #""big""#)
        XCTAssertEqual(value("x = 2\ny = if x > 3 { 1 } else if x > 1 { 2 } else { 3 }\ny"), "2")
        XCTAssertEqual(value("if false { 1 }\n[if false { 1 }]"), "[nil]")
        XCTAssertEqual(value("if true {\n  1\n}\nelse {\n  2\n}"), "1", "else on the next line")
    }

    func testLoops() {
        let code = """
            total = 0
            for i in range(10) {
                if i == 3 { continue }
                if i == 7 { break }
                total = total + i
            }
            n = 0
            while n < 5 { n = n + 1 }
            letters = ""
            for c in "abc" { letters = c + letters }
            fields = []
            for k in {x: 1, y: 2} { fields = append(fields, k) }
            [total, n, letters, fields]
            """
        XCTAssertEqual(value(code), #"[18, 5, "cba", ["x", "y"]]"#)
    }

    func testRangeLoopMatchesTheList() {
        XCTAssertEqual(value("s = []\nfor i in range(10, 0, -3) { s = append(s, i) }\n[s, range(10, 0, -3)]"),
                       "[[10, 7, 4, 1], [10, 7, 4, 1]]")
        XCTAssertEqual(value("s = []\nfor i in range(2, 4) { s = append(s, i) }\ns"), "[2, 3]")
    }

    func testFunctionsAndDefaults() {
        XCTAssertEqual(value("fn add(a, b: 10) { a + b }\n[add(1), add(1, 2), add(1, b: 5), add(b: 1, a: 2)]"),
                       "[11, 3, 6, 3]")
        XCTAssertEqual(value("fn f(a, b: a * 2) => a + b\nf(3)"), "9", "defaults see earlier parameters")
        XCTAssertEqual(value("fn sign(x) {\n  if x < 0 { return -1 }\n  if x == 0 { return 0 }\n  1\n}\n[sign(-5), sign(0), sign(3)]"),
                       "[-1, 0, 1]")
        XCTAssertEqual(value("fn nothing() { return }\nnothing() == nil"), "true")
        XCTAssertEqual(value("fn fact(n) { if n <= 1 { 1 } else { n * fact(n - 1) } }\nfact(10)"), "3628800")
    }

    func testClosures() {
        let code = """
            fn counter() {
                n = 0
                fn() { n = n + 1 }
            }
            c = counter()
            c(); c()
            d = counter()
            [c(), d()]
            """
        XCTAssertEqual(value(code), "[3, 1]")
        XCTAssertEqual(value("fn adder(k) => fn(x) => x + k\nadd5 = adder(5)\nadd5(1)"), "6")
    }

    func testFunctionsDoNotAssignGlobals() {
        XCTAssertEqual(value("g = 1\nfn f() { g = 2; g }\n[f(), g]"), "[2, 1]")
        XCTAssertEqual(value("g = 1\nfn f() => g + 1\nf()"), "2", "globals are readable")
    }

    func testNestedFunctionsAndRecursionInside() {
        let code = """
            fn outer(n) {
                fn inner(k) { if k == 0 { 0 } else { k + inner(k - 1) } }
                inner(n)
            }
            outer(4)
            """
        XCTAssertEqual(value(code), "10")
    }

    func testBreakInsideNestedLoopsLeavesTheInnerOne() {
        XCTAssertEqual(value("n = 0\nfor i in range(3) { for j in range(3) { if j == 1 { break }; n = n + 1 } }\nn"), "3")
    }

    func testReturnFromInsideALoop() {
        XCTAssertEqual(value("fn first(xs) { for x in xs { if x > 2 { return x } }; nil }\nfirst([1, 5, 7])"), "5")
    }
}
