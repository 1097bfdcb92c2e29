import Foundation

/// The one error LodeGeo throws: what went wrong, and where (file, row, column) when that is known.
/// Messages are written for a geologist reading them in a notebook, not for a programmer.
public struct GeoError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public var message: String
    public var file: String?
    /// 1-based line of a text file (the header is line 1) or 1-based feature number.
    public var row: Int?
    public var column: String?
    public var hint: String?

    public init(_ message: String, file: String? = nil, row: Int? = nil, column: String? = nil, hint: String? = nil) {
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.hint = hint
    }

    public var description: String {
        var place: [String] = []
        if let file { place.append(file) }
        if let row { place.append("row \(row)") }
        if let column { place.append("column '\(column)'") }
        var text = place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
        if let hint { text += " (hint: \(hint))" }
        return text
    }

    public var errorDescription: String? { description }
}
