import Foundation
import LodeGeo
import LodeLibrary
import LodeScript
import XCTest

/// The recipe commands and stdlib/recipes.lode, run as a user would.
final class RecipeCommandTests: XCTestCase {
    /// A coarse built-in survey (800 m cells) and its stack: small enough for a unit test.
    static let setup = """
        survey = synthetic_survey(preset: "small", seed: 42)
        g = grid(survey.extent, cell: 800)
        geo = idw(survey.samples, ["Au", "As", "Cu"], g, power: 2) |> log10 |> zscore
        layers = stack(geo, rename(zscore(ring_buffer(survey.faults, g)), "faults"))

        """

    func testSamplingCommandsKeepTheirPromises() throws {
        let session = librarySession()
        session.run(Self.setup + """
            neg = background_negatives(layers, survey.deposits, count: 200, buffer: 2000, margin: 2, seed: 3)
            again = background_negatives(layers, survey.deposits, count: 200, buffer: 2000, margin: 2, seed: 3)
            pos = positive_cells(layers, survey.deposits, radius: 1200, per_deposit: 4, margin: 2, seed: 3)
            data = windows(layers, pos, neg, size: 4)
            n_neg = neg.count
            same = neg.x == again.x
            n_data = data.count
            """)
        XCTAssertEqual(session.number("n_neg"), 200)
        XCTAssertEqual(session.value(of: "same"), .bool(true))
        let points = try XCTUnwrap(session.object("neg", as: PointsObject.self)).layer
        let known = try XCTUnwrap(librarySessionDeposits(session))
        for i in 0..<points.count {
            let nearest = zip(known.x, known.y).map { hypot($0 - points.x[i], $1 - points.y[i]) }.min()!
            XCTAssertGreaterThanOrEqual(nearest, 2000)
        }
        let positives = try XCTUnwrap(session.object("pos", as: PointsObject.self)).layer
        XCTAssertLessThanOrEqual(positives.count, 4 * known.count)
        XCTAssertEqual(Set(positives.ids).isSubset(of: Set(known.ids)), true)
    }

    func librarySessionDeposits(_ session: Session) -> PointLayer? {
        session.run("__deposits = survey.deposits")
        return session.object("__deposits", as: PointsObject.self)?.layer
    }

    func testBadArgumentsAreClearErrors() {
        let session = librarySession()
        session.run(Self.setup)
        XCTAssertTrue(session.failure("background_negatives(layers, survey.deposits, count: 0)")?.contains("count") ?? false)
        XCTAssertTrue(session.failure("background_negatives(layers, survey.deposits, count: 100000)")?.contains("requested") ?? false)
        XCTAssertTrue(session.failure("positive_cells(layers, survey.deposits, radius: -5)")?.contains("radius") ?? false)
        XCTAssertTrue(session.failure("calibrate(1)")?.contains("model") ?? false)
        XCTAssertTrue(session.failure("mean_map([])")?.contains("no maps") ?? false)
        session.run("use \"recipes\"")
        XCTAssertTrue(session.failure("recipe_windows(layers, survey.deposits, scheme: \"clusters\")")?.contains("background") ?? false)
        XCTAssertTrue(session.failure("model_named(\"lenet\", 4, 8, 1)")?.contains("unknown model") ?? false)
    }

    /// Calibration divides the logits by the fitted temperature: the calibrated probability is
    /// sigmoid(logit(p) / T) of the model's own p, and the fit lowers the held-out loss.
    func testCalibrateAppliesTheFittedTemperature() throws {
        let session = librarySession()
        session.run(Self.setup + """
            use "recipes"
            data = recipe_windows(layers, survey.deposits, seed: 2, window: 4, radius: 1200, per_deposit: 4, negatives: 120, buffer: 2000)
            fold = split(data, 0.3, kind: "grouped", seed: 4)
            seed_blocks(5)
            m = sequential({conv: conv2d(4, 4, 3), act: relu(), pool: global_avg_pool(), head: linear(4, 2)})
            train(m, fold, epochs: 2, batch: 16, lr: 1e-2, seed: 1)
            fit = fit_temperature(m, fold)
            c = calibrate(m, fold)
            p = predict(m, fold.val)
            q = predict(c, fold.val)
            """)
        guard case .record(let fit)? = session.value(of: "fit"), let t = fit["temperature"]?.numberValue,
              let before = fit["loss_before"]?.numberValue, let after = fit["loss_after"]?.numberValue else {
            return XCTFail("fit_temperature gave no record")
        }
        XCTAssertLessThanOrEqual(after, before + 1e-12)
        let p = (session.value(of: "p")?.listValue ?? []).compactMap(\.numberValue)
        let q = (session.value(of: "q")?.listValue ?? []).compactMap(\.numberValue)
        XCTAssertEqual(p.count, q.count)
        XCTAssertFalse(p.isEmpty)
        for (a, b) in zip(p, q) where a > 1e-6 && a < 1 - 1e-6 {
            let expected = 1 / (1 + exp(-log(a / (1 - a)) / t))
            XCTAssertEqual(b, expected, accuracy: 2e-4)
        }
    }

    /// Both recipes' windows for a fold keep away from its held-out deposits: on every
    /// leave-one-deposit-out fold, no window (a training deposit's, a jittered cell's, a
    /// negative's, or an augmented copy) is centred within half a window of the held-out deposit,
    /// while without `avoid` the same deposits give windows there.
    func testRecipeWindowsKeepAwayFromHeldOutDeposits() throws {
        let session = librarySession()
        session.run(Self.setup + """
            use "recipes"
            use "validation"
            found = []
            near_without = 0
            for f in folds(survey.deposits, kind: "lodo") {
                a = recipe_windows(layers, f.train, seed: 2, window: 4, radius: 1600, per_deposit: 6, negatives: 120, buffer: 2400, avoid: f.held_out)
                b = paper_windows(layers, f.train, faults: survey.faults, window: 4, per_class: 40, shift: 1, avoid: f.held_out, seed: 3)
                c = recipe_windows(layers, survey.deposits, seed: 2, window: 4, radius: 1600, per_deposit: 6, negatives: 120, buffer: 2400)
                hx = f.held_out.x[0]
                hy = f.held_out.y[0]
                for d in [a, b] {
                    for i in range(d.count) { found = append(found, sqrt((d.x[i] - hx) ^ 2 + (d.y[i] - hy) ^ 2)) }
                }
                for i in range(c.count) { if sqrt((c.x[i] - hx) ^ 2 + (c.y[i] - hy) ^ 2) <= 1600 { near_without = near_without + 1 } }
            }
            closest = min(found)
            """)
        let closest = try XCTUnwrap(session.number("closest"))
        XCTAssertGreaterThan(closest, 1600, "a window centred within half a window (2 cells of 800 m) of a held-out deposit")
        XCTAssertGreaterThan(try XCTUnwrap(session.number("near_without")), 0, "the check would see such windows")
    }

    /// The whole recipe runs and gives a probability map of the stack's grid.
    func testRecipeLodeGivesAProbabilityMap() throws {
        let session = librarySession()
        session.run(Self.setup + """
            use "recipes"
            small = fn(channels: 4, window: 4, seed: 0) {
                seed_blocks(seed)
                sequential({conv: conv2d(channels, 4, 3), act: relu(), pool: global_avg_pool(), head: linear(4, 2)})
            }
            prob = recipe_lode(layers, survey.deposits, small, seed: 1, epochs: 1, window: 4, radius: 1200, per_deposit: 4,
                               negatives: 120, buffer: 2000, folds: 2, stride: 2)
            rows = prob.rows
            low = prob.min
            high = prob.max
            """)
        XCTAssertEqual(session.number("rows"), 50)
        XCTAssertGreaterThanOrEqual(session.number("low") ?? -1, 0)
        XCTAssertLessThanOrEqual(session.number("high") ?? 2, 1)
        XCTAssertGreaterThan((session.number("high") ?? 0) - (session.number("low") ?? 0), 0)
    }
}
