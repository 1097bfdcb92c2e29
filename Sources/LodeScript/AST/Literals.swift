final class ConstantNode: Node {
    let location: SourceLocation
    let value: LodeValue

    init(location: SourceLocation, value: LodeValue) {
        self.location = location
        self.value = value
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue { value }
}

final class ListNode: Node {
    let location: SourceLocation
    let elements: [Node]

    init(location: SourceLocation, elements: [Node]) {
        self.location = location
        self.elements = elements
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        var values: [LodeValue] = []
        values.reserveCapacity(elements.count)
        for element in elements { values.append(try element.evaluate(interpreter, frame)) }
        return .list(values)
    }
}

final class RecordNode: Node {
    let location: SourceLocation
    let keys: [String]
    let values: [Node]

    init(location: SourceLocation, keys: [String], values: [Node]) {
        self.location = location
        self.keys = keys
        self.values = values
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        var record = LodeRecord()
        for (key, node) in zip(keys, values) { record[key] = try node.evaluate(interpreter, frame) }
        return .record(record)
    }
}
