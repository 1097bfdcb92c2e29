import LodeGeo
import LodeScript
import LodeTensor

/// Statistics of samples, clustering, negatives, windows, augmentation and splits.
enum DataCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "samples and windows")
        let elementsParameter = Parameter("elements", .optional(.list), default: .nil,
                                          doc: "element columns (\"Au\" finds Au_ppm); when nil the 14 survey elements, or every element-plus-unit column of a file")
        let cleaning = SurveyFileCommands.cleaningParameters
        func table(_ a: Arguments, averageDuplicates: Bool = true, requiringValues: Bool = true) throws -> SampleTable {
            let points = try a.typed("samples", PointsObject.self, "points")
            let elements = try SurveyFileCommands.elementNames(a, points.layer)
            return try points.layer.cleaned(elements: elements, rules: try SurveyFileCommands.cleaningRules(a, averageDuplicates: averageDuplicates),
                                            requiringValues: requiringValues)
        }
        r.add("summary", [Parameter("samples", .object("points"), doc: "samples with element columns"), elementsParameter] + cleaning,
              returns: "table", doc: "Per-element statistics of the samples, one row per element: values used (count), measured, censored (below detection), missing (empty), not analysed (-9999 codes), then minimum, median, maximum, mean, standard deviation, skewness and kurtosis of the values after the censored rule. Every sample row counts (duplicates are not averaged here).",
              example: "summary(survey.samples)") { a in
            let cleaned = try table(a, averageDuplicates: false, requiringValues: false)
            let rows = cleaned.summary().enumerated().map { e, s in
                let counts = cleaned.counts[e]
                return [s.element, "\(s.count)", "\(counts.measured)", "\(s.censored)", "\(s.missing)", "\(s.notAnalysed)",
                        formatted(s.minimum), formatted(s.median), formatted(s.maximum),
                        formatted(s.mean), formatted(s.standardDeviation), formatted(s.skewness), formatted(s.kurtosis)]
            }
            return .object(TableObject(title: "Element summary", columns: ["element", "count", "measured", "censored", "missing", "not_analysed", "min", "median", "max", "mean", "std", "skewness", "kurtosis"], rows: rows))
        }
        r.add("correlation", [Parameter("samples", .object("points"), doc: "samples with element columns"), elementsParameter] + cleaning,
              returns: "table", doc: "Pearson correlation between elements on the log10 scale.",
              example: "correlation(survey.samples)") { a in
            let t = try table(a)
            let matrix = t.correlationMatrix()
            return .object(TableObject(title: "Correlation (log10)", columns: ["element"] + t.elements,
                                       rows: zip(t.elements, matrix).map { [$0.0] + $0.1.map { formatted($0, digits: 3) } }))
        }
        r.add("pca", [Parameter("samples", .object("points"), doc: "samples with element columns"), elementsParameter] + cleaning,
              returns: "table", doc: "Principal components of the log10 concentrations: eigenvalue, explained variance and the loading of every element on each component.",
              example: "pca(survey.samples)") { a in
            let t = try table(a)
            let pcs = try t.principalComponents()
            let rows = pcs.eigenvalues.indices.map { c in
                ["PC\(c + 1)", formatted(pcs.eigenvalues[c]), formatted(pcs.explainedVarianceRatio[c])] + pcs.elements.indices.map { formatted(pcs.loadings[$0][c], digits: 3) }
            }
            return .object(TableObject(title: "Principal components (log10)", columns: ["component", "eigenvalue", "explained"] + pcs.elements, rows: rows))
        }
        r.add("kmeans", [Parameter("layers", .any, doc: "a raster, a stack or a list of rasters"),
                         Parameter("k", .integer, default: 5, range: .atLeastOne, doc: "number of clusters"),
                         Parameter("seed", .integer, default: 0, range: .nonNegative, doc: "random seed of the k-means++ start")],
              returns: "raster", doc: "K-means clustering of the cells on the given layers; clusters are numbered by ascending mean of the first layer (0 = lowest). Progress is shown per iteration and an interrupt stops it within a moment.",
              example: "clusters = kmeans(stack[\"Au\"], k: 5)") { a in
            .object(RasterObject(try KMeans.cluster(try rasters(a, "layers"), k: try a.integer("k"), seed: try a.seed()).labels))
        }
        r.add("kmeans_negatives", [Parameter("raster", .object("raster"), doc: "the layer clustered (Au in the paper)"),
                                   Parameter("deposits", .object("points"), doc: "known deposits (negatives keep away from them)"),
                                   Parameter("k", .integer, default: 5, range: .atLeastOne, doc: "number of clusters"),
                                   Parameter("count", .integer, default: 11, range: .atLeastOne, doc: "how many negatives (the paper: as many as deposits)"),
                                   Parameter("away", .optional(.object("lines")), default: .nil, doc: "faults the negatives keep away from"),
                                   Parameter("clusters", .list, default: [0, 1, 2], doc: "the low clusters negatives are drawn from"),
                                   Parameter("fault_distance", .number, default: 3000, doc: "minimum distance to a fault, metres"),
                                   Parameter("deposit_distance", .number, default: 3000, doc: "minimum distance to a deposit, metres"),
                                   Parameter("spacing", .number, default: 2000, doc: "minimum spacing between negatives, metres"),
                                   Parameter("margin", .integer, default: 17, range: .nonNegative, doc: "cells kept from the map edge (half a window + 1)"),
                                   Parameter("seed", .integer, default: 0, range: .nonNegative, doc: "random seed")],
              returns: "points",
              doc: "Chooses barren (negative) sites as the paper does: K-means on the layer, then cells of the lowest clusters far from faults and deposits, spaced apart.",
              example: "neg = kmeans_negatives(stack[\"Au\"], survey.deposits, k: 5, count: 11, away: survey.faults)") { a in
            let raster = try a.typed("raster", RasterObject.self, "a raster").raster
            let labels = try KMeans.cluster([raster], k: try a.integer("k"), seed: try a.seed()).labels
            let faults = a.isNil("away") ? nil : try FaultDistance.raster(try a.typed("away", LinesObject.self, "lines").layer, grid: raster.grid)
            let selection = NegativeSelection(clusters: Set(try a.sizes("clusters")), count: try a.integer("count"),
                                              minimumFaultDistance: try a.number("fault_distance"),
                                              minimumDepositDistance: try a.number("deposit_distance"),
                                              minimumSpacing: try a.number("spacing"), edgeMargin: try a.integer("margin"), seed: try a.seed())
            return .object(PointsObject(try selection.select(clusterLabels: labels, faultDistance: faults,
                                                             deposits: try a.typed("deposits", PointsObject.self, "points").layer)))
        }
        r.add("windows", [Parameter("stack", .object("stack"), doc: "the layers (channels)"),
                          Parameter("positives", .object("points"), doc: "deposit sites (label 1)"),
                          Parameter("negatives", .object("points"), doc: "barren sites (label 0)"),
                          Parameter("size", .integer, default: 32, range: .within(1, 10_000), doc: "window side in cells")],
              returns: "dataset", doc: "Cuts a size×size window of every layer around each positive and negative site: the labelled samples the models learn from. Negatives in a deposit's own cell (one window, both labels) or inside its window, and sites too near the map edge, are named in a warning.",
              example: "data = windows(stack, survey.deposits, neg, size: 32)") { a in
            let stack = try a.typed("stack", StackObject.self, "a stack").stack
            let size = try a.integer("size")
            let positives = try a.typed("positives", PointsObject.self, "points").layer
            let negatives = try a.typed("negatives", PointsObject.self, "points").layer
            let data = try WindowSampler(size: size).labelled(stack, positives: positives, negatives: negatives)
            // The sampler keeps its notes on the dataset; the user has to see them here.
            for (layer, label, what) in [(positives, 1, "deposits (positives)"), (negatives, 0, "negatives")] {
                var kept = Dictionary(grouping: zip(data.labels, data.sourceIDs).filter { $0.0 == label }.map(\.1), by: { $0 }).mapValues(\.count)
                var dropped: [String] = []
                for id in layer.ids {
                    if let left = kept[id], left > 0 { kept[id] = left - 1 } else { dropped.append(id) }
                }
                guard !dropped.isEmpty else { continue }
                WorkMonitor.warn("\(dropped.count) of \(layer.count) \(what) are within \(size / 2) cells of the map edge, so their windows were left out: "
                                 + dropped.prefix(30).joined(separator: ", ") + (dropped.count > 30 ? ", …" : ""))
            }
            return .object(DatasetObject(data, source: stack))
        }
        r.add("augment", [Parameter("data", .object("dataset"), doc: "labelled windows"),
                          Parameter("per_class", .integer, default: 2816, range: .within(1, 10_000_000), doc: "windows per class after augmentation"),
                          Parameter("noise", .number, default: 0.05, doc: "standard deviation of the added Gaussian noise"),
                          Parameter("shift", .integer, default: 2, range: .nonNegative, doc: "largest shift of the window centre in cells"),
                          Parameter("seed", .integer, default: 0, range: .nonNegative, doc: "random seed")],
              returns: "dataset", doc: "Grows each class to per_class windows by rotations, flips, small shifts and noise (the paper's augmentation). Augmented copies keep the id of their source site, so grouped splits stay honest.",
              example: "data = augment(data, per_class: 2816, seed: 1)") { a in
            let data = try a.typed("data", DatasetObject.self, "a dataset")
            let augmentation = Augmentation(perClass: try a.integer("per_class"), noiseStandardDeviation: Float(try a.number("noise")),
                                            maximumShift: try a.integer("shift"), seed: try a.seed())
            try a.progress(0, "augment")
            let out = try augmentation.augmented(data.data, stack: data.source)
            try a.progress(1, "augment", finished: true)
            return .object(DatasetObject(out, source: data.source))
        }
        r.add("split", [Parameter("data", .object("dataset"), doc: "labelled windows"),
                        Parameter("fraction", .number, default: 0.2, doc: "share kept for validation"),
                        Parameter("kind", .string, default: "random", doc: "\"random\" (stratified, as the paper), \"grouped\" (all copies of a site on one side) or \"spatial\" (blocks of the map)"),
                        Parameter("block", .number, default: 10000, doc: "block side in metres for kind: \"spatial\""),
                        Parameter("seed", .integer, default: 0, range: .nonNegative, doc: "random seed")],
              returns: "dataset", doc: "Splits the windows into training and validation parts (`data.train`, `data.val`). A random split of augmented windows leaks copies of one site into both parts; grouped and spatial splits do not. A part left empty is an error; a part with one class only, or with the windows of a single site of a class, gives a warning.",
              example: "data = split(data, 0.2, kind: \"grouped\", seed: 1)") { a in
            let data = try a.typed("data", DatasetObject.self, "a dataset")
            let fraction = try a.number("fraction"), seed = try a.seed()
            let split: Split
            switch try a.string("kind") {
            case "random": split = try Splits.randomStratified(data.data, validationFraction: fraction, seed: seed)
            case "grouped": split = try Splits.grouped(data.data, validationFraction: fraction, seed: seed)
            case "spatial": split = try Splits.spatialBlocks(data.data, blockSize: try a.number("block"), validationFraction: fraction, seed: seed)
            case "leave_one_deposit_out", "lodo", "leave-one-deposit-out":
                // One split cannot hold out each deposit in turn; the folds command does.
                throw a.failure("leave-one-deposit-out is not one split but one fold per deposit",
                                hint: "use folds(deposits, kind: \"lodo\"): each fold's held_out is one deposit (see docs/method.md, map-level validation)")
            case let other: throw a.failure("unknown split kind '\(other)'", hint: "choose \"random\", \"grouped\" or \"spatial\"")
            }
            return .object(DatasetObject(data.data, split: split, source: data.source))
        }
    }

    static func rasters(_ a: Arguments, _ name: String) throws -> [Raster] {
        switch a[name] {
        case .object(let raster as RasterObject): return [raster.raster]
        case .object(let stack as StackObject): return stack.stack.layers
        case .list(let items):
            return try items.map { item in
                guard case .object(let raster as RasterObject) = item else { throw a.failure("\(name) must hold rasters, found \(item.described)") }
                return raster.raster
            }
        default: throw LodeError(.type, "argument '\(name)' of \(a.command)() must be a raster, a stack or a list of rasters, got \(a[name].described)", at: a.context.location)
        }
    }
}
