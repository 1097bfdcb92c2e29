import Foundation
import LodeEval
import LodeGeo
import LodeLibrary
import LodeNN
import LodeScript
import LodePlot
import XCTest

/// Commands checked against the module computation they bind, and interruption of training.
final class CommandTests: XCTestCase {
    func testKrigingKMeansAndStatisticsEqualLodeGeo() throws {
        let session = librarySession()
        session.run("""
            survey = synthetic_survey(preset: "small", seed: 5)
            g = grid(survey.extent, cell: 1000)
            k = kriging(survey.samples, "Cu", g, neighbours: 12)
            geo = idw(survey.samples, ["Au", "Cu"], g)
            clusters = kmeans(geo, k: 3, seed: 2)
            c = correlation(survey.samples, elements: ["Au", "As", "Cu"])
            p = pca(survey.samples, elements: ["Au", "As", "Cu"])
            h = heatmap(c)
            """)
        let survey = try SyntheticSurvey.generate(preset: .small, seed: 5)
        let grid = try GridSpec(extent: survey.grid.extent, cellSize: 1000, crs: survey.grid.crs)
        let kriged = try OrdinaryKriging.interpolate(try survey.samples.cleaned(elements: ["Cu"]), element: "Cu", onto: grid, neighbours: 12).raster
        XCTAssertEqual(try XCTUnwrap(session.object("k", as: RasterObject.self)).raster.values, kriged.values)
        let geo = try IDW.interpolate(try survey.samples.cleaned(elements: ["Au", "Cu"]), onto: grid, elements: ["Au", "Cu"])
        let labels = try KMeans.cluster(geo.layers, k: 3, seed: 2).labels
        let got = try XCTUnwrap(session.object("clusters", as: RasterObject.self)).raster.values
        XCTAssertEqual(got.map { $0.isNaN ? -1 : $0 }, labels.values.map { $0.isNaN ? -1 : $0 })
        let table = try survey.samples.cleaned(elements: ["Au", "As", "Cu"])
        let correlation = try XCTUnwrap(session.object("c", as: TableObject.self))
        XCTAssertEqual(correlation.rows[0][2], String(format: "%.3f", table.correlationMatrix()[0][1]))
        let pcs = try table.principalComponents()
        XCTAssertEqual(try XCTUnwrap(session.object("p", as: TableObject.self)).rows[0][1], String(format: "%.4f", pcs.eigenvalues[0]))
        XCTAssertNotNil(session.object("h", as: FigureObject.self))
    }

    func testFilesRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lode-files-\(getpid())").path
        let session = librarySession()
        session.run("""
            survey = synthetic_survey(preset: "small", seed: 5)
            save(survey.samples, "\(folder)/samples.csv")
            save(survey.faults, "\(folder)/faults.geojson")
            pts = read_points("\(folder)/samples.csv", crs: "EPSG:32646")
            lines = read_lines("\(folder)/faults.geojson")
            n = pts.count
            m = lines.count
            model = ssgsnet(channels: 4, preset: "tiny", window: 16, seed: 3)
            save(model, "\(folder)/m.safetensors")
            copy = load_weights(ssgsnet(channels: 4, preset: "tiny", window: 16, seed: 9), "\(folder)/m.safetensors")
            """)
        let survey = try SyntheticSurvey.generate(preset: .small, seed: 5)
        XCTAssertEqual(session.number("n"), Double(survey.samples.count))
        XCTAssertEqual(session.number("m"), Double(survey.faults.count))
        let a = try XCTUnwrap(session.object("model", as: ModelObject.self)).module.stateDict()
        let b = try XCTUnwrap(session.object("copy", as: ModelObject.self)).module.stateDict()
        XCTAssertEqual(a.map(\.key), b.map(\.key))
        for (x, y) in zip(a, b) { XCTAssertEqual(x.tensor.scalars, y.tensor.scalars, x.key) }
        let bad = try XCTUnwrap(session.failure("save(survey, \"\(folder)/x.tif\")"))
        XCTAssertTrue(bad.contains("cannot write survey as .tif"), bad)
    }

    func testSuccessRateAndAutomaticGradingEqualLodeEval() throws {
        let session = librarySession()
        session.run(ModelBindingTests.pipeline + """

            fit = train(model, data, epochs: 1, batch: 16)
            prob = predict_map(model, s, stride: 8)
            sr = success_rate(prob, survey.hidden)
            t = grade_auto(prob)
            """)
        let prob = try XCTUnwrap(session.object("prob", as: RasterObject.self)).raster
        let hidden = try SyntheticSurvey.generate(preset: .small, seed: 3).hiddenDeposits
        let cells = hidden.x.indices.compactMap { i in prob.grid.cell(x: hidden.x[i], y: hidden.y[i]).map { $0.row * prob.grid.cols + $0.col } }
        let curve = try successRateCurve(probabilities: prob.values, depositCells: cells)
        XCTAssertEqual(session.value(of: "sr")?.recordValue?["area"]?.numberValue, curve.area)
        let grading = try automaticGrading(probabilities: prob.values)
        XCTAssertEqual(session.value(of: "t")?.recordValue?["a"]?.numberValue, grading.thresholds.a)
    }

    /// An interruption during training stops between batches: the cell ends with the
    /// "interrupted" error and the model keeps its weights and history.
    func testInterruptingTrainingKeepsModelAndHistory() throws {
        final class InterruptingOutput: OutputSink {
            weak var session: Session?
            var events = 0
            func stream(_ name: StreamName, text: String) {}
            func display(_ bundle: DisplayBundle, displayID: String?, update: Bool) {}
            func clearOutput(wait: Bool) {}
            func readInput(prompt: String, password: Bool) throws -> String { "" }
            func progress(_ event: ProgressEvent) {
                if event.message.hasPrefix("train"), !event.finished { events += 1; if events == 2 { session?.requestInterrupt() } }
            }
        }
        let session = librarySession()
        session.run(ModelBindingTests.pipeline)
        let before = try XCTUnwrap(session.object("model", as: ModelObject.self)).module.parameters().map(\.scalars)
        let output = InterruptingOutput()
        output.session = session
        let outcome = session.execute("fit = train(model, data, epochs: 50, batch: 4)", cellName: "<test>", output: output)
        guard case .error(let name, _, _) = outcome else { return XCTFail("training was not interrupted") }
        XCTAssertEqual(name, "Interrupted")
        XCTAssertEqual(output.events, 2)
        let model = try XCTUnwrap(session.object("model", as: ModelObject.self))
        XCTAssertEqual(model.history?.status, .interrupted)
        XCTAssertLessThan(model.history?.epochs.count ?? 99, 50)
        XCTAssertNotEqual(model.module.parameters().map(\.scalars), before)
        XCTAssertEqual(session.run("model.history.status")?.plainText, "\"interrupted\"")
        XCTAssertNotNil(session.value(of: "data"))
    }

    func testExportSuccessCurvesAndAttributions() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lode-export-\(getpid())").path
        let session = librarySession()
        session.run(ModelBindingTests.pipeline + """

            files = export_survey(survey, "\(folder)")
            back = read_points("\(folder)/samples.csv", crs: "EPSG:32646")
            fit = train(model, data, epochs: 1, batch: 16)
            prob = predict_map(model, s, stride: 8)
            sr = plot_success_rate({Dual: prob}, survey.hidden)
            ex = shap(model, data.val, method: "expected_gradients", count: 2, max_evals: 8, background: 4)
            img = attributions(ex, index: 1)
            shape = data.tensor.shape
            """)
        let survey = try SyntheticSurvey.generate(preset: .small, seed: 3)
        XCTAssertEqual(session.number("back") ?? session.object("back", as: PointsObject.self).map { Double($0.layer.count) }, Double(survey.samples.count))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/faults.gpkg"))
        XCTAssertNotNil(session.object("sr", as: FigureObject.self))
        XCTAssertNotNil(session.object("img", as: FigureObject.self))
        XCTAssertEqual(session.value(of: "shape"), .list([48, 4, 16, 16]))
        let ex = try XCTUnwrap(session.object("ex", as: ExplanationObject.self)).explanation
        XCTAssertEqual(ex.pixelValues?.count, 2)
        let noPixels = try XCTUnwrap(session.failure("attributions(shap(model, data.val, method: \"exact\", count: 1, background: 2))"))
        XCTAssertTrue(noPixels.contains("expected_gradients"), noPixels)
    }
}
