import Foundation

/// A delimited text table (CSV, TSV, semicolon or whitespace separated), read without GDAL so that
/// every value keeps its text and every message can name its line and column.
struct DelimitedText {
    var header: [String]
    /// (line number counting the header as 1, fields)
    var records: [(line: Int, fields: [String])]
    var delimiter: Character?

    static func read(path: String) throws -> DelimitedText {
        guard FileManager.default.fileExists(atPath: path) else {
            throw GeoError("file not found", file: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GeoError("the file cannot be read", file: path)
        }
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw GeoError("the file is not text", file: path)
        }
        return try parse(text, source: path)
    }

    static func parse(_ text: String, source: String) throws -> DelimitedText {
        var lines: [(Int, Substring)] = []
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = raw
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if line.hasPrefix("#") { continue }
            lines.append((number, line))
        }
        guard let (headerLine, headerText) = lines.first else {
            throw GeoError("the file is empty (no header line and no points)", file: source)
        }
        let delimiter = detectDelimiter(String(headerText))
        let header = split(String(headerText), delimiter: delimiter).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !header.isEmpty else { throw GeoError("the header line is empty", file: source, row: headerLine) }
        var records: [(Int, [String])] = []
        records.reserveCapacity(lines.count)
        for (lineNumber, line) in lines.dropFirst() {
            let fields = split(String(line), delimiter: delimiter)
            guard fields.count == header.count else {
                throw GeoError("\(fields.count) values where the header has \(header.count) columns",
                               file: source, row: lineNumber,
                               hint: "check the separator \(delimiter.map { "'\($0)'" } ?? "whitespace") and quoting")
            }
            records.append((lineNumber, fields))
        }
        return DelimitedText(header: header, records: records, delimiter: delimiter)
    }

    /// The separator is the candidate that occurs most in the header (outside quotes); whitespace
    /// (nil) when none occurs.
    static func detectDelimiter(_ header: String) -> Character? {
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0, "|": 0]
        var inQuotes = false
        for character in header {
            if character == "\"" { inQuotes.toggle() }
            if !inQuotes, counts[character] != nil { counts[character]! += 1 }
        }
        let best = [",", ";", "\t", "|"].map { Character($0) }.max { counts[$0]! < counts[$1]! }!
        return counts[best]! > 0 ? best : nil
    }

    /// Splits one line; double quotes protect separators, and "" inside quotes is one quote.
    static func split(_ line: String, delimiter: Character?) -> [String] {
        guard let delimiter else {
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        }
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var iterator = Array(line)
        var i = 0
        while i < iterator.count {
            let character = iterator[i]
            if inQuotes {
                if character == "\"" {
                    if i + 1 < iterator.count, iterator[i + 1] == "\"" {
                        current.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == delimiter {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
            i += 1
        }
        fields.append(current)
        iterator.removeAll()
        return fields
    }
}

/// Recognised coordinate column pairs, in order of preference (compared case-insensitively).
let recognisedCoordinatePairs: [(x: String, y: String, geographic: Bool)] = [
    ("x", "y", false), ("easting", "northing", false), ("east", "north", false),
    ("utm_e", "utm_n", false), ("xcoord", "ycoord", false), ("x_coord", "y_coord", false),
    ("lon", "lat", true), ("longitude", "latitude", true), ("long", "lat", true), ("lng", "lat", true),
]
