import Foundation
import LodeEval
import LodeGeo
import LodeLibrary
import LodeNN
import LodeScript
import LodeTensor
import XCTest

/// Windows, training and evaluation through the commands agree with the modules.
final class ModelBindingTests: XCTestCase {
    static let pipeline = """
        survey = synthetic_survey(preset: "small", seed: 3)
        g = grid(survey.extent, cell: 200)
        geo = idw(survey.samples, ["Au", "As", "Sb"], g) |> log10 |> zscore
        s = stack(geo, rename(zscore(ring_buffer(survey.faults, g)), "faults"))
        neg = kmeans_negatives(s["Au"], survey.deposits, k: 5, count: len(survey.deposits.x), away: survey.faults,
                               fault_distance: 600, deposit_distance: 1500, spacing: 1200, margin: 9, seed: 1)
        raw = windows(s, survey.deposits, neg, size: 16)
        data = augment(raw, per_class: 24, seed: 1) |> split(0.25, seed: 1)
        model = dualbranch(channels: 4, preset: "tiny", window: 16, seed: 2)
        """

    func testTrainedModelAUCMatchesLodeEval() throws {
        let session = librarySession()
        let output = CollectingOutput()
        session.run(Self.pipeline + """

            fit = train(model, data, epochs: 2, batch: 8, lr: cosine(1e-3, 1e-4), seed: 1)
            a = auc(model, data.val)
            ntrain = data.train.count
            nval = data.val.count
            table = evaluate({Dual: model}, data.val, split: "random")
            """, output: output)
        XCTAssertTrue(output.stdout.contains("epoch 1/2") && output.stdout.contains("epoch 2/2"), output.stdout)
        XCTAssertFalse(output.stdout.contains("epoch 3/2"), output.stdout)
        XCTAssertFalse(output.progressEvents.isEmpty)
        XCTAssertEqual(output.progressEvents.last?.finished, true)
        let data = try XCTUnwrap(session.object("data", as: DatasetObject.self))
        XCTAssertEqual(data.data.count, 48)
        XCTAssertEqual(session.number("ntrain")! + session.number("nval")!, 48)
        let model = try XCTUnwrap(session.object("model", as: ModelObject.self)?.module)
        let split = try XCTUnwrap(data.split)
        let val = data.data.subset(split.validation)
        let scores = try predictPositive(model, windows: try Tensor(shape: val.shape, scalars: val.windows))
        let expected = try rocAUC(labels: val.labels, scores: scores)
        XCTAssertEqual(try XCTUnwrap(session.number("a")), expected, accuracy: 1e-12)
        let table = try XCTUnwrap(session.object("table", as: TableObject.self))
        XCTAssertEqual(table.rows.first?[2], String(format: "%.4f", expected))
        let history = try XCTUnwrap(session.object("fit", as: HistoryObject.self)).history
        XCTAssertEqual(history.epochs.count, 2)
    }

    func testFiguresCarryPNGAndSVG() throws {
        let session = librarySession()
        session.run(Self.pipeline + "\nfit = train(model, data, epochs: 1, batch: 16)")
        let roc = try XCTUnwrap(session.run("plot_roc({Dual: model}, data.val)"))
        XCTAssertNotNil(roc.data["image/svg+xml"])
        let png = try XCTUnwrap(Data(base64Encoded: try XCTUnwrap(roc.data["image/png"])))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertTrue(roc.plainText?.hasPrefix("<figure") ?? false)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lode-fig-\(getpid())").path
        session.run("""
            save(plot_history(fit), "\(folder)/history.png")
            save(plot_map(s["Au"], faults: survey.faults, deposits: survey.deposits), "\(folder)/au.svg")
            save(s["Au"], "\(folder)/au.tif")
            back = load("\(folder)/au.tif")
            """)
        XCTAssertGreaterThan((try FileManager.default.attributesOfItem(atPath: folder + "/history.png")[.size] as? Int) ?? 0, 1000)
        XCTAssertTrue(try String(contentsOfFile: folder + "/au.svg", encoding: .utf8).contains("<svg"))
        let back = try XCTUnwrap(session.object("back", as: RasterObject.self)).raster
        let au = try XCTUnwrap(session.object("s", as: StackObject.self)).stack.layers[0]
        XCTAssertEqual(back.values.count, au.values.count)
        XCTAssertEqual(back.values[100], au.values[100])
    }

    func testMapGradeAndShap() throws {
        let session = librarySession()
        session.run(Self.pipeline + """

            fit = train(model, data, epochs: 1, batch: 16)
            prob = predict_map(model, s, stride: 8)
            z = grade(prob, a: 0.6, b: 0.55, c: 0.5, hidden: survey.hidden)
            ex = shap(model, data.val, method: "exact", background: 4, count: 3)
            top = ex.ranking[0]
            """)
        let prob = try XCTUnwrap(session.object("prob", as: RasterObject.self)).raster
        let model = try XCTUnwrap(session.object("model", as: ModelObject.self)?.module)
        let stack = try XCTUnwrap(session.object("s", as: StackObject.self)).stack
        let expected = try predictMap(stack: stack, windowSize: 16, stride: 8, expectedChannels: 4) { windows, count in
            try predictPositive(model, windows: try Tensor(shape: [count, 4, 16, 16], scalars: windows))
        }
        XCTAssertEqual(prob.values.count, expected.values.count)
        for (a, b) in zip(prob.values, expected.values) { XCTAssertTrue(a == b || (a.isNaN && b.isNaN)) }
        let zones = try XCTUnwrap(session.object("z", as: ZonesObject.self)).zones
        XCTAssertEqual(zones.zones.count, targetZones(probability: prob, thresholds: try GradeThresholds(a: 0.6, b: 0.55, c: 0.5)).zones.count)
        let ex = try XCTUnwrap(session.object("ex", as: ExplanationObject.self)).explanation
        XCTAssertEqual(ex.values.count, 3)
        XCTAssertLessThan(ex.maxAdditivityError, 1e-4)
        XCTAssertEqual(ex.featureNames, ["Au", "As", "Sb", "faults"])
        XCTAssertNotNil(session.run("ex")?.data["text/html"])
    }
}
