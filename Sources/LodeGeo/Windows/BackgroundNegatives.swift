import Foundation
import LodeTensor

/// Negatives drawn from the whole background: cells across every valid part of the map except a
/// buffer around the known deposits, hundreds of them, seeded.
///
/// The paper's negatives (low-Au K-means clusters far from faults) carry the selection rule in
/// their labels: a model trained on them learns "far from a fault" and "low Au", not what sets a
/// deposit apart from the rest of the area. A background draw asks the question a map answers —
/// is this cell more like the deposits than like the area at large? — so a map scored on unseen
/// deposits rewards what the model learnt, not how the negatives were chosen. Cells in the
/// background may hold undiscovered deposits; with hundreds of draws over a large area they are a
/// small share (the positive-unlabelled view: `RecipeCommands` can weight them by a class prior).
public struct BackgroundNegatives: Sendable {
    /// How many cells to draw.
    public var count: Int = 500
    /// No negative lies closer than this to a known deposit (map units, metres).
    public var buffer: Double = 1000
    /// Cells closer than this many cells to the grid edge are not used (half a window + 1 keeps
    /// every window inside the grid).
    public var edgeMargin: Int = 17
    /// Square strata of this side (map units): each holds a share of the draws proportional to
    /// its candidate cells, so the draws cover the area evenly. nil: one simple random draw.
    public var strataSize: Double?
    public var seed: UInt64 = 0

    public init(count: Int = 500, buffer: Double = 1000, edgeMargin: Int = 17, strataSize: Double? = nil, seed: UInt64 = 0) {
        self.count = count
        self.buffer = buffer
        self.edgeMargin = edgeMargin
        self.strataSize = strataSize
        self.seed = seed
    }

    /// Draws the negatives among the cells where every layer of `stack` has a value.
    public func select(from stack: RasterStack, deposits: PointLayer) throws -> PointLayer {
        try select(grid: stack.grid, valid: CellDraw.validCells(stack), deposits: deposits)
    }

    /// Draws the negatives among the cells marked valid (row-major, one flag per cell).
    /// - Returns: points at the chosen cell centres, ids "B1", "B2", ... in drawing order.
    public func select(grid: GridSpec, valid: [Bool], deposits: PointLayer) throws -> PointLayer {
        guard count >= 1 else { throw GeoError("the number of background negatives must be at least 1, got \(count)") }
        guard buffer >= 0, buffer.isFinite else { throw GeoError("the buffer around deposits must be a distance of 0 metres or more, got \(buffer)") }
        guard edgeMargin >= 0 else { throw GeoError("the edge margin must be 0 cells or more, got \(edgeMargin)") }
        if let strataSize { guard strataSize > 0, strataSize.isFinite else { throw GeoError("the stratum size must be a positive distance, got \(strataSize)") } }
        guard valid.count == grid.cellCount else { throw GeoError("\(valid.count) validity flags for a grid of \(grid.cellCount) cells") }
        let known = try deposits.aligned(to: grid)
        let index = PointIndex(x: known.x, y: known.y)
        var candidates: [Int] = []
        for r in edgeMargin..<max(edgeMargin, grid.rows - edgeMargin) {
            for c in edgeMargin..<max(edgeMargin, grid.cols - edgeMargin) where valid[r * grid.cols + c] {
                if known.count > 0, let nearest = index.nearest(1, x: grid.centreX(col: c), y: grid.centreY(row: r)).first,
                   nearest.squaredDistance < buffer * buffer { continue }
                candidates.append(r * grid.cols + c)
            }
        }
        guard candidates.count >= count else {
            throw GeoError("\(count) background negatives were requested but only \(candidates.count) valid cells lie \(CellDraw.metres(buffer)) or more from the \(known.count) deposits and \(edgeMargin) cells or more from the grid edge",
                           hint: "ask for fewer negatives, or lower the buffer or the margin")
        }
        if candidates.count < 4 * count {
            WorkMonitor.warn("\(count) negatives from only \(candidates.count) candidate cells: they will crowd together; fewer negatives or a smaller buffer spread them better")
        }
        var random = RandomStream(seed: seed)
        let chosen: [Int]
        if let strataSize {
            chosen = stratified(candidates, grid: grid, side: strataSize, random: &random)
        } else {
            chosen = CellDraw.sample(candidates, count: count, random: &random)
        }
        let ids = (1...chosen.count).map { "B\($0)" }
        return try PointLayer(x: chosen.map { grid.centreX(col: $0 % grid.cols) }, y: chosen.map { grid.centreY(row: $0 / grid.cols) },
                              columnNames: ["id"], columns: [ids], crs: grid.crs, source: "background negatives", idColumn: "id")
    }

    /// Shares of `count` proportional to each stratum's candidates (largest remainders get the
    /// rounding), then a simple random draw inside each stratum, strata in row-major order.
    func stratified(_ candidates: [Int], grid: GridSpec, side: Double, random: inout RandomStream) -> [Int] {
        let cellsPerSide = max(1, Int((side / grid.cellSize).rounded()))
        var strata: [Int: [Int]] = [:]
        let strataCols = (grid.cols + cellsPerSide - 1) / cellsPerSide
        for cell in candidates {
            let key = (cell / grid.cols / cellsPerSide) * strataCols + (cell % grid.cols) / cellsPerSide
            strata[key, default: []].append(cell)
        }
        let keys = strata.keys.sorted()
        let exact = keys.map { Double(count) * Double(strata[$0]!.count) / Double(candidates.count) }
        var shares = exact.map { Int($0.rounded(.down)) }
        let byRemainder = keys.indices.sorted { (exact[$0] - Double(shares[$0]), $1) > (exact[$1] - Double(shares[$1]), $0) }
        for k in byRemainder.prefix(count - shares.reduce(0, +)) { shares[k] += 1 }
        var chosen: [Int] = []
        for (k, key) in keys.enumerated() where shares[k] > 0 {
            chosen += CellDraw.sample(strata[key]!, count: shares[k], random: &random)
        }
        return chosen
    }
}

/// Cell choices shared by the background and positive draws.
enum CellDraw {
    /// Cells where every layer has a value (NaN marks cells outside the surveyed area).
    static func validCells(_ stack: RasterStack) -> [Bool] {
        var valid = [Bool](repeating: true, count: stack.grid.cellCount)
        for layer in stack.layers {
            for (i, v) in layer.values.enumerated() where v.isNaN { valid[i] = false }
        }
        return valid
    }

    /// `count` distinct items drawn uniformly without replacement (a partial Fisher-Yates
    /// shuffle), in drawing order.
    static func sample<T>(_ items: [T], count: Int, random: inout RandomStream) -> [T] {
        var pool = items
        let take = min(count, pool.count)
        for i in 0..<take {
            let j = i + random.index(below: pool.count - i)
            pool.swapAt(i, j)
        }
        return Array(pool.prefix(take))
    }

    static func metres(_ value: Double) -> String { String(format: "%g m", value) }
}
