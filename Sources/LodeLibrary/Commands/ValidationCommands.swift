import Foundation
import LodeEval
import LodeGeo
import LodePlot
import LodeScript
import LodeTensor

/// Map-level validation: a map is judged by how it ranks deposits it did not see against the
/// whole area. Scoring, folds of whole deposits, baselines, the leakage check, and
/// cross-validation of any map-making recipe written in Lode.
enum ValidationCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "map validation and baselines")
        registerScoring(r)
        registerFolds(r)
        registerBaselines(r)
        registerCrossValidation(r)
    }

    // MARK: scoring

    static func registerScoring(_ r: Registrar) {
        r.add("score_map", [Parameter("map", .object("raster"), doc: "any map where high = prospective (a model's probability, a baseline)"),
                            Parameter("deposits", .object("points"), doc: "deposits the map did not see (e.g. survey.hidden)")],
              returns: "record",
              doc: "Scores a map against the whole area at deposit locations: `success_auc` (the AUC of the deposits' cells against every valid cell: 0.5 is random, 1 puts every deposit on the best cells), `top5`, `top10`, `top20` (share of the deposits in the most prospective 5 / 10 / 20 % of the area) and `percentiles` (each deposit's share of the area ranked below it). Deposits off the map or on cells without a value are skipped with a warning.",
              example: "s = score_map(prob, survey.hidden)\nprint(s.success_auc, s.top10)") { a in
            let map = try a.typed("map", RasterObject.self, "a raster").raster
            let deposits = try a.typed("deposits", PointsObject.self, "points").layer
            return scoreRecord(try scoreMap(map, deposits: deposits, operation: "score_map"))
        }
        r.add("compare_maps", [Parameter("maps", .record, doc: "a record {name: raster}"),
                               Parameter("deposits", .object("points"), doc: "deposits none of the maps saw (e.g. survey.hidden)")],
              returns: "table",
              doc: "Scores several maps on the same deposits and ranks them by success-rate area: one row per map with success_auc, top5, top10, top20 and the median deposit percentile. The best map is the first row.",
              example: "compare_maps({SSGSNet: prob, faults: baseline(layers, survey.deposits, kind: \"fault_distance\", distance: d)}, survey.hidden)") { a in
            let deposits = try a.typed("deposits", PointsObject.self, "points").layer
            var rows: [(String, MapScore)] = []
            for (name, value) in try a.record("maps").fields {
                guard case .object(let object as RasterObject) = value else {
                    throw a.failure("map '\(name)' must be a raster, got \(value.described)")
                }
                rows.append((name, try scoreMap(object.raster, deposits: deposits, operation: "compare_maps")))
            }
            guard !rows.isEmpty else { throw a.failure("no maps given", hint: "pass a record {name: raster, ...}") }
            rows.sort { $0.1.successArea > $1.1.successArea }
            return .object(TableObject(title: "Maps ranked by success-rate area on \(deposits.count) deposits",
                                       columns: ["map", "success_auc", "top5", "top10", "top20", "median_percentile"],
                                       rows: rows.map { name, s in
                                           [name, formatted(s.successArea), formatted(s.top5), formatted(s.top10), formatted(s.top20),
                                            formatted(median(s.percentiles))]
                                       }))
        }
        r.add("score_difference", [Parameter("a", .record, doc: "score_map of the first map"),
                                   Parameter("b", .record, doc: "score_map of the second map, on the same deposits"),
                                   Parameter("level", .number, default: 0.9, range: .within(0.5, 0.999), doc: "coverage of the interval"),
                                   Parameter("rounds", .integer, default: 2000, range: .within(100, 1_000_000), doc: "bootstrap resamples"),
                                   Parameter("seed", .integer, default: 0, doc: "seed of the resampling")],
              returns: "record",
              doc: "How much better map a ranks the same deposits than map b, and how sure that is: `difference` (the mean over the deposits of a's percentile minus b's, about the gap between their success-rate areas), `low`/`high` (a paired bootstrap interval over the deposits, each resample keeping a deposit's two percentiles together), `wins` (share of the deposits a ranks higher) and `text`. With a few dozen deposits, gaps of a few hundredths are often inside the interval: the maps are then not shown to differ.",
              example: "d = score_difference(score_map(prob, survey.hidden), score_map(logistic, survey.hidden))\nprint(d.text)") { a in
            func percentiles(_ name: String) throws -> [Double] {
                let record = try a.record(name)
                guard case .list(let values)? = record["percentiles"] else {
                    throw a.failure("'\(name)' has no percentiles", hint: "pass the record score_map returns")
                }
                return try values.map { value in
                    guard let n = value.numberValue else { throw a.failure("'\(name)'.percentiles holds \(value.described), not a number") }
                    return n
                }
            }
            let level = try a.number("level")
            let d = try scoreDifference(try percentiles("a"), try percentiles("b"), level: level, rounds: try a.integer("rounds"),
                                        seed: UInt64(truncatingIfNeeded: try a.integer("seed")), operation: "score_difference")
            let verdict = d.low > 0 ? "a ranks these deposits higher" : d.high < 0 ? "b ranks these deposits higher" : "not shown to differ"
            let text = "difference \(formatted(d.difference)) (\(formatted(100 * d.level, digits: 0)) % interval \(formatted(d.low)) to \(formatted(d.high)) over \(d.deposits) deposits; a higher on \(formatted(100 * d.wins, digits: 0)) % of them): \(verdict)"
            return .record(LodeRecord([("difference", .number(d.difference)), ("low", .number(d.low)), ("high", .number(d.high)),
                                       ("level", .number(d.level)), ("wins", .number(d.wins)), ("deposits", .number(Double(d.deposits))),
                                       ("text", .string(text))]))
        }
        r.add("results_table", [Parameter("rows", .record, doc: "a record {name: {measure: number, ...}}"),
                                Parameter("title", .string, default: "Results", doc: "the table's title"),
                                Parameter("sort_by", .optional(.string), default: .nil, doc: "a measure to rank the rows by, largest first")],
              returns: "table",
              doc: "A table of named results: one row per name, one column per measure (the union of the records' fields, in order of appearance), e.g. the figures of several maps from score_map or cross_validate.",
              example: "results_table({woe: {auc: 0.81}, logistic: {auc: 0.84}}, sort_by: \"auc\")") { a in
            var columns: [String] = []
            var rows: [(String, LodeRecord)] = []
            for (name, value) in try a.record("rows").fields {
                guard case .record(let row) = value else { throw a.failure("row '\(name)' must be a record of measures, got \(value.described)") }
                for key in row.keys where !columns.contains(key) { columns.append(key) }
                rows.append((name, row))
            }
            if let key = try a.optionalString("sort_by") {
                guard columns.contains(key) else { throw a.failure("no measure '\(key)' to sort by", hint: "measures are \(columns.joined(separator: ", "))") }
                func number(_ row: LodeRecord) -> Double { row[key]?.numberValue.flatMap { $0.isNaN ? nil : $0 } ?? -.infinity }
                rows.sort { number($0.1) > number($1.1) }
            }
            return .object(TableObject(title: try a.string("title"), columns: ["name"] + columns, rows: rows.map { name, row in
                [name] + columns.map { key in
                    guard let value = row[key] else { return "" }
                    if case .number(let n) = value { return formatted(n) }
                    if case .string(let text) = value { return text }
                    return value.summary
                }
            }))
        }
        r.add("leakage", [Parameter("stack", .object("stack"), doc: "the layers the windows are cut from"),
                          Parameter("positives", .object("points"), doc: "training positives (the deposits)"),
                          Parameter("negatives", .object("points"), doc: "training negatives"),
                          Parameter("size", .integer, default: 32, range: .within(1, 10_000), doc: "window side in cells (the windows the model will see)"),
                          Parameter("threshold", .number, default: 0.98, range: .within(0.5, 1), doc: "AUC at or above which (or at or below 1 - it) a layer counts as encoding the labels")],
              returns: "table",
              doc: "Before training: how well each single layer separates the positives from the negatives as a model could read it from their windows (the AUC of the layer's centre value, window mean, minimum or maximum, whichever separates most). When one layer does it almost perfectly the labels encode that layer; a warning says so, because a window AUC near 1 will then only mean the model read that layer, not that it maps prospectivity.",
              example: "leakage(layers, survey.deposits, negatives, size: 32)") { a in
            let stack = try a.typed("stack", StackObject.self, "a stack").stack
            let positives = try a.typed("positives", PointsObject.self, "points").layer
            let negatives = try a.typed("negatives", PointsObject.self, "points").layer
            let report = try LeakageCheck.report(stack: stack, positivesX: positives.x, positivesY: positives.y,
                                                 negativesX: negatives.x, negativesY: negatives.y, windowSize: try a.integer("size"),
                                                 threshold: try a.number("threshold"))
            for warning in report.warnings { WorkMonitor.warn(warning) }
            let order = report.layers.indices.sorted { (report.layers[$0].separation.isNaN ? -1 : report.layers[$0].separation) > (report.layers[$1].separation.isNaN ? -1 : report.layers[$1].separation) }
            return .object(TableObject(title: "Separation of \(report.positives) positives from \(report.negatives) negatives by each layer",
                                       columns: ["layer", "AUC", "separation", "statistic", "encodes_labels"],
                                       rows: order.map { i in
                                           let layer = report.layers[i]
                                           return [layer.name, formatted(layer.auc), formatted(layer.separation), layer.statistic,
                                                   layer.separation >= report.threshold ? "yes" : "no"]
                                       }))
        }
    }

    static func scoreRecord(_ s: MapScore) -> LodeValue {
        if s.skipped > 0 { WorkMonitor.warn("\(s.skipped) deposits lie off the map or on cells without a value and were not scored") }
        return .record(LodeRecord([("success_auc", .number(s.successArea)), ("top5", .number(s.top5)), ("top10", .number(s.top10)),
                                   ("top20", .number(s.top20)), ("percentiles", .list(s.percentiles.map(LodeValue.number))),
                                   ("deposits", .number(Double(s.depositCount))), ("skipped", .number(Double(s.skipped)))]))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    // MARK: folds

    static func registerFolds(_ r: Registrar) {
        r.add("folds", [Parameter("deposits", .object("points"), doc: "the known deposits"),
                        Parameter("kind", .string, default: "grouped", doc: "\"lodo\" (leave one deposit out), \"blocks\" (square blocks of size_km; a block's deposits leave together) or \"grouped\" (k folds; deposits within link_km of each other stay together)"),
                        Parameter("size_km", .number, default: 10, range: .positive, doc: "block size of kind \"blocks\", in km"),
                        Parameter("k", .integer, default: 5, range: .atLeast(2), doc: "number of folds of kind \"grouped\""),
                        Parameter("link_km", .number, default: 0, range: .nonNegative, doc: "kind \"grouped\": deposits closer than this (km) share a fold"),
                        Parameter("seed", .integer, default: 0, range: .nonNegative, doc: "seed of the grouped shuffle")],
              returns: "list",
              doc: "Folds that hold out whole deposits, for map-level cross-validation: a list of records {fold, train, held_out, train_indices, held_out_indices, held_out_ids} where train and held_out are points. Every deposit is held out by exactly one fold. Train only on a fold's `train` deposits and keep samples near its `held_out` ones out of training (exclude_near).",
              example: "for f in folds(survey.deposits, kind: \"blocks\", size_km: 10) { print(f.fold, f.held_out.count) }") { a in
            let deposits = try a.typed("deposits", PointsObject.self, "points").layer
            let scheme: FoldScheme
            switch try a.string("kind") {
            case "lodo": scheme = .leaveOneOut
            case "blocks": scheme = .spatialBlocks(size: try a.number("size_km") * 1000)
            case "grouped": scheme = .grouped(k: try a.integer("k"), linkDistance: try a.number("link_km") * 1000, seed: try a.seed())
            case let other: throw a.failure("unknown kind \"\(other)\"", hint: "use \"lodo\", \"blocks\" or \"grouped\"")
            }
            return .list(try DepositFolds.make(x: deposits.x, y: deposits.y, scheme: scheme).map { foldRecord($0, deposits) })
        }
        r.add("exclude_near", [Parameter("points", .object("points"), doc: "training sample locations (positives, jittered copies, negatives)"),
                               Parameter("held_out", .object("points"), doc: "the fold's held-out deposits"),
                               Parameter("radius", .number, range: .nonNegative, doc: "metres; use at least the jitter radius plus half a window")],
              returns: "points",
              doc: "The sample locations farther than radius from every held-out deposit: what a fold may train on, so no window (nor a shifted or augmented copy) of a held-out deposit reaches training.",
              example: "negatives = exclude_near(negatives, fold.held_out, radius: 2000)") { a in
            let points = try a.typed("points", PointsObject.self, "points").layer
            let heldOut = try a.typed("held_out", PointsObject.self, "points").layer
            let exclusion = try HeldOutExclusion(heldOutX: heldOut.x, heldOutY: heldOut.y, radius: try a.number("radius"))
            return .object(PointsObject(points.subset(try exclusion.kept(x: points.x, y: points.y))))
        }
    }

    static func foldRecord(_ fold: DepositFold, _ deposits: PointLayer) -> LodeValue {
        .record(LodeRecord([("fold", .number(Double(fold.index + 1))),
                            ("train", .object(PointsObject(deposits.subset(fold.training)))),
                            ("held_out", .object(PointsObject(deposits.subset(fold.heldOut)))),
                            ("train_indices", .list(fold.training.map { .number(Double($0)) })),
                            ("held_out_indices", .list(fold.heldOut.map { .number(Double($0)) })),
                            ("held_out_ids", .list(fold.heldOut.map { .string(deposits.ids[$0]) }))]))
    }

    // MARK: baselines

    static func registerBaselines(_ r: Registrar) {
        r.add("baseline", [Parameter("stack", .object("stack"), doc: "the layers"),
                           Parameter("deposits", .object("points"), doc: "training deposits (positives)"),
                           Parameter("kind", .string, default: "logistic", doc: "\"layer\", \"best_layer\", \"fault_distance\", \"woe\" (weights of evidence), \"logistic\" or \"forest\""),
                           Parameter("layer", .optional(.string), default: .nil, doc: "kind \"layer\": the layer's name"),
                           Parameter("distance", .optional(.object("raster")), default: .nil, doc: "kind \"fault_distance\": metres to the nearest fault (distance_to(faults, grid))"),
                           Parameter("avoid", .optional(.object("points")), default: .nil, doc: "more deposits no background cell is drawn near (e.g. a fold's held-out ones)"),
                           Parameter("background", .integer, default: 2000, range: .atLeastOne, doc: "background cells drawn as negatives"),
                           Parameter("buffer", .number, default: 1000, range: .nonNegative, doc: "metres around every deposit kept free of background cells"),
                           Parameter("positive_radius", .number, default: 0, range: .nonNegative, doc: "cells within this many metres of a training deposit are positives too (0: its cell only)"),
                           Parameter("l2", .number, default: 1, range: .nonNegative, doc: "kind \"logistic\": L2 penalty (scikit-learn's 1 / C) on the standardised layers"),
                           Parameter("trees", .integer, default: 100, range: .atLeastOne, doc: "kind \"forest\": number of trees"),
                           Parameter("min_leaf", .integer, default: 2, range: .atLeastOne, doc: "kind \"forest\": fewest samples in a leaf"),
                           Parameter("balanced", .bool, default: false, doc: "kind \"forest\": weigh the classes equally in every tree's bootstrap sample (scikit-learn's class_weight=\"balanced_subsample\"): a few deposits against thousands of background cells"),
                           Parameter("seed", .integer, default: 0, range: .nonNegative, doc: "seed of the background draw and the forest"),
                           Parameter("quiet", .bool, default: false, doc: "do not print what was fitted")],
              returns: "raster",
              doc: "A baseline prospectivity map fitted on the training deposits only, a raster like any other map (grade, zones, save, score_map). Signs are chosen so high = prospective. \"layer\": one layer; \"best_layer\": the layer that best separates the deposits from the background; \"fault_distance\": minus the distance to the nearest fault; \"woe\": weights of evidence, each layer reclassified to a binary pattern at the area quantile of largest contrast, posterior logit summed over layers; \"logistic\": per-cell logistic regression (Newton, L2); \"forest\": per-cell random forest (CART, bootstrap, sqrt(layers) per split). The per-cell fits use the deposits' cells as positives and a seeded sample of background cells outside a buffer around the deposits as negatives.",
              example: "woe = baseline(layers, survey.deposits, kind: \"woe\")\nscore_map(woe, survey.hidden)") { a in
            let stack = try a.typed("stack", StackObject.self, "a stack").stack
            let deposits = try a.typed("deposits", PointsObject.self, "points").layer
            guard let kind = BaselineKind(rawValue: try a.string("kind")) else {
                throw a.failure("unknown kind \"\(try a.string("kind"))\"", hint: "use " + BaselineKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
            }
            var options = BaselineOptions()
            options.sampling = CellSampling(backgroundCount: try a.integer("background"), buffer: try a.number("buffer"),
                                            positiveRadius: try a.number("positive_radius"), seed: try a.seed())
            options.layer = try a.optionalString("layer")
            if kind == .layer, options.layer == nil { throw a.failure("kind \"layer\" needs layer: the name of a layer", hint: "layers are \(stack.names.joined(separator: ", "))") }
            if !a.isNil("distance") { options.distance = try a.typed("distance", RasterObject.self, "a raster").raster }
            if kind == .faultDistance, options.distance == nil {
                throw a.failure("kind \"fault_distance\" needs distance: a raster of metres to the nearest fault", hint: "distance: distance_to(survey.faults, grid)")
            }
            options.l2 = try a.number("l2")
            options.forest.treeCount = try a.integer("trees")
            options.forest.minimumSamplesLeaf = try a.integer("min_leaf")
            options.forest.balanced = try a.bool("balanced")
            let avoid = a.isNil("avoid") ? nil : try a.typed("avoid", PointsObject.self, "points").layer
            let fitted = try Baselines.fitted(kind, stack: stack, trainingX: deposits.x, trainingY: deposits.y,
                                              avoidX: avoid?.x ?? [], avoidY: avoid?.y ?? [], options: options)
            if try !a.bool("quiet") { a.context.output.stream(.stdout, text: "baseline \(kind.rawValue): \(fitted.summary)\n") }
            return .object(RasterObject(fitted.map))
        }
    }

    // MARK: cross-validation

    static func registerCrossValidation(_ r: Registrar) {
        r.add("cross_validate", [Parameter("stack", .object("stack"), doc: "the layers (the maps must be on its grid)"),
                                 Parameter("deposits", .object("points"), doc: "the known deposits the folds split"),
                                 Parameter("folds", .list, doc: "folds(deposits, ...)"),
                                 Parameter("fit", .function, doc: "fn(train_deposits, fold) returning the map (a raster) made from the fold's training deposits only"),
                                 Parameter("name", .string, default: "map", doc: "what is validated, for the table and figure")],
              returns: "record",
              doc: "Map-level spatial cross-validation of any recipe: for each fold, calls fit with the fold's training deposits (and the fold record, whose held_out deposits the recipe must keep out of training: exclude_near), then scores the map on the held-out deposits against the whole area. Returns {table (mean and spread over folds of success_auc, top5, top10, top20), folds (one row per fold), figure (success-rate curves of the held-out deposits per fold), success_auc, top10, ...}. Shows progress per fold; an interrupt stops between folds and inside the recipe.",
              example: "cv = cross_validate(layers, survey.deposits, folds(survey.deposits, k: 5), fit: fn(train, fold) { baseline(layers, train, kind: \"woe\", avoid: fold.held_out, quiet: true) })\nprint(cv.table)") { a in
            let stack = try a.typed("stack", StackObject.self, "a stack").stack
            let deposits = try a.typed("deposits", PointsObject.self, "points").layer
            let foldValues = try a.list("folds")
            guard !foldValues.isEmpty else { throw a.failure("no folds given", hint: "folds: folds(deposits, kind: \"grouped\", k: 5)") }
            let name = try a.string("name")
            var scores: [MapScore] = [], curves: [NamedCurve] = [], rows: [[String]] = []
            for (i, value) in foldValues.enumerated() {
                guard case .record(let fold) = value, case .object(let train as PointsObject)? = fold["train"],
                      case .object(let heldOut as PointsObject)? = fold["held_out"] else {
                    throw a.failure("fold \(i + 1) is not a record with train and held_out points", hint: "make the folds with folds(deposits, ...)")
                }
                try a.progress(Double(i) / Double(foldValues.count), "cross_validate \(name): fold \(i + 1)/\(foldValues.count)")
                let result = try a.call("fit", [.object(train), value])
                guard case .object(let mapObject as RasterObject) = result else {
                    throw a.failure("fit must return the fold's map (a raster), got \(result.described) in fold \(i + 1)")
                }
                let map = mapObject.raster
                guard map.grid.rows == stack.grid.rows, map.grid.cols == stack.grid.cols else {
                    throw a.failure("the map of fold \(i + 1) (\(map.grid.rows)×\(map.grid.cols)) is not on the stack's grid (\(stack.grid.rows)×\(stack.grid.cols))")
                }
                let score = try scoreMap(map, deposits: heldOut.layer, operation: "cross_validate")
                if score.skipped > 0 { WorkMonitor.warn("fold \(i + 1): \(score.skipped) held-out deposits lie off the map or on cells without a value") }
                scores.append(score)
                let cells = map.grid.cellIndices(of: heldOut.layer).filter { map.values[$0].isFinite }
                if !cells.isEmpty {
                    curves.append(NamedCurve(name: "fold \(i + 1) (\(cells.count))", successRate: try successRateCurve(probabilities: map.values, depositCells: cells)))
                }
                rows.append(["\(i + 1)", "\(score.depositCount)", formatted(score.successArea), formatted(score.top5), formatted(score.top10), formatted(score.top20)])
            }
            try a.progress(1, "cross_validate \(name)", finished: true)
            let measures: [(String, (MapScore) -> Double)] = [("success_auc", { $0.successArea }), ("top5", { $0.top5 }), ("top10", { $0.top10 }), ("top20", { $0.top20 })]
            let summaries = measures.map { ($0.0, FoldSummary(scores.map($0.1))) }
            var record = LodeRecord()
            record["name"] = .string(name)
            record["table"] = .object(TableObject(title: "\(name): held-out deposits over \(scores.count) folds", columns: ["measure", "mean", "spread"],
                                                  rows: summaries.map { [$0.0, formatted($0.1.mean), formatted($0.1.spread)] }))
            record["folds"] = .object(TableObject(title: "\(name) per fold", columns: ["fold", "held_out", "success_auc", "top5", "top10", "top20"], rows: rows))
            record["figure"] = curves.isEmpty ? LodeValue.nil : LodeValue.object(FigureObject(try Figure.successRate(curves, title: "\(name): success rate of held-out deposits per fold")))
            for (measure, summary) in summaries {
                record[measure] = .number(summary.mean)
                record[measure + "_spread"] = .number(summary.spread)
            }
            record["percentiles"] = .list(scores.flatMap(\.percentiles).map(LodeValue.number))
            return .record(record)
        }
    }
}
