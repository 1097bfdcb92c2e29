/// A place in a source text: the file (or cell) name, 1-based line and column, and the length
/// of the marked span so diagnostics can underline it with carets.
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var length: Int

    public init(file: String, line: Int, column: Int, length: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
        self.length = max(1, length)
    }

    public var description: String { "\(file):\(line):\(column)" }
}
