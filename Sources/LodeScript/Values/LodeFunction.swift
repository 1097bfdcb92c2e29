/// A function value: either written in Lode (a declaration plus the frame it closes over) or a
/// command of the registry implemented in Swift (also used for methods of domain objects).
public final class LodeFunction {
    enum Implementation {
        case lode(FunctionDeclaration, captured: Frame?)
        case native(CommandEntry, ArgumentMatcher)
    }

    let implementation: Implementation

    init(declaration: FunctionDeclaration, captured: Frame?) {
        implementation = .lode(declaration, captured: captured)
    }

    /// Wraps a command so it can be stored in variables, passed to `map`, or returned as an
    /// object's method.
    public init(command: CommandEntry) {
        let matcher = ArgumentMatcher(
            functionName: command.name,
            slots: command.parameters.map {
                .init(name: $0.name, hasDefault: $0.defaultValue != nil, isVariadic: $0.isVariadic)
            },
            signature: command.signature)
        implementation = .native(command, matcher)
    }

    public var name: String {
        switch implementation {
        case .lode(let declaration, _): return declaration.name
        case .native(let command, _): return command.name
        }
    }

    /// Parameter names, for completion of named arguments.
    public var parameterNames: [String] {
        switch implementation {
        case .lode(let declaration, _): return declaration.parameters.map(\.name)
        case .native(let command, _): return command.parameters.filter { !$0.isVariadic }.map(\.name)
        }
    }

    public var command: CommandEntry? {
        if case .native(let command, _) = implementation { return command }
        return nil
    }

    public var signature: String {
        switch implementation {
        case .lode(let declaration, _): return declaration.signature
        case .native(let command, _): return command.signature
        }
    }

    public var summary: String {
        switch implementation {
        case .lode: return "fn \(signature)"
        case .native: return "command \(signature)"
        }
    }
}
