extension Builtins {
    static func registerCollections(in registry: CommandRegistry) {
        registry.register(
            "len", parameters: [Parameter("value", doc: "a list, string, record or collection object")],
            doc: "The number of elements of a list, characters of a string, fields of a record, or elements of a collection object.",
            examples: ["len([1, 2, 3])   # 3"], returns: "number", category: "collections") { arguments in
                switch arguments["value"] {
                case .list(let elements): return .number(Double(elements.count))
                case .string(let text): return .number(Double(text.count))
                case .record(let record): return .number(Double(record.count))
                case .object(let object):
                    if let elements = try object.elements() { return .number(Double(elements.count)) }
                default: break
                }
                throw LodeError(.type, "len() needs a list, string or record, got \(arguments["value"].described)",
                                at: arguments.context.location)
            }
        registry.register(
            "range",
            parameters: [Parameter("start", .number, doc: "first number, or the count when alone"),
                         Parameter("end", .optional(.number), default: .nil, doc: "stop before this number"),
                         Parameter("step", .number, default: 1, doc: "increment (may be negative)")],
            doc: "The numbers from start up to but not including end, by step. With one argument n: 0, 1, ..., n-1. A `for` loop over range counts without building the list.",
            examples: ["range(3)          # [0, 1, 2]", "range(10, 0, -5)  # [10, 5]"],
            returns: "list", category: "collections") { arguments in
                var numbers = [try arguments.number("start")]
                if case .number(let end) = arguments["end"] { numbers.append(end) }
                let step = try arguments.number("step")
                if step != 1 {
                    if numbers.count == 1 { numbers = [0, numbers[0]] }
                    numbers.append(step)
                }
                let bounds = try rangeBounds(numbers, at: arguments.context.location)
                let count = max(0, ((bounds.end - bounds.start) / bounds.step).rounded(.up))
                if count > Double(LodeLimits.maximumLength) {
                    throw LodeError(.argument, "range() would have \(LodeValue.formatNumber(count)) elements, more than \(LodeLimits.maximumLength)",
                                    at: arguments.context.location,
                                    hint: "loop with `for i in range(...)`, which does not build the list")
                }
                var values: [LodeValue] = []
                values.reserveCapacity(Int(count))
                for index in 0..<Int(count) {
                    values.append(.number(bounds.start + Double(index) * bounds.step))
                }
                return .list(values)
            }
        registry.register(
            "keys", parameters: [Parameter("value", doc: "a record or object")],
            doc: "The field names of a record in the order they were written, or the member names of an object.",
            examples: ["keys({a: 1, b: 2})   # [\"a\", \"b\"]"], returns: "list", category: "collections") { arguments in
                switch arguments["value"] {
                case .record(let record): return .list(record.keys.map { .string($0) })
                case .object(let object): return .list(object.memberNames.map { .string($0) })
                default:
                    throw LodeError(.type, "keys() needs a record, got \(arguments["value"].described)",
                                    at: arguments.context.location)
                }
            }
        registry.register(
            "map",
            parameters: [Parameter("values", .list, doc: "the list"),
                         Parameter("function", .function, doc: "called with each element")],
            doc: "A new list with the function applied to each element.",
            examples: ["map([1, 2, 3], fn(x) => x * 2)   # [2, 4, 6]"], returns: "list",
            category: "collections") { arguments in
                var result: [LodeValue] = []
                for element in try arguments.list("values") {
                    result.append(try arguments.call("function", [element]))
                }
                return .list(result)
            }
        registry.register(
            "filter",
            parameters: [Parameter("values", .list, doc: "the list"),
                         Parameter("function", .function, doc: "keeps elements for which it returns true")],
            doc: "A new list with the elements for which the function returns a true value.",
            examples: ["filter([1, 5, 8], fn(x) => x > 2)   # [5, 8]"], returns: "list",
            category: "collections") { arguments in
                var result: [LodeValue] = []
                for element in try arguments.list("values")
                where try arguments.call("function", [element]).isTruthy {
                    result.append(element)
                }
                return .list(result)
            }
        registry.register(
            "reduce",
            parameters: [Parameter("values", .list, doc: "the list"),
                         Parameter("function", .function, doc: "called as function(accumulated, element)"),
                         Parameter("initial", default: .nil, doc: "the starting value; the first element when nil")],
            doc: "Combines the elements into one value from left to right: function(function(initial, first), second), and so on.",
            examples: ["reduce([1, 2, 3], fn(a, b) => a + b, initial: 0)   # 6"], returns: "any",
            category: "collections") { arguments in
                var elements = try arguments.list("values")[...]
                var accumulated = arguments["initial"]
                if case .nil = accumulated {
                    guard let first = elements.first else {
                        throw LodeError(.argument, "reduce() of an empty list needs an initial value",
                                        at: arguments.context.location)
                    }
                    accumulated = first
                    elements = elements.dropFirst()
                }
                for element in elements {
                    accumulated = try arguments.call("function", [accumulated, element])
                }
                return accumulated
            }
        registry.register(
            "append",
            parameters: [Parameter("values", .list, doc: "the list"),
                         Parameter("value", doc: "the element to add")],
            doc: "A new list with the value added at the end (lists are values: the original is unchanged).",
            examples: ["xs = append(xs, 4)"], returns: "list", category: "collections") { arguments in
                var values = try arguments.list("values")
                values.append(arguments["value"])
                return .list(values)
            }
        registry.register(
            "sort",
            parameters: [Parameter("values", .list, doc: "numbers or strings"),
                         Parameter("key", .optional(.function), default: .nil, doc: "sort by key(element) instead")],
            doc: "A new list with the elements in increasing order (numbers or strings, or by a key function).",
            examples: ["sort([3, 1, 2])   # [1, 2, 3]"], returns: "list", category: "collections") { arguments in
                let values = try arguments.list("values")
                let keys = try values.map { arguments.isNil("key") ? $0 : try arguments.call("key", [$0]) }
                var failure: LodeError?
                let order = values.indices.sorted { a, b in
                    switch (keys[a], keys[b]) {
                    case let (.number(x), .number(y)): return x < y
                    case let (.string(x), .string(y)): return x < y
                    default:
                        failure = LodeError(.type, "sort() needs numbers or strings, got \(keys[a].described) and \(keys[b].described)",
                                            at: arguments.context.location)
                        return false
                    }
                }
                if let failure { throw failure }
                return .list(order.map { values[$0] })
            }
        registry.register(
            "join",
            parameters: [Parameter("values", .list, doc: "the elements"),
                         Parameter("separator", .string, default: ", ", doc: "put between elements")],
            doc: "The elements as text joined by the separator.",
            examples: ["join([\"Au\", \"As\"], \"+\")   # \"Au+As\""], returns: "string",
            category: "collections") { arguments in
                .string(try arguments.list("values").map(\.printed).joined(separator: try arguments.string("separator")))
            }
    }
}
