import Foundation
import LodeEval
import LodePlot
import LodeScript

/// A chart. Shows as PNG and SVG in a notebook; `save(fig, "x.png")` writes it.
public final class FigureObject: LodeObject, RichDisplayable {
    public let figure: Figure
    public init(_ figure: Figure) { self.figure = figure }

    public var typeName: String { "figure" }
    public var summary: String { figure.summary }
    public var memberNames: [String] { ["title", "width", "height"] }

    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "title": return figure.title.map { .string($0) } ?? .nil
        case "width": return .number(figure.width)
        case "height": return .number(figure.height)
        default: return nil
        }
    }

    public func displayBundle() -> DisplayBundle {
        do {
            return DisplayBundle(data: try figure.mimeBundle())
        } catch {
            return DisplayBundle(plainText: summary + " (could not render: \(error))")
        }
    }
}

/// SHAP values per window and layer, with the ranking of layers by mean |SHAP|.
public final class ExplanationObject: LodeObject, RichDisplayable {
    public let explanation: Explanation
    public init(_ explanation: Explanation) { self.explanation = explanation }

    public var typeName: String { "explanation" }
    public var summary: String {
        "explanation (\(explanation.method)) of \(explanation.values.count) windows over \(explanation.featureNames.count) layers, top: \(ranking.prefix(3).joined(separator: ", "))"
    }
    public var memberNames: [String] { ["ranking", "importance", "values", "base", "method", "additivity_error", "layers"] }

    public var ranking: [String] {
        let means = explanation.meanAbsoluteValues
        return explanation.featureNames.indices.sorted { means[$0] > means[$1] }.map { explanation.featureNames[$0] }
    }

    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "ranking": return .list(ranking.map { .string($0) })
        case "importance":
            return .record(LodeRecord(zip(explanation.featureNames, explanation.meanAbsoluteValues).map { ($0, .number($1)) }))
        case "values": return .list(explanation.values.map { .list($0.map(LodeValue.number)) })
        case "base": return .number(explanation.baseValues.first ?? .nan)
        case "method": return .string(explanation.method)
        case "additivity_error": return .number(explanation.maxAdditivityError)
        case "layers": return .list(explanation.featureNames.map { .string($0) })
        default: return nil
        }
    }

    public var table: TableObject {
        let means = explanation.meanAbsoluteValues
        let order = explanation.featureNames.indices.sorted { means[$0] > means[$1] }
        return TableObject(title: summary, columns: ["rank", "layer", "mean |SHAP|"],
                           rows: order.enumerated().map { ["\($0.offset + 1)", explanation.featureNames[$0.element], formatted(means[$0.element], digits: 5)] })
    }

    public func displayBundle() -> DisplayBundle {
        DisplayBundle(data: ["text/plain": explanation.summary, "text/html": table.html])
    }
}

/// Graded target zones (A/B/C) with the deposits each one holds.
public final class ZonesObject: LodeObject, RichDisplayable {
    public let zones: ZoneSet
    public init(_ zones: ZoneSet) { self.zones = zones }

    public var typeName: String { "zones" }
    public var summary: String {
        let counts = ProspectivityClass.allCases.map { grade in "\(zones.zones.filter { $0.grade == grade }.count) \(grade.rawValue)" }
        return "zones \(zones.zones.count) (\(counts.joined(separator: ", "))), hidden deposits captured \(capturedHidden)"
    }
    public var capturedHidden: Int { zones.zones.reduce(0) { $0 + $1.hiddenDeposits.count } }
    public var memberNames: [String] { ["count", "a", "b", "c", "hidden_captured", "known_captured", "thresholds", "geojson", "table"] }

    public func member(_ name: String) throws -> LodeValue? {
        func count(_ grade: ProspectivityClass) -> LodeValue { .number(Double(zones.zones.filter { $0.grade == grade }.count)) }
        switch name {
        case "count": return .number(Double(zones.zones.count))
        case "a": return count(.a)
        case "b": return count(.b)
        case "c": return count(.c)
        case "hidden_captured": return .number(Double(capturedHidden))
        case "known_captured": return .number(Double(zones.zones.reduce(0) { $0 + $1.knownDeposits.count }))
        case "thresholds":
            return .record(LodeRecord([("a", .number(zones.thresholds.a)), ("b", .number(zones.thresholds.b)), ("c", .number(zones.thresholds.c))]))
        case "geojson": return .string(zones.geoJSON())
        case "table": return .object(table)
        default: return nil
        }
    }

    public var table: TableObject {
        let lines = zones.csv.split(separator: "\n").map(String.init)
        let rows = lines.dropFirst().map { splitCSVLine($0) }
        return TableObject(title: summary, columns: lines.first.map(splitCSVLine) ?? [], rows: rows)
    }

    public func displayBundle() -> DisplayBundle {
        DisplayBundle(data: ["text/plain": zones.summary, "text/html": table.html])
    }
}

/// Splits one CSV line, honouring double quotes.
func splitCSVLine(_ line: String) -> [String] {
    var cells: [String] = [], current = "", quoted = false
    var iterator = Array(line).makeIterator()
    while let ch = iterator.next() {
        if ch == "\"" { quoted.toggle() } else if ch == "," && !quoted { cells.append(current); current = "" } else { current.append(ch) }
    }
    cells.append(current)
    return cells
}
