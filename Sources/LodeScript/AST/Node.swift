/// Every piece of a parsed program is a node that evaluates to a value: statements are
/// expressions whose value is usually nil. Nodes are final classes resolved at parse time
/// (variables already turned into slots), so evaluation is a virtual call per node.
protocol Node: AnyObject {
    var location: SourceLocation { get }
    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue
}

/// A node whose value is not shown at the end of a cell (assignments, definitions, loops).
protocol StatementNode: Node {}

/// A parsed file or cell.
final class Program {
    let body: BlockNode
    /// False when the last statement ends with `;` or is not an expression.
    let displaysLastValue: Bool

    init(body: BlockNode, displaysLastValue: Bool) {
        self.body = body
        self.displaysLastValue = displaysLastValue
    }
}

final class BlockNode: Node {
    let location: SourceLocation
    let statements: [Node]

    init(location: SourceLocation, statements: [Node]) {
        self.location = location
        self.statements = statements
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        var value = LodeValue.nil
        for statement in statements {
            value = try statement.evaluate(interpreter, frame)
            if interpreter.control != .none { return value }
        }
        return value
    }
}
