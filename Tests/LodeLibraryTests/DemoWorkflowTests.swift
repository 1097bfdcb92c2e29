import CCairo
import Foundation
import LodeGeo
import LodeLibrary
import LodeScript
import XCTest

/// `run_demo(quick: true)` of stdlib/pipeline.lode — what `lode demo --quick` runs — end to
/// end: every stage reports, the report has its sections with the four models on both split
/// kinds, its hidden-deposit score is the map's (recomputed here from the GeoTIFF by a rank
/// formula of its own), every figure is a non-blank PNG, and the map and zones open in GDAL
/// with the survey's CRS.
final class DemoWorkflowTests: XCTestCase {
    static let models = ["SSGSNet", "ResNet", "ViT", "DualBranchNet"]

    func testQuickDemoWritesReportFiguresMapAndZones() throws {
        let folder = try temporaryFolder() + "/out"
        let session = librarySession()
        let output = CollectingOutput()
        session.setVariable("folder", .string(folder))
        session.run("use \"pipeline\"\nresult = run_demo(folder: folder, quick: true);", output: output)
        for stage in 1...11 { XCTAssertTrue(output.stdout.contains("[\(stage)/11]"), "stage \(stage) missing from\n\(output.stdout)") }
        XCTAssertTrue(output.stdout.contains("training SSGSNet (random stratified split)"), output.stdout)

        let text = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        func cells(_ line: String) -> [String] { line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        for section in ["## Maps that find deposits", "## The paper's workflow: its four models' maps", "## Configuration", "## Validation AUC", "## Prospectivity map and target zones",
                        "## SHAP over the 15 layers", "## Timings", "## Files"] {
            XCTAssertTrue(lines.contains { $0.hasPrefix(section) }, "section \(section) missing from\n\(text)")
        }
        // The map-level comparison leads (models and the five baselines, spatial folds and hidden
        // deposits), then the paper's models with its window AUC, then the window AUCs.
        let comparisonAt = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("## Maps that find deposits") })
        let mapsAt = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("## The paper's workflow") })
        let windowsAt = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("## Validation AUC") })
        XCTAssertLessThan(comparisonAt, mapsAt)
        XCTAssertLessThan(mapsAt, windowsAt)
        for name in ["ssgsnet", "ssgsnet_lode", "fault_distance", "best_single_layer", "weights_of_evidence", "logistic", "random_forest"] {
            let row = cells(try XCTUnwrap(lines.first { $0.hasPrefix("| \(name) | ") }, "comparison row \(name)"))
            XCTAssertEqual(row.count, 6, "row of \(name)")
            XCTAssertTrue((0...1).contains(Double(row[4]) ?? -1), "\(name) hidden success area '\(row[4])'")
        }
        let verdict = try XCTUnwrap(lines.first { $0.hasPrefix("Best map on the hidden deposits: ") || $0.hasPrefix("No deep model beats the best baseline") }, text)
        // The verdict quotes the gap with its paired bootstrap interval, which holds the gap.
        let numbers = try NSRegularExpression(pattern: #"difference .* is (-?[0-9.]+) \(90 % paired bootstrap interval (-?[0-9.]+) to (-?[0-9.]+)\)"#)
        let match = try XCTUnwrap(numbers.firstMatch(in: verdict, range: NSRange(verdict.startIndex..., in: verdict)), verdict)
        let (gap, low, high) = (1...3).map { Double(verdict[Range(match.range(at: $0), in: verdict)!])! }.triple
        XCTAssertLessThanOrEqual(low, gap, verdict)
        XCTAssertLessThanOrEqual(gap, high, verdict)
        XCTAssertLessThan(low, high, verdict)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Best of these maps: ") || $0.hasPrefix("No model of the paper's workflow beats") }, text)

        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("| model | AUC (random stratified) | AUC (grouped by source point)") }, text)
        for (offset, model) in Self.models.enumerated() {
            let row = cells(lines[header + 2 + offset])
            XCTAssertEqual(row.first, model)
            XCTAssertEqual(row.count, 4, "row of \(model)")
            for cell in row.dropFirst().prefix(2) { XCTAssertTrue((0...1).contains(Double(cell) ?? -1), "\(model) AUC '\(cell)'") }
        }
        for grade in ["A", "B", "C"] {
            XCTAssertTrue(lines.contains { $0.hasPrefix("| \(grade) | ") && $0.contains("of 13 |") }, "capture row \(grade)")
        }
        let shapHeader = try XCTUnwrap(lines.firstIndex { $0 == "| rank | layer | mean abs SHAP |" })
        XCTAssertEqual((1...15).map { cells(lines[shapHeader + 1 + $0])[0] }, (1...15).map(String.init))

        // The SSGSNet map's score in the report is the map's: area under the success-rate curve
        // = mean over the hidden deposits of 1 - (cells ranked above + half the cells tied) / cells.
        let mapRow = cells(try XCTUnwrap(lines.first { $0.hasPrefix("| SSGSNet | model") }))
        let reported = try XCTUnwrap(Double(mapRow[2]))
        let map = try GeoTIFF.read(path: folder + "/prospectivity.tif").layers[0]
        let survey = try SyntheticSurvey.generate(preset: .small, seed: 42)
        let values = map.values.map(Double.init)
        var total = 0.0
        for (x, y) in zip(survey.hiddenDeposits.x, survey.hiddenDeposits.y) {
            let column = Int(((x - map.grid.west) / map.grid.cellSize).rounded(.down))
            let row = Int(((map.grid.north - y) / map.grid.cellSize).rounded(.down))
            let p = values[row * map.grid.cols + column]
            let above = values.filter { $0 > p }.count, tied = values.filter { $0 == p }.count
            total += 1 - (Double(above) + Double(tied) / 2) / Double(values.count)
        }
        XCTAssertEqual(reported, total / Double(survey.hiddenDeposits.count), accuracy: 0.0005 + 1e-9)

        let figures = try FileManager.default.contentsOfDirectory(atPath: folder + "/figures").filter { $0.hasSuffix(".png") }
        XCTAssertGreaterThanOrEqual(figures.count, 12, "\(figures)")
        for name in ["roc_random.png", "roc_grouped.png", "prospectivity_map.png", "shap_beeswarm.png", "shap_bar.png",
                     "success_rate.png", "prediction_area.png", "training_history.png"] {
            XCTAssertTrue(figures.contains(name), name)
            XCTAssertTrue(text.contains("![\(name)](figures/\(name))"), "report does not show \(name)")
        }
        for name in figures {
            let colors = try distinctColors(folder + "/figures/" + name)
            XCTAssertGreaterThanOrEqual(colors, 6, "\(name) looks blank (\(colors) colours)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder + "/checkpoints").count, 8)

        let info = try JSONSerialization.jsonObject(with: Data(try runTool("gdalinfo", ["-json", folder + "/prospectivity.tif"]).utf8)) as? [String: Any]
        XCTAssertEqual(info?["size"] as? [Int], [400, 400])
        let wkt = (info?["coordinateSystem"] as? [String: Any])?["wkt"] as? String ?? ""
        XCTAssertTrue(wkt.contains("ID[\"EPSG\",32646]"))
        XCTAssertTrue(try runTool("ogrinfo", ["-al", "-so", folder + "/zones.gpkg"]).contains("32646"))
    }

    /// prepare() of the pipeline on the small survey: the 15 layers in the paper's order, one
    /// window per known deposit and per negative, augmented with each copy keeping its site;
    /// export_survey writes the files GIS tools and read_points read back.
    func testPreparationAndExport() throws {
        let session = librarySession()
        let folder = try temporaryFolder()
        session.setVariable("folder", .string(folder))
        session.run("""
            use "pipeline"
            survey = synthetic_survey(preset: "small", seed: 42)
            sizes = demo_sizes(preset: "small")
            sizes.per_class = 64
            prep = prepare(survey, seed: 1, sizes: sizes)
            files = export_survey(survey, folder, stack: prep.stack)
            """)
        guard case .record(let prep)? = session.value(of: "prep"),
              case .object(let stack as StackObject)? = prep["stack"],
              case .object(let windows as DatasetObject)? = prep["windows"],
              case .object(let augmented as DatasetObject)? = prep["augmented"] else { return XCTFail("prepare() returned no stack and windows") }
        XCTAssertEqual(stack.stack.names, SyntheticSurvey.elements + ["faults"])
        XCTAssertEqual(augmented.data.shape, [128, 15, 32, 32])
        XCTAssertEqual(windows.data.count, 22)
        XCTAssertEqual(Set(augmented.data.sourceIDs).count, 22)
        guard case .list(let files)? = session.value(of: "files") else { return XCTFail("export_survey returned no list") }
        XCTAssertEqual(files.count, 8)
        let survey = try SyntheticSurvey.generate(preset: .small, seed: 42)
        let back = try PointLayer.read(path: folder + "/samples.csv")
        XCTAssertEqual(back.count, survey.samples.count)
        XCTAssertEqual(back.column(named: "Au"), survey.samples.column(named: "Au"))
        let written = try GeoTIFF.read(path: folder + "/stack.tif")
        XCTAssertEqual(written.names.count, 15)
        XCTAssertEqual(written.grid.crs?.epsg, 32646)
    }

    /// Distinct colours (5 bits per channel) in the middle 60 % of a PNG.
    func distinctColors(_ path: String) throws -> Int {
        guard let surface = cairo_image_surface_create_from_png(path), cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            XCTFail("\(path) is not a readable PNG")
            return 0
        }
        defer { cairo_surface_destroy(surface) }
        let (width, height) = (Int(cairo_image_surface_get_width(surface)), Int(cairo_image_surface_get_height(surface)))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard width > 100, height > 100, let data = cairo_image_surface_get_data(surface) else { return 0 }
        var seen = Set<UInt32>()
        for row in (height / 5)..<(height * 4 / 5) {
            let line = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in (width / 5)..<(width * 4 / 5) { seen.insert(line[column] & 0xF8F8F8) }
        }
        return seen.count
    }
}

private extension Array {
    var triple: (Element, Element, Element) { (self[0], self[1], self[2]) }
}
