import Foundation
import LodeEval
import LodeGeo
import LodePlot
import LodeScript

/// What a workflow written in Lode needs to write its own report: numbers as fixed-decimal
/// text, tables built from lists and written as markdown, a clock for timings, a chosen subset
/// of windows, and the prediction-area figure. `stdlib/pipeline.lode` writes `out/report.md`
/// with these, so every number in the report comes from a call a user can read and rerun.
enum ReportCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "reports")
        r.add("format", [Parameter("value", doc: "a number (nil gives \"n/a\")"),
                         Parameter("digits", .integer, default: 4, range: .within(0, 12), doc: "digits after the decimal point"),
                         Parameter("scientific", .bool, default: false, doc: "write 1.25e-04 rather than 0.0001")],
              returns: "string", doc: "A number as text with a fixed number of decimals, for reports and tables (nil is \"n/a\", NaN \"nan\").",
              example: "format(0.94531, digits: 3)   # \"0.945\"") { a in
            let digits = try a.integer("digits")
            switch a["value"] {
            case .nil: return .string("n/a")
            case .number(let number) where try a.bool("scientific"):
                return .string(number.isNaN ? "nan" : String(format: "%.\(digits)e", number))
            case .number(let number): return .string(formatted(number, digits: digits))
            default: throw LodeError(.type, "argument 'value' of format() must be a number or nil, got \(a["value"].described)", at: a.context.location)
            }
        }
        r.add("table", [Parameter("columns", .list, doc: "the column names"),
                        Parameter("rows", .list, doc: "one list of cells per row (numbers, strings or nil)"),
                        Parameter("title", .string, default: "", doc: "the table's title")],
              returns: "table", doc: "A table from lists: shown as text or HTML, written with save(t, \"x.csv\") or as markdown with markdown(t).",
              example: "table([\"model\", \"AUC\"], [[\"SSGSNet\", 0.95], [\"ResNet\", 0.90]])") { a in
            let columns = try a.strings("columns")
            guard !columns.isEmpty else { throw a.failure("a table needs at least one column") }
            let rows = try a.list("rows").enumerated().map { index, row -> [String] in
                guard case .list(let cells) = row else { throw a.failure("row \(index) must be a list of cells, found \(row.described)") }
                guard cells.count == columns.count else {
                    throw a.failure("row \(index) has \(cells.count) cells for \(columns.count) columns")
                }
                return cells.map { cell in
                    switch cell {
                    case .nil: return ""
                    case .number(let n): return LodeValue.formatNumber(n)
                    default: return cell.printed
                    }
                }
            }
            return .object(TableObject(title: try a.string("title"), columns: columns, rows: rows))
        }
        r.add("markdown", [Parameter("value", doc: "a table or zones")],
              returns: "string", doc: "The markdown text of a table (a header row, a rule, one line per row) or of target zones, for reports.",
              example: "save(\"# Results\\n\\n\" + markdown(evaluate(models, data.val)), \"out/results.md\")") { a in
            switch a["value"] {
            case .object(let table as TableObject): return .string(markdownTable(columns: table.columns, rows: table.rows))
            case .object(let zones as ZonesObject): return .string(zones.zones.markdown)
            default: throw LodeError(.type, "argument 'value' of markdown() must be a table or zones, got \(a["value"].described)", at: a.context.location)
            }
        }
        r.add("clock", [], returns: "number", doc: "Seconds on a steady clock (from an arbitrary start): the difference of two readings times a step.",
              example: "t = clock(); m = predict_map(model, stack); print(clock() - t)") { _ in
            .number(ProcessInfo.processInfo.systemUptime)
        }
        r.add("plot_prediction_area", [Parameter("probability", .object("raster"), doc: "a prospectivity map"),
                                       Parameter("deposits", .object("points"), doc: "deposits to capture (e.g. survey.hidden)")],
              returns: "figure", doc: "The prediction-area plot: as the threshold rises, the share of deposits predicted falls and the share of area kept falls; where the curves cross, a share p of the deposits lies in a share 1 − p of the area.",
              example: "plot_prediction_area(prob, survey.hidden)") { a in
            let raster = try a.typed("probability", RasterObject.self, "a raster").raster
            let cells = raster.grid.cellIndices(of: try a.typed("deposits", PointsObject.self, "points").layer)
            guard !cells.isEmpty else { throw a.failure("no deposit falls on the map's grid") }
            let pa = try predictionArea(probabilities: raster.values, depositCells: cells)
            return .object(FigureObject(try Figure.predictionArea(thresholds: pa.thresholds, predictionRates: pa.predictionRates,
                                                                  areaShares: pa.areaShares,
                                                                  intersection: (pa.intersectionThreshold, pa.intersectionPredictionRate))))
        }
        let windows = Registrar(registry: registry, category: "samples and windows")
        windows.add("subset", [Parameter("data", .object("dataset"), doc: "labelled windows"),
                               Parameter("indices", .list, doc: "which windows, in the order wanted (0 is the first)")],
                    returns: "dataset", doc: "The chosen windows of a dataset (with their labels, sites and layer names), e.g. evenly spaced ones to explain.",
                    example: "picked = subset(data.val, map(range(8), fn(i) => i * 4))") { a in
            let data = try a.typed("data", DatasetObject.self, "a dataset")
            let indices = try a.sizes("indices")
            if let bad = indices.first(where: { !(0..<data.data.count).contains($0) }) {
                throw a.failure("index \(bad) is out of range for a dataset of \(data.data.count) windows")
            }
            return .object(DatasetObject(data.data.subset(indices), source: data.source))
        }
    }

    /// `| a | b |` / `|---|---|` / one line per row; `|` inside a cell is escaped.
    static func markdownTable(columns: [String], rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String { "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
        return ([line(columns), "|" + columns.map { _ in "---" }.joined(separator: "|") + "|"] + rows.map(line)).joined(separator: "\n")
    }
}
