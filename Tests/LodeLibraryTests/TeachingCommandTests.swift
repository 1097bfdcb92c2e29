import Foundation
import LodeEval
import LodeGeo
@testable import LodeLibrary
@testable import LodePlot
import LodeScript
import XCTest

/// What the notebooks lean on: comparing training runs in one figure, SHAP with a background
/// larger than the windows explained, labelled maps, zone areas in km², scratch folders.
final class TeachingCommandTests: XCTestCase {
    /// Tiny models trained on the quick pipeline's data (shared: training is the slow part).
    static let trainedSession: Session = {
        let session = librarySession()
        session.run("""
            use "pipeline"
            survey = synthetic_survey(preset: "small", seed: 42)
            prep = prepare(survey, quick: true, seed: 1)
            a = ssgsnet(channels: 15, preset: "tiny", window: 16, seed: 0)
            b = resnet(channels: 15, preset: "tiny", window: 16, seed: 0)
            ha = train(a, prep.data, epochs: 2, batch: 16)
            hb = train(b, prep.data, epochs: 3, batch: 16)
            """)
        return session
    }()

    func testPlotHistoryOfARecordDrawsEveryRunWithItsOwnValues() throws {
        let session = Self.trainedSession
        session.run("fig = plot_history({SSGSNet: ha, ResNet: b}, title: \"Two runs\")")
        let figure = try XCTUnwrap(session.object("fig", as: FigureObject.self)).figure
        XCTAssertEqual(figure.title, "Two runs")
        XCTAssertEqual(figure.panels.map(\.title), ["Loss", "Accuracy", "Validation AUC"])
        let histories = try ["SSGSNet": "a", "ResNet": "b"].mapValues { try XCTUnwrap(session.object($0, as: ModelObject.self)?.history) }
        func line(_ panel: Int, _ label: String) throws -> Series.Line {
            for case .line(let l) in figure.panels[panel].series where l.label == label { return l }
            throw MissingSeries(description: "no line \(label) in panel \(panel)")
        }
        for (name, history) in histories {
            XCTAssertEqual(try line(0, name + " (training)").y, history.epochs.map(\.trainLoss))
            XCTAssertEqual(try line(0, name + " (validation)").y, history.epochs.map { $0.validationLoss ?? .nan })
            XCTAssertEqual(try line(2, name).y, history.epochs.map { $0.validationAUC ?? .nan })
        }
        XCTAssertEqual(try line(0, "ResNet (training)").x, [1, 2, 3])
        // One legend, beside the last panel; the runs differ in colour.
        XCTAssertEqual(figure.panels.map { $0.legend == nil }, [true, true, false])
        XCTAssertNotEqual(try line(2, "SSGSNet").color, try line(2, "ResNet").color)
        XCTAssertFalse(try figure.pngData().isEmpty)

        let empty = try XCTUnwrap(session.failure("plot_history({})"))
        XCTAssertTrue(empty.contains("holds no histories"), empty)
        let untrained = try XCTUnwrap(session.failure("plot_history({x: ssgsnet(channels: 15, preset: \"tiny\", window: 16)})"))
        XCTAssertTrue(untrained.contains("has not been trained"), untrained)
    }

    /// The background summarises all the windows given, not only the `count` explained, so
    /// asking for more background points than windows explained works, and equals LodeEval run
    /// on the same inputs.
    func testSHAPBackgroundComesFromAllWindows() throws {
        let session = Self.trainedSession
        session.run("""
            few = shap(a, prep.data.val, count: 2, background: 6, max_evals: 40, seed: 3)
            many = shap(a, prep.data.val, count: 6, background: 2, max_evals: 40, seed: 3)
            """)
        session.run("val = prep.data.val")
        let data = try XCTUnwrap(session.object("val", as: DatasetObject.self)).data
        let model = try XCTUnwrap(session.object("a", as: ModelObject.self)).module
        for (name, count, points) in [("few", 2, 6), ("many", 6, 2)] {
            let background = try LayerBackground.kMeansSummary(windows: data.windows, count: data.count, layers: data.channels,
                                                               height: data.size, width: data.size, clusters: points, seed: 3)
            let explainer = try LayerExplainer(model: batchModel(model, for: data),
                                               layers: data.channels, height: data.size, width: data.size, background: background,
                                               featureNames: data.layerNames)
            let subset = data.subset(Array(0..<count))
            let expected = try explainer.permutation(windows: subset.windows, count: count, maxEvaluations: 40, seed: 3)
            let got = try XCTUnwrap(session.object(name, as: ExplanationObject.self)).explanation
            XCTAssertEqual(got.values.count, count, name)
            XCTAssertEqual(got.values, expected.values, name)
            XCTAssertEqual(got.baseValues, expected.baseValues, name)
        }
        let zero = try XCTUnwrap(session.failure("shap(a, prep.data.val, background: 0)"))
        XCTAssertTrue(zero.contains("background is 0"), zero)
        let mismatch = session.failure("""
            two = windows(stack(prep.stack["Au"], prep.stack["Cu"]), survey.deposits, prep.negatives, size: 16)
            shap(a, prep.data.val, count: 1, max_evals: 20, background_data: two)
            """) ?? "no error"
        XCTAssertTrue(mismatch.contains("background_data"), mismatch)
    }

    func testMapLabelsPointsAndZoneAreasInSquareKilometres() throws {
        let session = Self.trainedSession
        session.run("""
            t = map_targets(a, prep)
            fig = plot_map(t.probability, deposits: survey.deposits, zones: t.zones, points: prep.negatives,
                           points_label: "Chosen negatives", labels: true)
            zone_table = t.zones.table
            """)
        let figure = try XCTUnwrap(session.object("fig", as: FigureObject.self)).figure
        let series = figure.panels[0].series
        let survey = try SyntheticSurvey.generate(preset: .small, seed: 42)
        var texts: [String: (Double, Double)] = [:]
        for case .text(let mark) in series { texts[mark.text] = (mark.x, mark.y) }
        for i in 0..<survey.knownDeposits.count {
            let id = survey.knownDeposits.ids[i]
            XCTAssertEqual(texts[id]?.0, survey.knownDeposits.x[i], id)
            XCTAssertEqual(texts[id]?.1, survey.knownDeposits.y[i], id)
        }
        let negatives = try XCTUnwrap(session.value(of: "prep")?.recordValue?["negatives"].flatMap { value -> PointLayer? in
            guard case .object(let p as PointsObject) = value else { return nil }
            return p.layer
        })
        var found = false
        for case .scatter(let s) in series where s.label == "Chosen negatives" {
            XCTAssertEqual(s.x, negatives.x)
            XCTAssertEqual(s.y, negatives.y)
            found = true
        }
        XCTAssertTrue(found, "no scatter of the chosen negatives")
        XCTAssertEqual(texts.count, survey.knownDeposits.count + negatives.count)

        let zones = try XCTUnwrap(session.value(of: "t")?.recordValue?["zones"].flatMap { value -> ZonesObject? in
            guard case .object(let z as ZonesObject) = value else { return nil }
            return z
        })
        let table = try XCTUnwrap(session.object("zone_table", as: TableObject.self))
        let area = try XCTUnwrap(table.columns.firstIndex(of: "area")), km2 = try XCTUnwrap(table.columns.firstIndex(of: "area_km2"))
        for (row, zone) in zip(table.rows, zones.zones.zones) {
            XCTAssertEqual(Double(row[km2]) ?? -1, zone.area / 1e6, accuracy: 5e-5)
            XCTAssertEqual(Double(row[area]), zone.area)
        }
        let a = zones.zones.zones.filter { $0.grade == .a }
        if !a.isEmpty {
            let expected = String(format: "A: %d zones, area %.2f km²", a.count, a.reduce(0) { $0 + $1.area } / 1e6)
            XCTAssertTrue(zones.zones.summary.contains(expected), zones.zones.summary)
        }
    }

    /// The legend draws each zone class with the dash its outline has on the map.
    func testLegendSwatchesKeepTheZoneDash() throws {
        let ring = [PlotPoint(0, 0), PlotPoint(1, 0), PlotPoint(1, 1), PlotPoint(0, 1)]
        let figure = try Figure.map(values: [0.1, 0.9, 0.5, 0.95], rows: 2, columns: 2, geoTransform: [0, 1, 0, 2, 0, -1],
                                    title: "zones", overlays: MapOverlays(zones: [ZoneOutline(grade: "C", rings: [ring])]))
        let svg = try figure.svg()
        let dash = "stroke-dasharray=\"2.50 2\""
        XCTAssertEqual(svg.components(separatedBy: dash).count - 1, 2, "the zone and its legend swatch are both dotted")
    }

    func testTempFolderAndListFiles() throws {
        let session = librarySession()
        session.run("""
            f = temp_folder(prefix: "lode-test")
            g = temp_folder(prefix: "lode-test")
            save("b", f + "/b.csv")
            save("a", f + "/a.csv")
            save("c", f + "/c.txt")
            all = list_files(f)
            csv = list_files(f, extension: ".CSV")
            """)
        let f = try XCTUnwrap(session.value(of: "f")?.stringValue), g = try XCTUnwrap(session.value(of: "g")?.stringValue)
        defer { for path in [f, g] { try? FileManager.default.removeItem(atPath: path) } }
        XCTAssertNotEqual(f, g)
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        XCTAssertTrue(f.hasPrefix((base as NSString).appendingPathComponent("lode-test-")), f)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: g), [])
        XCTAssertEqual(session.value(of: "all"), .list(["a.csv", "b.csv", "c.txt"].map { .string($0) }))
        XCTAssertEqual(session.value(of: "csv"), .list(["a.csv", "b.csv"].map { .string($0) }))
        let missing = try XCTUnwrap(session.failure("list_files(\"/no/such/folder\")"))
        XCTAssertTrue(missing.contains("no such folder '/no/such/folder'"), missing)
        let slash = try XCTUnwrap(session.failure("temp_folder(prefix: \"a/b\")"))
        XCTAssertTrue(slash.contains("without '/'"), slash)
    }
}

struct MissingSeries: Error, CustomStringConvertible { let description: String }
