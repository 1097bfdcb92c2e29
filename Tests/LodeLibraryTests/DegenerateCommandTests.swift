import Foundation
import XCTest
@testable import LodeLibrary
import LodeGeo
import LodeScript

/// Degenerate data through the commands: an error or a warning the user sees, never silent
/// nonsense (issue #14, item 4).
final class DegenerateCommandTests: XCTestCase {
    /// minmax of a layer constant up to Float32 rounding is 0 with a warning; a real spread is
    /// rescaled exactly as (v - min) / (max - min).
    func testMinmaxOfAConstantLayerWarnsAndGivesZeros() throws {
        let session = librarySession()
        session.run("survey = synthetic_survey(preset: \"small\", seed: 1)\ng = grid(survey.extent, cell: 1000)\nau = idw(survey.samples, [\"Au\"], g)[\"Au\"]")
        let output = CollectingOutput()
        session.run("flat = minmax(au * 1e-9 + 5)", output: output)
        XCTAssertTrue(output.stderr.contains("warning: minmax(): layer 'Au' is constant"), output.stderr)
        let flat = try XCTUnwrap(session.object("flat", as: RasterObject.self)).raster
        XCTAssertEqual(Set(flat.values.filter { !$0.isNaN }), [0])
        let quiet = CollectingOutput()
        session.run("scaled = minmax(au)", output: quiet)
        XCTAssertEqual(quiet.stderr, "")
        let au = try XCTUnwrap(session.object("au", as: RasterObject.self)).raster.values
        let scaled = try XCTUnwrap(session.object("scaled", as: RasterObject.self)).raster.values
        let low = Double(au.filter { !$0.isNaN }.min()!), high = Double(au.filter { !$0.isNaN }.max()!)
        for (a, s) in zip(au, scaled) where !a.isNaN {
            XCTAssertEqual(Double(s), (Double(a) - low) / (high - low), accuracy: 1e-6)
        }
    }

    func testTrainingNeedsAnEpochAndSaysWhenThereIsNoValidation() throws {
        let session = librarySession()
        session.run(ModelBindingTests.pipeline)
        let zero = try XCTUnwrap(session.failure("fit = train(model, data, epochs: 0)"))
        XCTAssertTrue(zero.contains("epochs is 0; train at least one epoch"), zero)
        XCTAssertNil(session.value(of: "fit"))
        let output = CollectingOutput()
        let shown = session.run("fit = train(model, raw, epochs: 1, batch: 16)\nfit", output: output)?.plainText ?? ""
        XCTAssertTrue(output.stderr.contains("warning: train(): the dataset is not split, so there is no validation"), output.stderr)
        // Without validation there is no AUC to show (the best epoch is the lowest training loss).
        XCTAssertFalse((output.stdout + output.stderr + shown).contains("val AUC"), output.stdout + shown)
        XCTAssertEqual(session.run("[fit.best_auc, fit.best_epoch]")?.plainText, "[nil, 1]")
    }

    func testDepositsGivenAsNegativesAndDegenerateSplitsAreCaught() throws {
        let session = librarySession()
        session.run(ModelBindingTests.pipeline)
        let same = CollectingOutput()
        session.run("w = windows(s, survey.deposits, survey.deposits, size: 16)\nk = w.negatives", output: same)
        // Every kept negative is a deposit itself.
        let k = Int(try XCTUnwrap(session.number("k")))
        XCTAssertTrue(same.stderr.contains("warning: windows(): \(k) of \(k) negatives lie in a deposit's own cell, so the same window is labelled both deposit and barren"),
                      same.stderr)
        let empty = try XCTUnwrap(session.failure("v = split(raw, 0.01, seed: 1)"))
        XCTAssertTrue(empty.contains("leaves the validation side empty"), empty)
        // Grouped at 0.01 still holds out one site of each class: a validation of single sites.
        let output = CollectingOutput()
        session.run("v = split(raw, 0.01, kind: \"grouped\", seed: 1)\nn = v.val.count", output: output)
        XCTAssertEqual(session.number("n"), 2)
        XCTAssertTrue(output.stderr.contains("warning: split(): the validation side of the grouped by source point split holds the deposit (label 1) windows of a single site"),
                      output.stderr)
    }

    /// Deposits whose window would cross the map edge are left out and named in a warning:
    /// exactly those whose cell lies within half a window of the edge.
    func testDepositsDroppedAtTheMapEdgeAreNamed() throws {
        let session = librarySession()
        session.run(ModelBindingTests.pipeline + "\nd = survey.deposits")
        let output = CollectingOutput()
        session.run("wide = windows(s, d, neg, size: 64)\nn = wide.count", output: output)
        let grid = try XCTUnwrap(session.object("s", as: StackObject.self)).stack.grid
        // The centre convention: a window covers rows row - 32 ..< row + 32 (and columns alike).
        func dropped(_ name: String) throws -> (kept: Int, ids: [String]) {
            let layer = try XCTUnwrap(session.object(name, as: PointsObject.self)).layer
            var ids: [String] = []
            for i in 0..<layer.count {
                let cell = try XCTUnwrap(grid.cell(x: layer.x[i], y: layer.y[i]))
                if cell.row < 32 || cell.col < 32 || cell.row + 32 > grid.rows || cell.col + 32 > grid.cols { ids.append(layer.ids[i]) }
            }
            return (layer.count - ids.count, ids)
        }
        let deposits = try dropped("d"), negatives = try dropped("neg")
        XCTAssertFalse(deposits.ids.isEmpty, "a 64-cell window must cross the edge for some deposit of this survey")
        let total = deposits.kept + deposits.ids.count
        XCTAssertTrue(output.stderr.contains("warning: windows(): \(deposits.ids.count) of \(total) deposits (positives) are within 32 cells of the map edge, so their windows were left out: "
                                             + deposits.ids.joined(separator: ", ") + "\n"), output.stderr)
        XCTAssertEqual(session.number("n"), Double(deposits.kept + negatives.kept))
    }
}
