/// A function written in Lode: parameters (with optional default expressions, evaluated in
/// the new frame at call time), the body, and how many local slots a call needs.
final class FunctionDeclaration {
    struct ParameterDeclaration {
        var name: String
        var slot: Int
        var defaultValue: Node?
    }

    let name: String
    let location: SourceLocation
    var parameters: [ParameterDeclaration] = []
    var body: Node
    var slotCount = 0
    /// True when the body is `=> expression` (for the signature shown in summaries).
    var isArrow = false
    /// True when functions defined inside close over the call's frame (see
    /// `Frame.releaseOwnClosures`).
    var createsClosures = false

    init(name: String, location: SourceLocation, body: Node) {
        self.name = name
        self.location = location
        self.body = body
    }

    lazy var matcher = ArgumentMatcher(
        functionName: name,
        slots: parameters.map { .init(name: $0.name, hasDefault: $0.defaultValue != nil, isVariadic: false) },
        signature: signature)

    var signature: String {
        "\(name)(" + parameters.map { $0.defaultValue == nil ? $0.name : "\($0.name): …" }
            .joined(separator: ", ") + ")"
    }
}

/// `fn (a, b) => ...` or `fn name(a) { ... }` in expression position: makes a closure over the
/// current frame.
final class FunctionNode: Node {
    let location: SourceLocation
    let declaration: FunctionDeclaration
    /// Closures made at the top level see globals only, so they keep no frame.
    let capturesFrame: Bool

    init(location: SourceLocation, declaration: FunctionDeclaration, capturesFrame: Bool) {
        self.location = location
        self.declaration = declaration
        self.capturesFrame = capturesFrame
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        .function(LodeFunction(declaration: declaration, captured: capturesFrame ? frame : nil))
    }
}

/// `fn name(...) { ... }` as a statement: defines `name`.
final class FunctionDefinitionNode: StatementNode {
    let location: SourceLocation
    let function: FunctionNode
    let target: VariableReference

    init(location: SourceLocation, function: FunctionNode, target: VariableReference) {
        self.location = location
        self.function = function
        self.target = target
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        let value = try function.evaluate(interpreter, frame)
        interpreter.write(value, to: target, frame: frame)
        return value
    }
}
