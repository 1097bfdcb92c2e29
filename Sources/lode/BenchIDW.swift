import Foundation
import LodeGeo

/// `lode bench idw`: global power-2 IDW of the paper preset's 14 elements onto its ~1 700 x 1 700
/// grid, against the vectorised NumPy brute force of scripts/idw_numpy.py run in the same job on
/// a subset of rows (its time is extrapolated to all rows; the rows it did are compared value by
/// value with Lode's).
enum BenchIDW {
    static func run(preset: String, numpyRows: Int, python: String?) throws -> [String: Any] {
        let survey = try SyntheticSurvey.generate(preset: SurveyPreset.named(preset), seed: 42)
        let samples = try survey.samples.cleaned(elements: SyntheticSurvey.elements)
        let grid = survey.grid
        let start = Date()
        let stack = try IDW.interpolate(samples, onto: grid)
        let swiftSeconds = Date().timeIntervalSince(start)
        print(String(format: "Lode IDW: %d samples -> %d x %d cells x %d layers in %.2f s", samples.count, grid.rows, grid.cols, stack.count, swiftSeconds))
        var figures: [String: Any] = ["bench": "idw", "preset": preset, "samples": samples.count, "rows": grid.rows, "cols": grid.cols,
                                      "layers": stack.count, "lode_seconds": swiftSeconds]
        guard numpyRows > 0 else { return figures }

        // Hand the cleaned samples to NumPy and time it on evenly spread rows.
        let folder = NSTemporaryDirectory() + "lode-bench-idw-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var csv = "x,y," + samples.elements.joined(separator: ",") + "\n"
        for i in 0..<samples.count {
            csv += "\(samples.x[i]),\(samples.y[i])," + samples.values.map { $0[i].isNaN ? "nan" : "\($0[i])" }.joined(separator: ",") + "\n"
        }
        try csv.write(toFile: folder + "/samples.csv", atomically: true, encoding: .utf8)
        let rows = (0..<numpyRows).map { $0 * grid.rows / numpyRows }
        let interpreter = python ?? defaultPython()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = [scriptPath("idw_numpy.py"), "--samples", folder + "/samples.csv", "--west", "\(grid.west)",
                             "--north", "\(grid.north)", "--cell", "\(grid.cellSize)", "--cols", "\(grid.cols)",
                             "--rows", rows.map(String.init).joined(separator: ","), "--out", folder + "/numpy.bin"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(data: pipe.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
        guard process.terminationStatus == 0, let line = output.split(separator: "\n").last(where: { $0.hasPrefix("NUMPY ") }),
              let data = line.dropFirst(6).data(using: .utf8),
              let reported = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let numpySeconds = reported["seconds"] as? Double else {
            throw GeoError("the NumPy reference failed (\(interpreter) \(scriptPath("idw_numpy.py")))", hint: output)
        }
        // Compare the rows NumPy computed (float64) with Lode's (float32).
        let raw = try Data(contentsOf: URL(fileURLWithPath: folder + "/numpy.bin"))
        let reference = raw.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        var worst = 0.0
        for (k, row) in rows.enumerated() {
            for e in 0..<stack.count {
                for c in 0..<grid.cols {
                    let expected = reference[(k * stack.count + e) * grid.cols + c]
                    let got = Double(stack.layers[e][row, c])
                    worst = max(worst, abs(got - expected) / max(abs(expected), 1e-12))
                }
            }
        }
        let extrapolated = numpySeconds * Double(grid.rows) / Double(rows.count)
        print(String(format: "NumPy brute force: %d of %d rows in %.2f s -> %.1f s extrapolated to all rows; max relative difference %.2e",
                     rows.count, grid.rows, numpySeconds, extrapolated, worst))
        figures["numpy_rows_measured"] = rows.count
        figures["numpy_seconds_measured"] = numpySeconds
        figures["numpy_seconds_extrapolated"] = extrapolated
        figures["max_relative_difference"] = worst
        figures["ratio_vs_reference"] = extrapolated / swiftSeconds
        figures["target_ratio"] = 10
        return figures
    }

    static func defaultPython() -> String {
        for candidate in [".venv/bin/python", "/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "/usr/bin/env"
    }

    /// scripts/NAME from the working directory (the repository root, as `make bench` runs it).
    static func scriptPath(_ name: String) -> String {
        FileManager.default.currentDirectoryPath + "/scripts/" + name
    }
}
