import Foundation

/// A concentration unit and its size in parts per million, so values can be converted.
public enum ConcentrationUnit: String, Sendable, CaseIterable {
    case ppb, ppm, pct

    /// How many ppm one unit is.
    public var ppm: Double {
        switch self {
        case .ppb: return 0.001
        case .ppm: return 1
        case .pct: return 10_000
        }
    }

    /// Unit spellings seen in laboratory exports (compared lower-cased).
    public init?(spelling: String) {
        switch spelling.lowercased() {
        case "ppb", "ug/kg", "µg/kg", "ng/g", "mg/t": self = .ppb
        case "ppm", "g/t", "gpt", "mg/kg", "ug/g", "µg/g": self = .ppm
        case "pct", "%", "wt%", "wtpct", "wt_pct", "percent": self = .pct
        default: return nil
        }
    }

    public init(named name: String) throws {
        guard let unit = ConcentrationUnit(spelling: name) else {
            throw GeoError("unknown concentration unit '\(name)'", hint: "use \"ppb\", \"ppm\" or \"pct\" (%)")
        }
        self = unit
    }
}

/// A column named element (or oxide) plus unit, as survey exports write them: `Au_ppm`,
/// `Au_ppb`, `Fe2O3_pct`, `Cu (ppm)`, `As.ppm`.
public struct ElementColumn: Sendable, Equatable {
    public var name: String
    /// The element or oxide: "Au", "Fe2O3".
    public var element: String
    public var unit: ConcentrationUnit

    public init?(_ name: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        var stem = ""
        var unitText = ""
        if trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") {
            stem = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            unitText = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        } else if let separator = trimmed.lastIndex(where: { $0 == "_" || $0 == "." || $0 == " " }) {
            stem = String(trimmed[..<separator])
            unitText = String(trimmed[trimmed.index(after: separator)...])
        } else {
            return nil
        }
        guard let unit = ConcentrationUnit(spelling: unitText), ElementColumn.isChemicalFormula(stem) else { return nil }
        self.name = name
        self.element = stem
        self.unit = unit
    }

    /// "Au", "Fe2O3", "U3O8": element symbols (capital + optional small letter) with counts.
    static func isChemicalFormula(_ text: String) -> Bool {
        let characters = Array(text)
        guard let first = characters.first, first.isUppercase, first.isASCII else { return false }
        var i = 0
        while i < characters.count {
            guard characters[i].isUppercase, characters[i].isASCII else { return false }
            i += 1
            if i < characters.count, characters[i].isLowercase, characters[i].isASCII { i += 1 }
            while i < characters.count, characters[i].isNumber, characters[i].isASCII { i += 1 }
        }
        return text.count <= 10
    }
}

extension PointLayer {
    /// Every column named element plus unit (`Au_ppm`, `Fe2O3_pct`), in file order.
    public var elementColumns: [ElementColumn] {
        columnNames.compactMap(ElementColumn.init)
    }

    /// The column an element name refers to: the column itself ("Au_ppm", "Au"), or the one
    /// element-plus-unit column of that element ("Au" → "Au_ppm"). Throws when the name matches
    /// no column, or several units of the element.
    public func elementColumnIndex(_ element: String) throws -> Int {
        if let index = columnIndex(element) { return index }
        let matches = columnNames.indices.filter { ElementColumn(columnNames[$0])?.element.lowercased() == element.lowercased() }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw GeoError("element '\(element)' is in several columns: \(matches.map { columnNames[$0] }.joined(separator: ", "))",
                           file: source, column: element, hint: "name the column, e.g. \"\(columnNames[matches[0]])\"")
        }
        let known = elementColumns.map(\.name)
        throw GeoError("no column for element '\(element)'", file: source, column: element,
                       hint: known.isEmpty ? "columns are \(columnNames.joined(separator: ", "))"
                           : "element columns are \(known.prefix(40).joined(separator: ", "))\(known.count > 40 ? ", …" : "")")
    }

    /// The points with element columns converted to `unit` and renamed (`Au_ppm` → `Au_ppb`,
    /// values × 1000). Below-detection marks and negative codes are converted too; missing codes
    /// (`rules.missingCodes`) and non-numbers are kept as they are. `names` nil: every
    /// element-plus-unit column.
    public func convertingUnits(to unit: ConcentrationUnit, columns names: [String]? = nil,
                                rules: CleaningRules = CleaningRules()) throws -> PointLayer {
        let targets = try (names ?? elementColumns.map(\.name)).map { name -> Int in
            let index = try elementColumnIndex(name)
            guard ElementColumn(columnNames[index]) != nil else {
                throw GeoError("column '\(columnNames[index])' has no unit in its name, so it cannot be converted", file: source,
                               column: columnNames[index], hint: "rename it like Au_ppm or Au_ppb")
            }
            return index
        }
        var copy = self
        for index in targets {
            let parsed = ElementColumn(columnNames[index])!
            let factor = parsed.unit.ppm / unit.ppm
            if factor == 1 { continue }
            copy.columns[index] = columns[index].map { text in
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                let prefix = trimmed.hasPrefix("<") || trimmed.hasPrefix(">") ? String(trimmed.first!) : ""
                guard let value = Double(trimmed.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)),
                      !(prefix.isEmpty && rules.missingCodes.contains(value)) else { return text }
                return prefix + LodeNumberText.shortest(value * factor)
            }
            let newName = parsed.element + "_" + unit.rawValue
            if idColumn == columnNames[index] { copy.idColumn = newName }
            copy.columnNames[index] = newName
        }
        return copy
    }
}

/// Numbers written back as text without float noise (0.001 × 1000 = 1, not 1.0000000000000002).
enum LodeNumberText {
    static func shortest(_ value: Double) -> String {
        let rounded = Double(String(format: "%.12g", value)) ?? value
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(format: "%.12g", rounded)
    }
}
