import XCTest
@testable import LodeScript

/// Golden tests: the exact text a user sees for each kind of mistake.
final class ErrorMessageTests: XCTestCase {
    private func assertError(_ code: String, _ expected: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        let result = lode(code)
        XCTAssertEqual(result.error, expected, file: file, line: line)
    }

    func testUnterminatedString() {
        assertError("name = \"Au", """
            cell[1]:1:8: SyntaxError: unterminated string
                name = "Au
                       ^
            hint: close the string with "
            """)
    }

    func testUnexpectedCharacter() {
        assertError("ok = a & b", """
            cell[1]:1:8: SyntaxError: unexpected character '&'
                ok = a & b
                       ^
            hint: write 'and'
            """)
    }

    func testUnclosedCall() {
        assertError("print(1, 2", """
            cell[1]:1:6: SyntaxError: unclosed '('
                print(1, 2
                     ^
            hint: add ')' to close the argument list
            """)
    }

    func testMistypedKeyword() {
        assertError("whille x < 3 {\n}", """
            cell[1]:1:8: SyntaxError: expected end of line after the statement, found 'x'
                whille x < 3 {
                       ^
            hint: did you mean the keyword 'while'?
            """)
    }

    func testSeveralSyntaxErrorsAreReportedTogether() {
        assertError("x = 1 +* 2\ny = 3\nz = [1 2]", """
            cell[1]:1:8: SyntaxError: expected an expression, found '*'
                x = 1 +* 2
                       ^
            
            cell[1]:3:8: SyntaxError: expected ',' or ']' in the list, found number 2
                z = [1 2]
                       ^
            """)
    }

    func testBreakOutsideALoop() {
        assertError("if true { break }", """
            cell[1]:1:11: SyntaxError: 'break' outside a loop
                if true { break }
                          ^^^^^
            """)
    }

    func testReturnOutsideAFunction() {
        assertError("return 5", """
            cell[1]:1:1: SyntaxError: 'return' outside a function
                return 5
                ^^^^^^
            """)
    }

    func testPositionalAfterNamed() {
        assertError("range(1, step: 2, 10)", """
            cell[1]:1:19: SyntaxError: positional argument after a named argument
                range(1, step: 2, 10)
                                  ^^
            hint: put positional arguments first, then name: value pairs
            """)
    }

    func testAssignmentInACondition() {
        assertError("if x = 1 { 2 }", """
            cell[1]:1:6: SyntaxError: assignment is not allowed in a condition
                if x = 1 { 2 }
                     ^
            hint: use '==' to compare
            """)
    }

    func testUnknownNameWithSuggestion() {
        assertError("samples = [1, 2]\nlen(sample)", """
            cell[1]:2:5: NameError: unknown name 'sample'
                len(sample)
                    ^^^^^^
            hint: did you mean 'samples'?
            """)
    }

    func testUnknownCommandWithSuggestion() {
        assertError("prnt(\"hello\")", """
            cell[1]:1:1: NameError: unknown name 'prnt'
                prnt("hello")
                ^^^^
            hint: did you mean 'print'?
            """)
    }

    func testWrongArgumentName() {
        assertError("range(10, stpe: 2)", """
            cell[1]:1:11: ArgumentError: range() has no parameter named 'stpe'
                range(10, stpe: 2)
                          ^^^^
            hint: did you mean 'step'?
            """)
    }

    func testWrongArgumentType() {
        assertError("range(\"ten\")", """
            cell[1]:1:7: TypeError: argument 'start' of range() must be a number, got string "ten"
                range("ten")
                      ^^^^^
            hint: signature: range(start, end: nil, step: 1) -> list
            """)
    }

    func testMissingArgument() {
        assertError("fn area(width, height) { width * height }\narea(3)", """
            cell[1]:2:1: ArgumentError: area() is missing argument 'height'
                area(3)
                ^^^^
            hint: signature: area(width, height)
            """)
    }

    func testTooManyArguments() {
        assertError("len([1], [2])", """
            cell[1]:1:10: ArgumentError: len() takes 1 positional argument but 2 were given
                len([1], [2])
                         ^
            hint: signature: len(value) -> number
            """)
    }

    func testCallingANonFunction() {
        assertError("cell = 100\ncell(2)", """
            cell[1]:2:1: TypeError: cannot call number 100
                cell(2)
                ^^^^
            hint: only functions and commands can be called
            """)
    }

    func testIndexOutOfRange() {
        assertError("elements = [\"Au\", \"As\"]\nelements[2]", """
            cell[1]:2:10: IndexError: index 2 is out of range for a list of 2 elements
                elements[2]
                         ^
            hint: indices run from 0 to 1, or from -2 to -1 counting from the end
            """)
    }

    func testMissingRecordField() {
        assertError("survey = {samples: 1, faults: 2}\nsurvey.fault", """
            cell[1]:2:8: KeyError: record has no field 'fault'
                survey.fault
                       ^^^^^
            hint: did you mean 'faults'?
            """)
    }

    func testDivisionByZero() {
        assertError("total = 10\ncount = 0\ntotal / count", """
            cell[1]:3:7: ArithmeticError: division by zero
                total / count
                      ^
            """)
    }

    func testOperatorTypeError() {
        assertError("\"cell \" + 100", """
            cell[1]:1:9: TypeError: cannot apply '+' to string "cell " and number 100
                "cell " + 100
                        ^
            hint: use str(x) to turn a value into text before joining
            """)
    }

    func testErrorFromACommand() {
        assertError("num(\"12 ppm\")", """
            cell[1]:1:1: ArgumentError: cannot read "12 ppm" as a number
                num("12 ppm")
                ^^^
            """)
    }

    func testTracebackThroughFunctions() {
        assertError("fn inner(xs) { xs[5] }\nfn outer() { inner([1]) }\nouter()", """
            cell[1]:1:19: IndexError: index 5 is out of range for a list of 1 element
                fn inner(xs) { xs[5] }
                                  ^
            hint: indices run from 0 to 0, or from -1 to -1 counting from the end
            traceback (most recent call last):
              cell[1]:3:1 calls outer()
              cell[1]:2:14 calls inner()
            """)
    }

    func testRecursionTooDeep() {
        assertError("fn down(n) { down(n + 1) }\ndown(0)", """
            cell[1]:1:14: RecursionError: recursion too deep (more than 400 nested calls) in down()
                fn down(n) { down(n + 1) }
                             ^^^^
            hint: check that the function has a case that stops calling itself
            traceback (most recent call last):
              cell[1]:2:1 calls down()
              cell[1]:1:14 calls down()
              [the line above repeats 398 more times]
            """)
    }

    func testInterruptedKeepsVariables() {
        let session = Session()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { session.requestInterrupt() }
        let result = lode("i = 0\nwhile true {\n    i = i + 1\n}", in: session)
        XCTAssertEqual(result.error, """
            cell[1]:2:1: Interrupted: execution interrupted
                while true {
                ^^^^^
            hint: variables keep the values they had when the work stopped
            """)
        XCTAssertEqual(lode("i > 0", in: session, cell: "cell[2]").shown, "true")
        XCTAssertEqual(lode("1 + 1", in: session, cell: "cell[3]").shown, "2",
                       "the interrupt does not leak into the next cell")
    }

    func testStepBudget() {
        let session = Session()
        session.stepLimit = 1000
        XCTAssertEqual(lode("while true { }", in: session).errorName, "BudgetExceeded")
    }
}
