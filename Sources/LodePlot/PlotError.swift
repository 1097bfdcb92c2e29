/// Bad figure input (mismatched lengths, empty data, impossible sizes), said plainly.
public struct PlotError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "figure: \(message)" }
}
