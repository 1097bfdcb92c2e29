import Foundation

/// What a censored value (below the detection limit L) becomes. Half the limit is the usual
/// choice for maps (it keeps the low values low without inventing a precise number); the limit
/// itself is the conservative upper bound; zero the lower bound; missing leaves the samples out.
public enum CensoredRule: String, Sendable, CaseIterable {
    case half, limit, zero, missing

    public init(named name: String) throws {
        guard let rule = CensoredRule(rawValue: name.lowercased()) else {
            throw GeoError("unknown rule for censored values '\(name)'",
                           hint: "choose one of " + CensoredRule.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        self = rule
    }

    /// The fraction of the limit that is used (nil: the value becomes missing).
    public var factor: Double? {
        switch self {
        case .half: return 0.5
        case .limit: return 1
        case .zero: return 0
        case .missing: return nil
        }
    }

    /// How the rule reads in messages.
    public var phrase: String {
        switch self {
        case .half: return "half the detection limit"
        case .limit: return "the detection limit"
        case .zero: return "zero"
        case .missing: return "missing"
        }
    }
}

/// What a negative number in an element column means.
public enum NegativeValueRule: String, Sendable, CaseIterable {
    /// -0.5 is the laboratory's way of writing "< 0.5" (the common convention of older files).
    case censored
    /// Negative numbers are codes for "no result"; they become missing.
    case missing
}

/// The state of one element value in one sample row, as the file gave it.
public enum ValueStatus: UInt8, Sendable {
    /// A number the laboratory reported.
    case measured
    /// Below the detection limit ("<0.5", -0.5, or a "<" qualifier).
    case censored
    /// No value at all: an empty cell, NA, NaN.
    case missing
    /// A code such as -9999 that says the element was not analysed in this sample.
    case notAnalysed
}

/// Counts of one element column over the sample rows of the file (before duplicates are averaged).
public struct ElementCounts: Sendable, Equatable {
    public var rows = 0
    public var measured = 0
    public var censored = 0
    public var missing = 0
    public var notAnalysed = 0
    /// Censored values whose limit is not in the file (a "<" qualifier with the value 0).
    public var unknownLimit = 0

    public init(rows: Int = 0, measured: Int = 0, censored: Int = 0, missing: Int = 0, notAnalysed: Int = 0, unknownLimit: Int = 0) {
        self.rows = rows
        self.measured = measured
        self.censored = censored
        self.missing = missing
        self.notAnalysed = notAnalysed
        self.unknownLimit = unknownLimit
    }
}

/// One raw cell read: its status and the number it carries (the value, or the detection limit of
/// a censored value; nil when a censored value has no usable limit).
struct ParsedValue {
    var status: ValueStatus
    var number: Double?
}

enum CensoredValueParser {
    /// Texts that mean "no value" in exported tables.
    static let missingTexts: Set<String> = ["", "na", "n/a", "nan", "null", "none", "-", "--"]

    /// Reads one cell. `qualifier` is the text of the element's qualifier column ("<", ">", "")
    /// when the file has one. Throws a message (the caller adds file, row and column).
    static func parse(_ raw: String, qualifier: String?, rules: CleaningRules) throws -> ParsedValue {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let flag = qualifier?.trimmingCharacters(in: .whitespaces) ?? ""
        if missingTexts.contains(text.lowercased()) {
            // A "<" qualifier beside an empty value: below detection, limit unknown.
            return flag.hasPrefix("<") ? ParsedValue(status: .censored, number: nil) : ParsedValue(status: .missing, number: nil)
        }
        if text.hasPrefix("<") {
            let limitText = text.dropFirst().trimmingCharacters(in: .whitespaces)
            guard let limit = Double(limitText), limit.isFinite, limit > 0 else {
                throw GeoError("'\(raw)' is not a below-detection value such as <0.5")
            }
            return ParsedValue(status: .censored, number: limit)
        }
        let numberText = text.hasPrefix(">") ? String(text.dropFirst()).trimmingCharacters(in: .whitespaces) : text
        guard let value = Double(numberText), !value.isNaN else {
            throw GeoError("'\(raw)' is not a number",
                           hint: "values must be numbers, below-detection marks like <0.5, missing codes like -9999, or empty")
        }
        if rules.missingCodes.contains(value) || !value.isFinite { return ParsedValue(status: .notAnalysed, number: nil) }
        if flag.hasPrefix("<") {
            // The qualifier says censored; the number beside it is the limit (0 when the file lost it).
            let limit = abs(value)
            return ParsedValue(status: .censored, number: limit > 0 ? limit : nil)
        }
        if value < 0 {
            switch rules.negativeValues {
            case .censored: return ParsedValue(status: .censored, number: -value)
            case .missing: return ParsedValue(status: .missing, number: nil)
            }
        }
        return ParsedValue(status: .measured, number: value)
    }

    /// The qualifier column of an element column, if the file has one: `Au_T`, `Au_Q`, `Au_QUAL`,
    /// `Au_FLAG`, `Au_QUALIFIER` beside `Au` (or beside `Au_ppm`, with or without the unit).
    static func qualifierColumn(for column: String, in names: [String]) -> Int? {
        let lowered = names.map { $0.lowercased() }
        var stems = [column.lowercased()]
        if let parsed = ElementColumn(column) { stems.append(parsed.element.lowercased()) }
        for stem in stems {
            for suffix in ["_t", "_q", "_qual", "_qualifier", "_flag", "_sign"] {
                if let index = lowered.firstIndex(of: stem + suffix) { return index }
            }
        }
        return nil
    }
}
