/// `callee(positional..., name: value, ...)`; also what `x |> f(a)` becomes.
final class CallNode: Node {
    let location: SourceLocation
    let callee: Node
    let positional: [Node]
    let names: [String]
    let nameLocations: [SourceLocation]
    let named: [Node]

    init(location: SourceLocation, callee: Node, positional: [Node], names: [String],
         nameLocations: [SourceLocation], named: [Node]) {
        self.location = location
        self.callee = callee
        self.positional = positional
        self.names = names
        self.nameLocations = nameLocations
        self.named = named
    }

    /// The same call with `first` inserted as the first positional argument (the pipe).
    func prepending(_ first: Node, at location: SourceLocation) -> CallNode {
        CallNode(location: location, callee: callee, positional: [first] + positional,
                 names: names, nameLocations: nameLocations, named: named)
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        let function = try callee.evaluate(interpreter, frame)
        var given: [ArgumentMatcher.Given] = []
        given.reserveCapacity(positional.count)
        for node in positional {
            given.append(.init(value: try node.evaluate(interpreter, frame), location: node.location))
        }
        var namedGiven: [ArgumentMatcher.NamedGiven] = []
        if !named.isEmpty {
            namedGiven.reserveCapacity(named.count)
            for index in named.indices {
                namedGiven.append(.init(name: names[index],
                                        value: try named[index].evaluate(interpreter, frame),
                                        location: nameLocations[index]))
            }
        }
        return try interpreter.callValue(function, positional: given, named: namedGiven,
                                         at: location)
    }
}
