/// Upper bounds that turn runaway programs into errors instead of exhausting memory.
public enum LodeLimits {
    /// Longest list or string an operator or `range` may build.
    nonisolated(unsafe) public static var maximumLength = 50_000_000

    static func check(_ length: Int, at location: SourceLocation?) throws {
        if length > maximumLength {
            throw LodeError(.argument, "result would have \(length) elements, more than the limit of \(maximumLength)",
                            at: location)
        }
    }
}
