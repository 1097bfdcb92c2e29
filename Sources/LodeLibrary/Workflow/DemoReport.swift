import Foundation
import LodeEval
import LodeGeo
import LodeNN

/// What `lode demo` found, and `report.md` written from it.
public struct DemoReport {
    let configuration: DemoConfiguration
    let survey: SyntheticSurvey
    let prepared: PreparedSurvey
    let splits: [Split]
    let trained: [DemoWorkflow.TrainedModel]
    let comparison: ModelComparison
    let mapped: DemoWorkflow.TrainedModel
    let zones: ZoneSet
    let automatic: AutomaticGrading?
    let successHidden: SuccessRateCurve
    let successKnown: SuccessRateCurve
    let explanation: Explanation
    let timings: [(String, Double)]
    let folders: DemoFolders

    /// AUC per (model display name, split name).
    public var aucs: [String: [String: Double]] {
        var table: [String: [String: Double]] = [:]
        for t in trained { table[t.kind.displayName, default: [:]][t.split] = t.auc }
        return table
    }

    /// Hidden deposits inside zones of each class ("A", "B", "C").
    public var hiddenCapture: [String: Int] {
        var counts: [String: Int] = ["A": 0, "B": 0, "C": 0]
        for zone in zones.zones { counts[zone.grade.rawValue, default: 0] += zone.hiddenDeposits.count }
        return counts
    }

    /// Layers by mean |SHAP|, largest first.
    public var shapRanking: [(layer: String, meanAbsolute: Double)] {
        zip(explanation.featureNames, explanation.meanAbsoluteValues).sorted { $0.1 > $1.1 }.map { ($0.0, $0.1) }
    }

    public var markdown: String {
        let c = configuration
        var lines: [String] = []
        func add(_ s: String = "") { lines.append(s) }
        add("# Lode demo: the paper's workflow on the built-in survey")
        add()
        add("Survey `\(c.preset)` (seed \(c.surveySeed)): \(survey.samples.count) stream-sediment samples, \(survey.faults.count) faults, "
            + "\(survey.knownDeposits.count) known deposits (training positives) and \(survey.hiddenDeposits.count) hidden deposits "
            + "(never shown to the models; used only to check the map). Grid \(survey.grid.rows) x \(survey.grid.cols) cells of \(Int(survey.grid.cellSize)) m.")
        add("Stack: 14 elements by IDW (power 2), log10, z-score, and the fault-influence layer (6 rings of 500 m, z-scored) = 15 layers. "
            + "Negatives: \(prepared.negatives.count) points from K-means (k = 5) clusters 1-3 of Au, away from faults and deposits. "
            + "Windows: \(prepared.windows.count) of 32 x 32, augmented to \(prepared.augmented.count).")
        add()
        add("## Configuration (narrowed from the paper to fit the time budget)")
        add()
        add("| setting | value |")
        add("|---|---|")
        c.markdownRows.forEach { add($0) }
        add()
        add("## Validation AUC, four models x two split kinds")
        add()
        add("The random split is the paper's: augmented copies of one deposit fall on both sides, so it measures recall of seen "
            + "places. The grouped split holds out whole source points (every copy of a deposit or negative), which is the honest estimate. "
            + "AUC is of the last epoch's weights (no epoch chosen on the validation windows).")
        add()
        let splitNames = splits.map(\.name)
        add("| model | " + splitNames.map { "AUC (\($0))" }.joined(separator: " | ") + " | training time (s) |")
        add("|---|" + splitNames.map { _ in "---" }.joined(separator: "|") + "|---|")
        for kind in c.modelKinds {
            let rows = trained.filter { $0.kind == kind }
            let cells = splitNames.map { name in rows.first { $0.split == name }.map { String(format: "%.4f", $0.auc) } ?? "n/a" }
            add("| \(kind.displayName) | " + cells.joined(separator: " | ") + " | " + String(format: "%.0f", rows.reduce(0) { $0 + $1.seconds }) + " |")
        }
        add()
        add("Paper (random split, full-size models, 50 epochs): ResNet 0.9008, ViT 0.9372, DualBranchNet 0.6369, SSGSNet 0.9453.")
        add()
        add("Accuracy, precision, recall and F1 at 0.5:")
        add()
        add(comparison.markdown)
        add()
        add("## Prospectivity map and target zones")
        add()
        add("Map: \(mapped.kind.displayName) trained on the \(mapped.split) split, sliding 32 x 32 windows every \(c.mapStride) cells, "
            + "bilinear between window centres (`prospectivity.tif`). Zones: paper thresholds A >= 0.95, B 0.90-0.95, C 0.85-0.90, "
            + "eight-connected (`zones.geojson`, `zones.gpkg`, `zones.csv`).")
        if let a = automatic {
            add(String(format: "The paper's automatic procedure (histogram peak to extreme above 0.5 in equal steps) would give C >= %.3f, B >= %.3f, A >= %.3f.",
                       a.thresholds.c, a.thresholds.b, a.thresholds.a))
        }
        add()
        let capture = hiddenCapture
        let hiddenTotal = survey.hiddenDeposits.count
        let cellArea = survey.grid.cellSize * survey.grid.cellSize
        add("| class | zones | area (km²) | share of map | hidden deposits captured | known deposits inside |")
        add("|---|---|---|---|---|---|")
        for grade in ["A", "B", "C"] {
            let zs = zones.zones.filter { $0.grade.rawValue == grade }
            let cells = zs.reduce(0) { $0 + $1.cells.count }
            add("| \(grade) | \(zs.count) | " + String(format: "%.1f", Double(cells) * cellArea / 1e6) + " | "
                + String(format: "%.1f %%", 100 * Double(cells) / Double(survey.grid.cellCount)) + " | \(capture[grade] ?? 0) of \(hiddenTotal) | "
                + "\(zs.reduce(0) { $0 + $1.knownDeposits.count }) of \(survey.knownDeposits.count) |")
        }
        let total = capture.values.reduce(0, +)
        add()
        add("In all: \(total) of \(hiddenTotal) hidden deposits fall inside A, B or C zones. "
            + String(format: "Success rate: area under the curve %.3f for the hidden deposits (%.3f for the known ones, which trained the model); the most prospective 10 %% of the map holds %.0f %% of the hidden deposits.",
                     successHidden.area, successKnown.area, 100 * successHidden.depositShare(atArea: 0.1)))
        add()
        add("## SHAP over the 15 layers")
        add()
        add(String(format: "Permutation SHAP of %d validation windows (%@), base value %.3f, largest additivity error %.2e.",
                   explanation.values.count, mapped.kind.displayName, explanation.baseValues.first ?? .nan, explanation.maxAdditivityError))
        add()
        add("| rank | layer | mean abs SHAP |")
        add("|---|---|---|")
        for (i, r) in shapRanking.enumerated() { add("| \(i + 1) | \(r.layer) | " + String(format: "%.4f", r.meanAbsolute) + " |") }
        add()
        add("The paper (its Fig. 8-9) found the fault layer first, then Au, Hg and As.")
        add()
        add("## Timings")
        add()
        add("| stage | seconds |")
        add("|---|---|")
        for (name, seconds) in timings { add("| \(name) | " + String(format: "%.1f", seconds) + " |") }
        add()
        add("## Files")
        add()
        add("- `prospectivity.tif` (probability, with the grid's CRS), `zones.geojson`, `zones.gpkg`, `zones.csv`")
        add("- `checkpoints/`: the eight trained models (safetensors with model kind and config)")
        let figures = (try? FileManager.default.contentsOfDirectory(atPath: folders.root + "/figures"))?.sorted() ?? []
        add("- `figures/`: " + figures.map { "`\($0)`" }.joined(separator: ", "))
        for f in figures where f.hasSuffix(".png") { add(); add("![\(f)](figures/\(f))") }
        return lines.joined(separator: "\n") + "\n"
    }
}
