import LodeScript

/// The domain command library: every command a Lode script uses beyond the language's
/// builtins. One registry feeds help, completion, notebook inspection and docs/reference.md.
public enum LodeLibrary {
    /// Adds the library's commands to a registry. Call it after the session registered its
    /// builtins: `log10` here extends the numeric builtin to rasters and stacks.
    public static func register(in registry: CommandRegistry) {
        GeoCommands.register(in: registry)
        SurveyFileCommands.register(in: registry)
        AreaCommands.register(in: registry)
        AttributeCommands.register(in: registry)
        DataCommands.register(in: registry)
        BlockCommands.register(in: registry)
        ModelCommands.register(in: registry)
        TrainCommands.register(in: registry)
        PlotCommands.register(in: registry)
        InspectCommands.register(in: registry)
        ImageCommands.register(in: registry)
        IOCommands.register(in: registry)
        ExportCommands.register(in: registry)
        ReportCommands.register(in: registry)
        RecipeCommands.register(in: registry)
        ValidationCommands.register(in: registry)
        SettingsCommands.register(in: registry)
    }

    /// A session with the builtins and the full library.
    public static func makeSession(searchPaths: [String] = []) -> Session {
        let session = Session(searchPaths: searchPaths)
        register(in: session.registry)
        return session
    }
}
