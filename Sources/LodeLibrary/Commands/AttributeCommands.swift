import Foundation
import LodeGeo
import LodeScript

/// A file's attribute columns from a script: read a column, filter points by their
/// attributes, keep some columns, hold some points back.
enum AttributeCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "survey files")
        r.add("values", [Parameter("points", .object("points"), doc: "points read from a file"),
                         Parameter("column", .string, doc: "the column, e.g. \"Au_ppm\" (case-insensitive)")],
              returns: "list",
              doc: "The values of one attribute column, one per point: numbers when every filled value is a number (empty cells are nan), else the texts. Also written points.values(\"Au_ppm\").",
              example: "au = values(samples, \"Au_ppm\")") { a in
            try columnValues(try a.typed("points", PointsObject.self, "points").layer, try a.string("column"), a)
        }
        r.add("where", [Parameter("points", .object("points"), doc: "points with attributes"),
                        Parameter("keep", .function, doc: "a function of one point (a record of its columns plus x, y, id and row) that is true for the points to keep")],
              returns: "points",
              doc: "The points for which the function is true, attributes and ids kept: where(sites, fn(p) => p.SITE_TYPE_ == \"Mine\"). Column values are numbers when they read as numbers.",
              example: "mines = where(sites, fn(p) => p.SITE_TYPE_ == \"Mine\")") { a in
            let layer = try a.typed("points", PointsObject.self, "points").layer
            let ids = layer.ids
            var kept: [Int] = []
            for i in 0..<layer.count {
                if i % 512 == 0 { try a.context.checkInterrupt() }
                var record = LodeRecord()
                for (name, column) in zip(layer.columnNames, layer.columns) { record[name] = cell(column[i]) }
                record["x"] = .number(layer.x[i])
                record["y"] = .number(layer.y[i])
                record["id"] = .string(ids[i])
                record["row"] = .number(Double(layer.rowNumbers[i]))
                if try a.call("keep", [.record(record)]).isTruthy { kept.append(i) }
            }
            return .object(PointsObject(layer.subset(kept)))
        }
        r.add("select", [Parameter("points", .object("points"), doc: "points with attributes"),
                         Parameter("columns", .list, doc: "the columns to keep, in order")],
              returns: "points", doc: "The points with only the named attribute columns (the id column stays).",
              example: "small = select(samples, [\"SAMPLEID\", \"Au_ppm\", \"As_ppm\"])") { a in
            .object(PointsObject(try a.typed("points", PointsObject.self, "points").layer.selecting(columns: try a.strings("columns"))))
        }
        r.add("split_points", [Parameter("points", .object("points"), doc: "e.g. the known deposits"),
                               Parameter("fraction", .number, default: 0.2, doc: "share held back"),
                               Parameter("seed", .integer, default: 0, range: .nonNegative, doc: "random seed")],
              returns: "record",
              doc: "Holds a random share of the points back: {train, held_out}, both points with their attributes and ids (e.g. deposits kept away from training to test the map). The same seed gives the same split.",
              example: "parts = split_points(sites, 0.3, seed: 1)") { a in
            let parts = try a.typed("points", PointsObject.self, "points").layer.split(fraction: try a.number("fraction"), seed: try a.seed())
            return .record(LodeRecord([("train", .object(PointsObject(parts.kept))), ("held_out", .object(PointsObject(parts.heldBack))),
                                       ("held_out_ids", .list(parts.heldBack.ids.map { .string($0) }))]))
        }
    }

    /// A text cell as a Lode value: a number when it reads as one, else the text.
    static func cell(_ text: String) -> LodeValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let number = Double(trimmed) { return .number(number) }
        return .string(text)
    }

    static func columnValues(_ layer: PointLayer, _ name: String, _ a: Arguments) throws -> LodeValue {
        guard let column = layer.column(named: name) else {
            throw a.failure("the points have no column '\(name)'", hint: "columns are \(layer.columnNames.prefix(30).joined(separator: ", "))")
        }
        let filled = column.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        if filled.allSatisfy({ Double($0.trimmingCharacters(in: .whitespaces)) != nil }) {
            return .list(column.map { Double($0.trimmingCharacters(in: .whitespaces)).map(LodeValue.number) ?? .number(.nan) })
        }
        return .list(column.map { .string($0) })
    }
}
