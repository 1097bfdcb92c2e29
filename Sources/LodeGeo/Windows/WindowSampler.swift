import Foundation
import LodeTensor

/// What to do with a point whose window crosses the grid edge.
public enum EdgePolicy: String, Sendable {
    /// Leave the point out and add a warning to the dataset.
    case reject
    /// Cut the window by the edge rule of `WindowCutter` (reflect, as mapping does), so a point
    /// near the edge gets the window a map of that cell is made from.
    case reflect
}

/// Cuts size x size windows out of a raster stack.
///
/// Windows are cut by `WindowCutter` (centre convention, edge rule, NaN as 0 are documented
/// there). For even sizes (the paper's 32) the point's cell is at index size/2, the lower-right
/// cell of the central 2 x 2 block.
public struct WindowSampler: Sendable {
    public var size: Int = 32
    public var edge: EdgePolicy = .reject

    public init(size: Int = 32, edge: EdgePolicy = .reject) {
        self.size = size
        self.edge = edge
    }

    func validate(_ stack: RasterStack) throws {
        guard size >= 1 else { throw GeoError("window size must be at least 1, got \(size)") }
        guard size <= min(stack.grid.rows, stack.grid.cols) else {
            throw GeoError("a \(size) x \(size) window does not fit in the \(stack.grid.rows) x \(stack.grid.cols) grid")
        }
    }

    /// Appends one window with its top-left cell at (top, left) to `out` (channels x size x size),
    /// cut by `WindowCutter` (its edge rule is the one mapping uses).
    func cut(_ stack: RasterStack, top: Int, left: Int, into out: inout [Float]) {
        let grid = stack.grid, plane = size * size
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: stack.count * plane))
        out.withUnsafeMutableBufferPointer { buffer in
            for (l, layer) in stack.layers.enumerated() {
                layer.values.withUnsafeBufferPointer { values in
                    WindowCutter.cut(plane: values, rows: grid.rows, cols: grid.cols, top: top, left: left, size: size,
                                     into: buffer.baseAddress! + start + l * plane)
                }
            }
        }
    }

    /// One window per point, all with `label`; ids from the points' id column.
    public func windows(_ stack: RasterStack, at points: PointLayer, label: Int, reproject: Bool = true) throws -> Dataset {
        try validate(stack)
        let aligned = try points.aligned(to: stack.grid, reproject: reproject)
        let grid = stack.grid
        let ids = aligned.ids
        let windowLength = stack.count * size * size
        try MemoryBudget.require(elements: Double(aligned.count) * Double(windowLength),
                                 what: "\(aligned.count) windows of \(stack.count)×\(size)×\(size)", change: "use a smaller window size or fewer points")
        var values: [Float] = []
        values.reserveCapacity(aligned.count * windowLength)
        var kept: [Int] = []
        var warnings: [String] = []
        for i in 0..<aligned.count {
            // One window is at most a few milliseconds of copying: stop on an interrupt between any two.
            try WorkMonitor.checkpoint(Double(i) / Double(aligned.count), "windows")
            guard let cell = grid.cell(x: aligned.x[i], y: aligned.y[i]) else {
                throw GeoError("point '\(ids[i])' at (\(aligned.x[i]), \(aligned.y[i])) is outside the grid, so its window is outside the grid",
                               file: aligned.source, row: aligned.rowNumbers[i], hint: "grid extent is \(grid.extent)")
            }
            let top = cell.row - size / 2, left = cell.col - size / 2
            let inside = top >= 0 && left >= 0 && top + size <= grid.rows && left + size <= grid.cols
            if !inside && edge == .reject {
                warnings.append("point '\(ids[i])' (row \(aligned.rowNumbers[i]) of \(aligned.source)) is within \(size / 2) cells of the grid edge; its window was left out")
                continue
            }
            cut(stack, top: top, left: left, into: &values)
            kept.append(i)
        }
        return try Dataset(windows: values, count: kept.count, channels: stack.count, size: size,
                           labels: kept.map { _ in label }, sourceIDs: kept.map { ids[$0] },
                           centreX: kept.map { grid.centreX(col: grid.cell(x: aligned.x[$0], y: aligned.y[$0])!.col) },
                           centreY: kept.map { grid.centreY(row: grid.cell(x: aligned.x[$0], y: aligned.y[$0])!.row) },
                           layerNames: stack.names, warnings: warnings)
    }

    /// Positives (label 1) then negatives (label 0). Throws when no positive window remains.
    public func labelled(_ stack: RasterStack, positives: PointLayer, negatives: PointLayer) throws -> Dataset {
        guard positives.count > 0 else { throw GeoError("there are no deposits to cut positive windows around", file: positives.source) }
        let positive = try windows(stack, at: positives, label: 1)
        guard positive.count > 0 else {
            throw GeoError("every deposit is too near the grid edge for a \(size) x \(size) window", file: positives.source,
                           hint: "use edge: .reflect or a larger grid")
        }
        let negative = try windows(stack, at: negatives, label: 0)
        checkOpposingLabels(positive, negative, grid: stack.grid)
        return try positive.merged(with: negative)
    }

    /// A negative in a deposit's own cell gives the same window both labels; one inside a
    /// deposit's window shares most of its cells with opposite labels. Both teach the model
    /// noise, but a recipe may draw positives around deposits and negatives from the cells
    /// beyond a buffer, so they are warnings naming the pairs (the user decides), not errors.
    func checkOpposingLabels(_ positive: Dataset, _ negative: Dataset, grid: GridSpec) {
        func cells(_ data: Dataset) -> [(row: Int, col: Int)] {
            (0..<data.count).map { grid.cell(x: data.centreX[$0], y: data.centreY[$0]) ?? (-1, -1) }
        }
        let deposits = cells(positive), barren = cells(negative)
        // The deposit's window covers offsets -size/2 ..< size - size/2 (the centre convention).
        let inside = (-(size / 2)..<(size - size / 2))
        var same: [String] = [], near: [String] = []
        for (n, b) in barren.enumerated() {
            let offsets = deposits.map { (row: b.row - $0.row, col: b.col - $0.col) }
            if let p = offsets.firstIndex(where: { $0.row == 0 && $0.col == 0 }) {
                same.append("'\(negative.sourceIDs[n])' in the cell of '\(positive.sourceIDs[p])'")
            } else if let p = offsets.firstIndex(where: { inside.contains($0.row) && inside.contains($0.col) }) {
                let cells = max(abs(offsets[p].row), abs(offsets[p].col))
                near.append("'\(negative.sourceIDs[n])' \(cells) cell\(cells == 1 ? "" : "s") from '\(positive.sourceIDs[p])'")
            }
        }
        func listed(_ items: [String]) -> String { items.prefix(10).joined(separator: ", ") + (items.count > 10 ? ", …" : "") }
        if !same.isEmpty {
            WorkMonitor.warn("\(same.count) of \(negative.count) negatives lie in a deposit's own cell, so the same window is labelled both deposit and barren: "
                             + listed(same) + "; keep the negatives away from the deposits")
        }
        if !near.isEmpty {
            WorkMonitor.warn("\(near.count) of \(negative.count) negatives lie inside a deposit's \(size) x \(size) window, so windows that share most of their cells have opposite labels: "
                             + listed(near))
        }
    }

    /// Unknown windows tiling the whole grid: top-left corners every `stride` cells (windows
    /// fully inside the grid), label -1, ids "tile r,c" with the centre cell's row and column.
    public func tiles(_ stack: RasterStack, stride: Int) throws -> Dataset {
        try validate(stack)
        guard stride >= 1 else { throw GeoError("tiling stride must be at least 1, got \(stride)") }
        let grid = stack.grid
        let tileRows = (grid.rows - size) / stride + 1, tileCols = (grid.cols - size) / stride + 1
        try MemoryBudget.require(elements: Double(tileRows) * Double(tileCols) * Double(stack.count * size * size),
                                 what: "\(tileRows)×\(tileCols) tiles of \(stack.count)×\(size)×\(size)", change: "use a larger stride or a smaller window")
        var values: [Float] = []
        var ids: [String] = [], xs: [Double] = [], ys: [Double] = []
        for top in Swift.stride(from: 0, through: grid.rows - size, by: stride) {
            try WorkMonitor.checkpoint(Double(top) / Double(grid.rows), "tiles")
            for left in Swift.stride(from: 0, through: grid.cols - size, by: stride) {
                cut(stack, top: top, left: left, into: &values)
                let r = top + size / 2, c = left + size / 2
                ids.append("tile \(r),\(c)")
                xs.append(grid.centreX(col: c))
                ys.append(grid.centreY(row: r))
            }
        }
        return try Dataset(windows: values, count: ids.count, channels: stack.count, size: size,
                           labels: ids.map { _ in -1 }, sourceIDs: ids, centreX: xs, centreY: ys, layerNames: stack.names)
    }
}
