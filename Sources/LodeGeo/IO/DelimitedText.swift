import Foundation

/// How a delimited text file was read, kept so that messages and `describe` can say it.
public struct DelimitedTextLayout: Sendable, Equatable {
    /// nil: runs of spaces separate the fields.
    public var separator: Character?
    public var decimalComma: Bool
    /// "UTF-8", "UTF-8 with BOM", "UTF-16" or "Latin-1".
    public var encoding: String
    /// "LF", "CRLF", "CR" or "mixed".
    public var lineEnding: String
}

/// A delimited text table (CSV, TSV, semicolon or whitespace separated) as spreadsheets and
/// instruments write it: any line ending (LF, CRLF, old-Mac CR), a byte-order mark, UTF-8 or
/// Latin-1, quoted fields holding separators, quotes and line breaks, and decimal commas. Read
/// without GDAL so every value keeps its text and every message can name its line and column.
struct DelimitedText {
    var header: [String]
    /// (line number counting the header as 1, fields); a quoted line break makes a record span lines.
    var records: [(line: Int, fields: [String])]
    var layout: DelimitedTextLayout
    var delimiter: Character? { layout.separator }

    /// `separator` and `decimal` override detection ("," "." for decimal).
    static func read(path: String, separator: Character? = nil, decimal: Character? = nil) throws -> DelimitedText {
        guard FileManager.default.fileExists(atPath: path) else {
            throw GeoError("file not found", file: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GeoError("the file cannot be read", file: path)
        }
        let (text, encoding) = try decoded(data, source: path)
        return try parse(text, source: path, encoding: encoding, separator: separator, decimal: decimal)
    }

    /// UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, else Latin-1 —
    /// the encoding older Windows software writes (é as one byte 0xE9). A NUL byte without a
    /// UTF-16 mark means the file is not text at all.
    static func decoded(_ data: Data, source: String) throws -> (String, String) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let text = String(data: data.dropFirst(3), encoding: .utf8) else {
                throw GeoError("the file starts with a UTF-8 byte-order mark but is not valid UTF-8", file: source,
                               row: firstInvalidUTF8Line(Array(bytes.dropFirst(3))))
            }
            return (text, "UTF-8 with BOM")
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: data, encoding: .utf16) else {
                throw GeoError("the file starts with a UTF-16 byte-order mark but is not valid UTF-16", file: source)
            }
            return (text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, "UTF-16")
        }
        if let nul = bytes.firstIndex(of: 0) {
            let line = bytes[..<nul].reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            throw GeoError("the file is not text (a zero byte at line \(line))", file: source, row: line,
                           hint: "save it as CSV (comma, semicolon or tab separated) from the spreadsheet")
        }
        if let text = String(data: data, encoding: .utf8) { return (text, "UTF-8") }
        // Every byte is a Latin-1 character, so this cannot fail; it is the fallback, not a guess.
        guard let text = String(data: data, encoding: .isoLatin1) else {
            throw GeoError("the file is neither UTF-8 nor Latin-1 text", file: source)
        }
        return (text, "Latin-1")
    }

    static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int? {
        var line = 1
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == 10 {
            if String(bytes: bytes[start..<i], encoding: .utf8) == nil { return line }
            line += 1
            start = i + 1
        }
        return String(bytes: bytes[start...], encoding: .utf8) == nil ? line : nil
    }

    static func parse(_ text: String, source: String, encoding: String = "UTF-8",
                      separator: Character? = nil, decimal: Character? = nil) throws -> DelimitedText {
        let bytes = Array(text.utf8)
        let lineEnding = detectLineEnding(bytes)
        let chosen: Character?
        if let separator {
            chosen = separator == " " ? nil : separator
        } else {
            chosen = detectDelimiter(firstLine(bytes))
        }
        var rows = try splitRecords(bytes, separator: chosen.map { UInt8(ascii: $0.unicodeScalars.first!) }, source: source)
        // Blank lines and '#' comments carry no data.
        rows.removeAll { row in
            row.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } || (row.fields.first?.hasPrefix("#") ?? false)
        }
        guard let headerRow = rows.first else {
            throw GeoError("the file is empty (no header line and no points)", file: source)
        }
        var header = headerRow.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        // A spreadsheet that ends every row with a separator gives one empty trailing column.
        var dropTrailing = false
        if header.count > 1, header.last == "" {
            header.removeLast()
            dropTrailing = true
        }
        guard !header.isEmpty, !header.allSatisfy(\.isEmpty) else {
            throw GeoError("the header line is empty", file: source, row: headerRow.line)
        }
        var records: [(line: Int, fields: [String])] = []
        records.reserveCapacity(rows.count)
        for row in rows.dropFirst() {
            var fields = row.fields
            if dropTrailing, fields.count == header.count + 1, fields.last?.trimmingCharacters(in: .whitespaces) == "" {
                fields.removeLast()
            }
            guard fields.count == header.count else {
                throw GeoError("\(fields.count) values where the header has \(header.count) columns",
                               file: source, row: row.line,
                               hint: "check the separator (\(separatorName(chosen)) was used) and quoting")
            }
            records.append((row.line, fields))
        }
        let useDecimalComma: Bool
        switch decimal {
        case nil: useDecimalComma = chosen != "," && detectDecimalComma(records)
        case ","?: useDecimalComma = true
        case "."?: useDecimalComma = false
        case let other?:
            throw GeoError("the decimal mark must be \".\" or \",\", got \"\(other)\"", file: source)
        }
        if useDecimalComma {
            guard chosen != "," else {
                throw GeoError("decimal commas need another separator than the comma", file: source,
                               hint: "a file with decimal commas is usually separated by ';' or tabs")
            }
            for r in records.indices {
                for f in records[r].fields.indices where records[r].fields[f].contains(",") {
                    if let converted = decimalCommaConverted(records[r].fields[f]) { records[r].fields[f] = converted }
                }
            }
        }
        let layout = DelimitedTextLayout(separator: chosen, decimalComma: useDecimalComma, encoding: encoding, lineEnding: lineEnding)
        return DelimitedText(header: header, records: records, layout: layout)
    }

    static func separatorName(_ separator: Character?) -> String {
        switch separator {
        case nil: return "spaces"
        case "\t"?: return "tab"
        case let s?: return "'\(s)'"
        }
    }

    static func detectLineEnding(_ bytes: [UInt8]) -> String {
        var lf = 0, crlf = 0, cr = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 13 {
                if i + 1 < bytes.count, bytes[i + 1] == 10 { crlf += 1; i += 1 } else { cr += 1 }
            } else if bytes[i] == 10 {
                lf += 1
            }
            i += 1
        }
        let kinds = [("LF", lf), ("CRLF", crlf), ("CR", cr)].filter { $0.1 > 0 }
        if kinds.count > 1 { return "mixed" }
        return kinds.first?.0 ?? "LF"
    }

    /// The first line that is not blank or a comment, for separator detection.
    static func firstLine(_ bytes: [UInt8]) -> String {
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 10, bytes[end] != 13 { end += 1 }
            let line = String(decoding: bytes[start..<end], as: UTF8.self)
            if !line.trimmingCharacters(in: .whitespaces).isEmpty, !line.hasPrefix("#") { return line }
            start = end + 1
        }
        return ""
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

    /// Splits the whole text into records. A field that starts with a double quote runs to the
    /// closing quote, across separators and line breaks; "" inside it is one quote. CR, LF and
    /// CRLF all end a record. `separator` nil: runs of spaces or tabs separate fields.
    static func splitRecords(_ bytes: [UInt8], separator: UInt8?, source: String) throws -> [(line: Int, fields: [String])] {
        let quote = UInt8(ascii: "\""), cr: UInt8 = 13, lf: UInt8 = 10, space = UInt8(ascii: " "), tab: UInt8 = 9
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var quotedFrom: Int?
        var inQuotes = false
        var fieldStarted = false
        var i = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldStarted = false
        }
        func endRecord() {
            if separator != nil || fieldStarted || !field.isEmpty { endField() }
            records.append((recordLine, fields))
            fields = []
        }
        while i < bytes.count {
            let byte = bytes[i]
            if inQuotes {
                if byte == quote {
                    if i + 1 < bytes.count, bytes[i + 1] == quote {
                        field.append(quote)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == lf || (byte == cr && !(i + 1 < bytes.count && bytes[i + 1] == lf)) { line += 1 }
                    field.append(byte)
                }
            } else if byte == cr || byte == lf {
                if byte == cr, i + 1 < bytes.count, bytes[i + 1] == lf { i += 1 }
                endRecord()
                line += 1
                recordLine = line
            } else if let separator, byte == separator {
                endField()
                fieldStarted = true
            } else if separator == nil, byte == space || byte == tab {
                if !field.isEmpty || fieldStarted { endField() }
            } else if byte == quote, field.allSatisfy({ $0 == space }) {
                // `a, "b, c"`: spaces before the opening quote are not part of the field.
                field.removeAll(keepingCapacity: true)
                inQuotes = true
                fieldStarted = true
                quotedFrom = line
            } else {
                field.append(byte)
            }
            i += 1
        }
        if inQuotes {
            throw GeoError("a quoted field opened on line \(quotedFrom ?? recordLine) is never closed", file: source,
                           row: quotedFrom ?? recordLine, hint: "every \" that starts a field needs a closing \"; a quote inside a quoted field is written \"\"")
        }
        if !field.isEmpty || !fields.isEmpty || fieldStarted { endRecord() }
        return records
    }

    /// "12,5", "-0,25", "<0,5", "1,2E-3": a number written with a decimal comma.
    static func decimalCommaConverted(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var body = Substring(trimmed)
        var prefix = ""
        if let first = body.first, first == "<" || first == ">" {
            prefix = String(first)
            body = body.dropFirst().drop { $0 == " " }
        }
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].contains("."), !parts[1].contains(".") else { return nil }
        let candidate = parts[0] + "." + parts[1]
        guard Double(candidate) != nil else { return nil }
        return prefix + candidate
    }

    /// Decimal commas when some field is a number written with one (12,5) and no field is a
    /// number written with a decimal point (12.5): the two cannot both be in one file.
    static func detectDecimalComma(_ records: [(line: Int, fields: [String])]) -> Bool {
        var comma = 0, point = 0
        for record in records.prefix(2000) {
            for field in record.fields {
                if field.contains(",") {
                    if decimalCommaConverted(field) != nil { comma += 1 }
                } else if field.contains("."), Double(field.trimmingCharacters(in: .whitespaces)) != nil {
                    point += 1
                }
            }
        }
        return comma > 0 && point == 0
    }
}

/// Recognised coordinate column pairs, in order of preference (compared case-insensitively).
let recognisedCoordinatePairs: [(x: String, y: String, geographic: Bool)] = [
    ("x", "y", false), ("easting", "northing", false), ("east", "north", false),
    ("utm_e", "utm_n", false), ("xcoord", "ycoord", false), ("x_coord", "y_coord", false),
    ("lon", "lat", true), ("longitude", "latitude", true), ("long", "lat", true), ("lng", "lat", true),
]
