import Foundation

extension Builtins {
    static func registerMath(in registry: CommandRegistry) {
        let unary: [(String, String, (Double) -> Double, String)] = [
            ("sqrt", "The square root.", { $0.squareRoot() }, "sqrt(16)   # 4"),
            ("exp", "e raised to the number.", { Foundation.exp($0) }, "exp(0)   # 1"),
            ("log", "The natural logarithm.", { Foundation.log($0) }, "log(exp(2))   # 2"),
            ("log10", "The base-10 logarithm (geochemical concentrations are usually analysed on this scale).",
             { Foundation.log10($0) }, "log10(1000)   # 3"),
            ("abs", "The absolute value.", { Swift.abs($0) }, "abs(-2.5)   # 2.5"),
            ("floor", "The largest integer not above the number.", { $0.rounded(.down) }, "floor(2.7)   # 2"),
            ("ceil", "The smallest integer not below the number.", { $0.rounded(.up) }, "ceil(2.1)   # 3"),
            ("round", "The nearest integer (halves away from zero).", { $0.rounded() }, "round(2.5)   # 3"),
        ]
        for (name, doc, function, example) in unary {
            registry.register(
                name, parameters: [Parameter("x", .number, doc: "a number")],
                doc: doc, examples: [example], returns: "number", category: "math") { arguments in
                    .number(function(try arguments.number("x")))
                }
        }
        for (name, pick) in [("min", { (a: Double, b: Double) in Swift.min(a, b) }),
                             ("max", { (a: Double, b: Double) in Swift.max(a, b) })] {
            registry.register(
                name, parameters: [.variadic("values", .oneOf([.number, .list]), doc: "numbers, or one list of numbers")],
                doc: "The \(name == "min" ? "smallest" : "largest") of the numbers given, or of the numbers in one list.",
                examples: ["\(name)(3, 1, 2)", "\(name)([3, 1, 2])"], returns: "number",
                category: "math") { arguments in
                    let numbers = try numbersOf(arguments)
                    guard var result = numbers.first else {
                        throw LodeError(.argument, "\(name)() of no numbers", at: arguments.context.location)
                    }
                    for number in numbers.dropFirst() { result = pick(result, number) }
                    return .number(result)
                }
        }
        registry.register(
            "sum", parameters: [.variadic("values", .oneOf([.number, .list]), doc: "numbers, or one list of numbers")],
            doc: "The sum of the numbers given, or of the numbers in one list (0 when there are none).",
            examples: ["sum([1, 2, 3])   # 6"], returns: "number", category: "math") { arguments in
                .number(try numbersOf(arguments).reduce(0, +))
            }
    }

    private static func numbersOf(_ arguments: Arguments) throws -> [Double] {
        var values = arguments.rest
        if values.count == 1, case .list(let elements) = values[0] { values = elements }
        return try values.map { value in
            guard case .number(let number) = value else {
                throw LodeError(.type, "\(arguments.command)() needs numbers, got \(value.described)",
                                at: arguments.context.location)
            }
            return number
        }
    }
}
