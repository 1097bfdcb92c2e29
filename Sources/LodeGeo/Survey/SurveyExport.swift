import Foundation

extension SyntheticSurvey {
    /// Writes the survey for GIS use; returns the paths written. Files: samples.csv (X, Y, id and
    /// the raw element columns), samples.geojson, faults.geojson, faults.gpkg, known_deposits.geojson,
    /// hidden_deposits.geojson, geology.tif (lithology codes, see `lithologyNames`), and
    /// stack.tif when a stack is given.
    public func export(to directory: String, stack: RasterStack? = nil) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw GeoError("cannot create the folder: \(error.localizedDescription)", file: directory)
        }
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        var written: [String] = []
        try samples.write(to: path("samples.csv")); written.append(path("samples.csv"))
        try samples.write(to: path("samples.geojson")); written.append(path("samples.geojson"))
        try faults.write(to: path("faults.geojson")); written.append(path("faults.geojson"))
        try faults.write(to: path("faults.gpkg")); written.append(path("faults.gpkg"))
        try knownDeposits.write(to: path("known_deposits.geojson")); written.append(path("known_deposits.geojson"))
        try hiddenDeposits.write(to: path("hidden_deposits.geojson")); written.append(path("hidden_deposits.geojson"))
        var geology = Raster(grid: grid, name: "lithology", filledWith: 0)
        for r in 0..<grid.rows {
            for c in 0..<grid.cols { geology[r, c] = Float(lithology(x: grid.centreX(col: c), y: grid.centreY(row: r))) }
        }
        try GeoTIFF.write(geology, to: path("geology.tif")); written.append(path("geology.tif"))
        if let stack { try GeoTIFF.write(stack, to: path("stack.tif")); written.append(path("stack.tif")) }
        return written
    }
}
