import CCairo
import Foundation
import LodeLibrary
import XCTest

/// `lode demo --quick` end to end: the report holds all four models' AUCs on both split
/// kinds and the hidden-deposit capture per class, every figure is a non-blank PNG, and the
/// map and zones open in GDAL with the survey's CRS.
final class DemoWorkflowTests: XCTestCase {
    func testQuickDemoWritesReportFiguresMapAndZones() throws {
        let folder = try temporaryFolder() + "/out"
        var printed = ""
        let progress = DemoProgress(interactive: false) { printed += $0 }
        let report = try DemoWorkflow(configuration: .quick, outputFolder: folder, progress: progress).run()
        for stage in 1...10 { XCTAssertTrue(printed.contains("[\(stage)/10]"), "stage \(stage) missing from\n\(printed)") }
        XCTAssertTrue(printed.contains("SSGSNet [random stratified] epoch 1:"), printed)

        let text = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
        let header = text.split(separator: "\n").first { $0.hasPrefix("| model | AUC (random stratified) | AUC (grouped by source point)") }
        XCTAssertNotNil(header, text)
        for model in ["SSGSNet", "ResNet", "ViT", "DualBranchNet"] {
            let row = text.split(separator: "\n").first { $0.hasPrefix("| \(model) | ") && !$0.contains("random stratified") && !$0.contains("grouped") }
            let cells = row.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            XCTAssertEqual(cells.count, 4, "row of \(model): \(String(describing: row))")
            for cell in cells.dropFirst().prefix(2) {
                let auc = Double(cell) ?? -1
                XCTAssertTrue((0...1).contains(auc), "\(model) AUC '\(cell)'")
            }
            XCTAssertEqual(report.aucs[model]?.count, 2)
        }
        for grade in ["A", "B", "C"] {
            XCTAssertTrue(text.contains("| \(grade) | ") && text.contains("of 13 |"), "capture row \(grade)")
        }
        XCTAssertEqual(report.shapRanking.count, 15)
        XCTAssertTrue(text.contains("| 1 | \(report.shapRanking[0].layer) |"))

        let figures = try FileManager.default.contentsOfDirectory(atPath: folder + "/figures").filter { $0.hasSuffix(".png") }
        XCTAssertGreaterThanOrEqual(figures.count, 12, "\(figures)")
        for name in ["roc_random_stratified.png", "roc_grouped_by_source_point.png", "prospectivity_map.png", "shap_beeswarm.png",
                     "shap_bar.png", "success_rate.png"] {
            XCTAssertTrue(figures.contains(name), name)
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
