import LodeScript

/// Rows of text under named columns: summaries, comparisons and metric tables. Shown as plain
/// text in the REPL and as an HTML table in a notebook.
public final class TableObject: LodeObject, RichDisplayable, TextPrintable {
    public let title: String
    public let columns: [String]
    public let rows: [[String]]

    public init(title: String, columns: [String], rows: [[String]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    public var typeName: String { "table" }
    public var summary: String { "table \"\(title)\" (\(rows.count) rows × \(columns.count) columns)" }
    public var memberNames: [String] { ["columns", "rows", "title", "text"] + columns }

    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "columns": return .list(columns.map { .string($0) })
        case "rows": return .list(rows.map { .list($0.map(TableObject.cellValue)) })
        case "title": return .string(title)
        case "text": return .string(plainText)
        default:
            guard let index = columns.firstIndex(of: name) else { return nil }
            return .list(rows.map { TableObject.cellValue($0[index]) })
        }
    }

    /// `table[i]` is row i as a record.
    public func index(_ key: LodeValue) throws -> LodeValue? {
        guard case .number(let number) = key, number == number.rounded() else { return nil }
        var i = Int(number)
        if i < 0 { i += rows.count }
        guard rows.indices.contains(i) else {
            throw LodeError(.index, "row \(Int(number)) is out of range for a table of \(rows.count) rows")
        }
        var record = LodeRecord()
        for (column, cell) in zip(columns, rows[i]) { record[column] = TableObject.cellValue(cell) }
        return .record(record)
    }

    public func elements() throws -> [LodeValue]? {
        try rows.indices.map { try index(.number(Double($0)))! }
    }

    /// Numeric cells come back as numbers so `table.AUC` can be compared and summed.
    static func cellValue(_ text: String) -> LodeValue {
        if let number = Double(text) { return .number(number) }
        return .string(text)
    }

    public var printedText: String { plainText }

    public var plainText: String {
        let widths = columns.indices.map { c in ([columns[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return ([title, line(columns), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line))
            .joined(separator: "\n")
    }

    public var html: String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        var out = "<table><caption>\(escape(title))</caption><thead><tr>"
        out += columns.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows { out += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }
        return out + "</tbody></table>"
    }

    public func displayBundle() -> DisplayBundle {
        DisplayBundle(data: ["text/plain": plainText, "text/html": html])
    }

    /// CSV with quoted cells where needed.
    public var csv: String {
        func quote(_ cell: String) -> String {
            cell.contains(",") || cell.contains("\"") ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }
        return ([columns] + rows).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}

/// "0.1234" for table cells.
func formatted(_ value: Double, digits: Int = 4) -> String {
    value.isNaN ? "nan" : String(format: "%.\(digits)f", value)
}
