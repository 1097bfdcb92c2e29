import XCTest
@testable import LodeScript

/// A domain object as a library would write it: members, indexing, operators, rich display.
final class Vector: OperatorOverloadable, RichDisplayable {
    let values: [Double]
    init(_ values: [Double]) { self.values = values }
    var typeName: String { "vector" }
    var summary: String { "vector(\(values.map { LodeValue.formatNumber($0) }.joined(separator: ", ")))" }
    var memberNames: [String] { ["length", "total"] }
    func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "length": return .number(Double(values.count))
        case "total": return .number(values.reduce(0, +))
        default: return nil
        }
    }
    func index(_ key: LodeValue) throws -> LodeValue? {
        guard case .number(let i) = key, Int(i) >= 0, Int(i) < values.count else { return nil }
        return .number(values[Int(i)])
    }
    func elements() throws -> [LodeValue]? { values.map { .number($0) } }
    func binary(_ op: BinaryOperator, _ other: LodeValue, selfIsLeft: Bool) throws -> LodeValue? {
        let rhs: [Double]
        switch other {
        case .number(let x): rhs = Array(repeating: x, count: values.count)
        case .object(let v as Vector): rhs = v.values
        default: return nil
        }
        let (a, b) = selfIsLeft ? (values, rhs) : (rhs, values)
        switch op {
        case .add: return .object(Vector(zip(a, b).map { $0 + $1 }))
        case .subtract: return .object(Vector(zip(a, b).map { $0 - $1 }))
        case .multiply: return .object(Vector(zip(a, b).map { $0 * $1 }))
        case .greater: return .list(zip(a, b).map { .bool($0 > $1) })
        default: return nil
        }
    }
    func unary(_ op: UnaryOperator) throws -> LodeValue? {
        op == .negate ? .object(Vector(values.map { -$0 })) : nil
    }
    func displayBundle() -> DisplayBundle {
        DisplayBundle(data: ["text/html": "<b>\(summary)</b>"])
    }
}

struct SensorFailure: Error, CustomStringConvertible {
    var description: String { "sensor offline" }
}

final class RegistryTests: XCTestCase {
    private func sessionWithVectors() -> Session {
        let registry = CommandRegistry()
        registry.register(
            "vector", parameters: [.variadic("values", .number, doc: "the components")],
            doc: "Makes a vector.", examples: ["vector(1, 2)"], returns: "vector",
            category: "test") { arguments in
                .object(Vector(arguments.rest.compactMap(\.numberValue)))
            }
        registry.register(
            "scale", parameters: [Parameter("v", .object("vector"), doc: "the vector"),
                                  Parameter("factor", .number, default: 2, doc: "multiplier")],
            doc: "Scales a vector.", returns: "vector", category: "test") { arguments in
                let v = try arguments.object("v", as: Vector.self)
                let factor = try arguments.number("factor")
                return .object(Vector(v.values.map { $0 * factor }))
            }
        registry.register("failing", doc: "Always fails.", category: "test") { _ in
            throw SensorFailure()
        }
        return Session(registry: registry)
    }

    func testDomainObjectOperatorsMembersAndIndexing() {
        let session = sessionWithVectors()
        XCTAssertEqual(lode("v = vector(1, 2, 3)\nv * 2 - 1", in: session).shown, "vector(1, 3, 5)")
        XCTAssertEqual(lode("1 - v", in: session).shown, "vector(0, -1, -2)")
        XCTAssertEqual(lode("-v + v", in: session).shown, "vector(0, 0, 0)")
        XCTAssertEqual(lode("[v.length, v.total, v[1], type(v), len(v)]", in: session).shown, "[3, 6, 2, \"vector\", 3]")
        XCTAssertEqual(lode("v > 1.5", in: session).shown, "[false, true, true]")
        XCTAssertEqual(lode("s = 0\nfor x in v { s = s + x }\ns", in: session).shown, "6")
        XCTAssertEqual(lode("v |> scale(factor: 10)", in: session).shown, "vector(10, 20, 30)")
        XCTAssertEqual(session.complete("v.to", cursor: 4).matches, ["total"])
        XCTAssertEqual(lode("v.lenght", in: session).error?.components(separatedBy: "\n").last,
                       "hint: did you mean 'length'?")
        XCTAssertEqual(lode("v + \"a\"", in: session).errorName, "TypeError")
    }

    func testDomainCommandsRegisteredFirstAreNotReplacedByBuiltins() {
        let registry = CommandRegistry()
        registry.register("log10", parameters: [Parameter("x")], doc: "Extended log10.") { arguments in
            .string("domain log10 of \(arguments["x"].summary)")
        }
        let session = Session(registry: registry)
        XCTAssertEqual(lode("log10(100)", in: session).shown, #""domain log10 of 100""#)
        XCTAssertEqual(lode("sqrt(16)", in: session).shown, "4", "other builtins are still there")
    }

    /// A call's variables are freed when it ends, even when a named helper function defined
    /// inside it closes over them (a reference cycle through the call's frame).
    func testCallFramesWithNestedFunctionsAreFreed() {
        final class Tracked: LodeObject {
            var typeName: String { "tracked" }
            var summary: String { "tracked" }
        }
        weak var tracked: Tracked?
        let registry = CommandRegistry()
        registry.register("make_tracked", doc: "Makes a tracked object.") { _ in
            let object = Tracked()
            tracked = object
            return .object(object)
        }
        let session = Session(registry: registry)
        let result = lode("fn outer() {\n  t = make_tracked()\n  fn inner() => t\n  type(inner())\n}\nouter()", in: session)
        XCTAssertEqual(result.shown, #""tracked""#)
        XCTAssertNil(tracked, "the frame of outer() was released")
    }

    func testRichDisplayKeepsPlainText() {
        let result = lode("vector(1)", in: sessionWithVectors())
        guard case .ok(let bundle?) = result.outcome else { return XCTFail("no display") }
        XCTAssertEqual(bundle.data, ["text/html": "<b>vector(1)</b>", "text/plain": "vector(1)"])
    }

    func testArgumentsAreCheckedAgainstTheSignature() {
        let session = sessionWithVectors()
        XCTAssertEqual(lode("scale([1])", in: session).error?.components(separatedBy: "\n").first,
                       "cell[1]:1:7: TypeError: argument 'v' of scale() must be a vector, got a list of 1")
        XCTAssertEqual(lode("scale(vector(1), factor: \"x\")", in: session).error?.components(separatedBy: "\n").first,
                       "cell[1]:1:18: TypeError: argument 'factor' of scale() must be a number, got string \"x\"")
        XCTAssertEqual(lode("vector(1, \"2\")", in: session).error?.components(separatedBy: "\n").first,
                       "cell[1]:1:11: TypeError: arguments of vector() must be a number, got string \"2\"")
        XCTAssertEqual(lode("scale(vector(1), 2, factor: 3)", in: session).error?.components(separatedBy: "\n").first,
                       "cell[1]:1:21: ArgumentError: argument 'factor' of scale() is given twice")
    }

    func testSwiftErrorsFromCommandsAreWrapped() {
        XCTAssertEqual(lode("failing()", in: sessionWithVectors()).error,
                       "cell[1]:1:1: CommandError: failing(): sensor offline\n    failing()\n    ^^^^^^^")
    }

    func testHelpTextAndCompletionComeFromTheRegistry() {
        let session = sessionWithVectors()
        XCTAssertEqual(session.registry.help("scale"), """
            scale(v, factor: 2) -> vector

            Scales a vector.

            Parameters:
              v (vector): the vector
              factor (number): multiplier
            """)
        XCTAssertEqual(session.complete("sca", cursor: 3).matches, ["scale"])
        XCTAssertTrue(session.registry.referenceMarkdown().contains("## test\n\n### `failing`"))
    }
}
