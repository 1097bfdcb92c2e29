/// The language's own commands (no domain knowledge). Domain libraries register theirs in the
/// same registry; registering a name again replaces it (e.g. `log10` extended to rasters).
enum Builtins {
    /// Adds the builtins a registry does not already have, so a domain library that
    /// registered (say) a `log10` for rasters before the session was made keeps its own.
    static func register(in registry: CommandRegistry) {
        let builtins = CommandRegistry()
        registerCore(in: builtins)
        registerCollections(in: builtins)
        registerMath(in: builtins)
        registerNotebook(in: builtins)
        for entry in builtins.commands() where registry.entry(named: entry.name) == nil {
            registry.register(entry)
        }
    }

    /// Start, end and step of `range(...)` from its one to three numbers.
    static func rangeBounds(_ numbers: [Double], at location: SourceLocation?) throws
        -> (start: Double, end: Double, step: Double)
    {
        let start = numbers.count == 1 ? 0 : numbers[0]
        let end = numbers.count == 1 ? numbers[0] : numbers[1]
        let step = numbers.count == 3 ? numbers[2] : 1
        if step == 0 || !step.isFinite {
            throw LodeError(.argument, "range() step must be a non-zero number", at: location)
        }
        if !start.isFinite || !end.isFinite {
            throw LodeError(.argument, "range() bounds must be finite numbers", at: location)
        }
        return (start, end, step)
    }

    /// The bundle a value shows as: rich formats if it offers them, plain text always.
    static func displayBundle(for value: LodeValue) -> DisplayBundle {
        if case .object(let object) = value, let rich = object as? RichDisplayable {
            var bundle = rich.displayBundle()
            if bundle.data["text/plain"] == nil { bundle.data["text/plain"] = value.summary }
            return bundle
        }
        return DisplayBundle(plainText: value.summary)
    }
}
