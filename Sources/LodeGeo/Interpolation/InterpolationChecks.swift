import Foundation
import LodeTensor

/// What makes an interpolated map silently wrong: samples off the grid (another CRS, or a grid
/// drawn too small) and a layer that comes out flat.
enum InterpolationChecks {
    /// Warns how many samples lie outside the grid; none on it is an error, since every cell
    /// would then be a far-field average (a constant map).
    static func checkCoverage(_ table: SampleTable, grid: GridSpec) throws {
        guard table.count > 0 else { return }
        let extent = grid.extent
        let outside = zip(table.x, table.y).filter { x, y in
            !(x >= extent.west && x <= extent.east && y >= extent.south && y <= extent.north)
        }.count
        if outside == table.count {
            let spread = Extent(x: table.x, y: table.y).map(\.description) ?? "?"
            throw GeoError("none of the \(table.count) samples lie on the grid (samples span \(spread), the grid \(extent))",
                           file: table.source,
                           hint: "are they in another CRS? give crs: when reading, or reproject(samples, grid.crs)")
        }
        if outside > 0 {
            WorkMonitor.warn("\(outside) of \(table.count) samples of \(table.source) lie outside the grid; they still weigh on the cells near the edge")
        }
    }

    /// Warns for every layer whose valid cells are (nearly) all one value.
    static func warnIfConstant(_ layers: [Raster]) {
        for layer in layers {
            let valid = layer.values.filter { !$0.isNaN }
            guard let low = valid.min(), let high = valid.max(), valid.count > 1 else { continue }
            let scale = max(abs(low), abs(high), Float.leastNormalMagnitude)
            if (high - low) <= 1e-6 * scale {
                WorkMonitor.warn("the layer '\(layer.name)' is (nearly) constant (\(low)…\(high)): the samples may be far from the grid, in another CRS, or all one value")
            }
        }
    }
}
