import Foundation
import LodeEval
import LodeGeo
import LodeLibrary
import LodeScript
import XCTest

/// The validation commands and stdlib/validation.lode from the language.
final class ValidationCommandTests: XCTestCase {
    /// The paper's negatives (low-Au clusters kept 2 km from faults, 3 km from deposits and 5 km
    /// apart: stdlib/paper.lode's rule at the paper's own distances, `scale: 1`) on the built-in
    /// small survey at the paper's 100 m cells and 32-cell windows: the fault layer separates them
    /// from the deposits, and the user is told.
    func testLeakageWarningFiresOnThePapersNegatives() throws {
        let session = librarySession()
        let output = CollectingOutput()
        session.run("""
            use "validation"
            survey = synthetic_survey(preset: "small", seed: 42)
            setup = validation_setup(survey, cell: 100)
            negatives = paper_negatives(setup.stack, survey.deposits, survey.faults, window: 32, scale: 1)
            t = leakage(setup.stack, survey.deposits, negatives, size: 32)
            flagged = filter(t.rows, fn(row) => row[4] == "yes")
            """, output: output)
        XCTAssertTrue(output.stderr.contains("warning: leakage(): the labels encode layer"), output.stderr)
        XCTAssertTrue(output.stderr.contains("window AUC will not measure prospectivity"), output.stderr)
        guard case .list(let flagged)? = session.value(of: "flagged"), case .list(let first)? = flagged.first,
              case .string(let layer) = first[0] else { return XCTFail("no layer flagged in the table") }
        XCTAssertTrue(output.stderr.contains("encode layer \(layer) "), "the warning names the flagged layer \(layer)")
        // The flagged layer's AUC is >= 0.98 (or <= 0.02) by the independent ROC of LodeEval.
        guard case .number(let auc) = first[1] else { return XCTFail("no AUC") }
        XCTAssertTrue(auc >= 0.98 || auc <= 0.02, "AUC \(auc)")
    }

    /// score_difference from the language: a hand case of three deposits whose gaps are all
    /// 0.1 (interval exactly 0.1 to 0.1), and a record without percentiles named in the error.
    func testScoreDifferenceFromTheLanguage() throws {
        let session = librarySession()
        session.run("""
            d = score_difference({percentiles: [0.9, 0.7, 0.5]}, {percentiles: [0.8, 0.6, 0.4]})
            """, output: CollectingOutput())
        guard case .record(let d)? = session.value(of: "d") else { return XCTFail("no record") }
        XCTAssertEqual(d["difference"]?.numberValue ?? .nan, 0.1, accuracy: 1e-12)
        XCTAssertEqual(d["low"]?.numberValue ?? .nan, 0.1, accuracy: 1e-12)
        XCTAssertEqual(d["high"]?.numberValue ?? .nan, 0.1, accuracy: 1e-12)
        XCTAssertEqual(d["wins"]?.numberValue, 1)
        guard case .string(let text)? = d["text"] else { return XCTFail("no text") }
        XCTAssertTrue(text.hasSuffix("a ranks these deposits higher"), text)
        let error = session.failure("e = score_difference({success_auc: 0.8}, {percentiles: [0.5]})") ?? ""
        XCTAssertTrue(error.contains("score_difference(): 'a' has no percentiles"), error)
        XCTAssertTrue((session.failure("score_difference({percentiles: [0.5, 0.6]}, {percentiles: [0.5]})") ?? "").contains("2 and 1 deposits"))
    }

    func testFoldsAndScoreMapFromTheLanguage() throws {
        let session = librarySession()
        session.run("""
            survey = synthetic_survey(preset: "small", seed: 42)
            n = survey.deposits.count
            lodo = folds(survey.deposits, kind: "lodo")
            g = folds(survey.deposits, kind: "grouped", k: 4, seed: 3)
            held = 0
            for f in g { held = held + f.held_out.count; assert(f.train.count + f.held_out.count == n) }
            blocks = folds(survey.deposits, kind: "blocks", size_km: 10)
            """)
        let n = try XCTUnwrap(session.number("n"))
        guard case .list(let lodo)? = session.value(of: "lodo") else { return XCTFail() }
        XCTAssertEqual(Double(lodo.count), n)
        XCTAssertEqual(session.number("held"), n, "every deposit held out exactly once")
        XCTAssertNotNil(session.failure("folds(synthetic_survey(preset: \"small\").deposits, kind: \"random\")")?.contains("unknown kind \"random\""))
        let error = try XCTUnwrap(session.failure("folds(synthetic_survey(preset: \"small\").deposits, kind: \"grouped\", k: 1)"))
        XCTAssertTrue(error.contains("k"), error)
    }

    /// cross_validate calls the recipe once per fold with the fold's training deposits and
    /// scores its held-out deposits: the same numbers as scoring by hand.
    func testCrossValidateScoresEachFoldOnItsHeldOutDeposits() throws {
        let session = librarySession()
        let output = CollectingOutput()
        session.run("""
            use "validation"
            survey = synthetic_survey(preset: "small", seed: 42)
            setup = validation_setup(survey, cell: 400)
            f = folds(setup.deposits, kind: "grouped", k: 3, seed: 1)
            recipe = fn(setup, train_deposits, held_out) {
                baseline(setup.stack, train_deposits, kind: "logistic", avoid: held_out, background: 300, quiet: true)
            }
            cv = validate_recipe(setup, recipe, f, name: "logistic")
            by_hand = []
            for fold in f { by_hand = append(by_hand, score_map(recipe(setup, fold.train, fold.held_out), fold.held_out).success_auc) }
            mean_by_hand = mean(by_hand)
            table = cv.table
            """, output: output)
        XCTAssertEqual(try XCTUnwrap(session.number("mean_by_hand")), try XCTUnwrap({ () -> Double? in
            guard case .record(let cv)? = session.value(of: "cv") else { return nil }
            return cv["success_auc"]?.numberValue
        }()), accuracy: 1e-12)
        let table = try XCTUnwrap(session.object("table", as: TableObject.self))
        XCTAssertEqual(table.rows.map { $0[0] }, ["success_auc", "top5", "top10", "top20"])
        XCTAssertNotNil(session.failure("""
            cross_validate(setup.stack, setup.deposits, f, fit: fn(t, fold) => 3)
            """)?.contains("fit must return the fold's map (a raster), got number"))
    }

    func testBaselineAndCompareMapsFromTheLanguage() throws {
        let session = librarySession()
        let output = CollectingOutput()
        session.run("""
            use "validation"
            survey = synthetic_survey(preset: "small", seed: 42)
            setup = validation_setup(survey, cell: 400)
            fault = baseline(setup.stack, survey.deposits, kind: "fault_distance", distance: setup.distance)
            woe = baseline(setup.stack, survey.deposits, kind: "woe")
            t = compare_maps({woe: woe, fault: fault, anti_fault: -fault}, survey.hidden)
            s = score_map(fault, survey.hidden)
            """, output: output)
        XCTAssertTrue(output.stdout.contains("baseline woe: weights of evidence:"), output.stdout)
        let table = try XCTUnwrap(session.object("t", as: TableObject.self))
        XCTAssertEqual(table.rows.count, 3)
        XCTAssertEqual(table.rows.last?[0], "anti_fault", "a negated map ranks the hidden deposits worst")
        // The fault map's score is 1 - that of its negation (no ties off the faults).
        guard case .record(let s)? = session.value(of: "s") else { return XCTFail() }
        let auc = try XCTUnwrap(s["success_auc"]?.numberValue)
        let anti = try XCTUnwrap(Double(table.rows.last![1]))
        XCTAssertEqual(auc + anti, 1, accuracy: 2e-3)
        XCTAssertTrue(try XCTUnwrap(session.failure("baseline(setup.stack, survey.deposits, kind: \"layer\")")).contains("needs layer"))
        XCTAssertTrue(try XCTUnwrap(session.failure("baseline(setup.stack, survey.deposits, kind: \"fault_distance\")")).contains("needs distance"))
        XCTAssertTrue(try XCTUnwrap(session.failure("baseline(setup.stack, survey.deposits, kind: \"svm\")")).contains("unknown kind"))
    }
}
