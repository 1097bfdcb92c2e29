import Foundation
import LodeGeo
import LodeTensor

/// The per-cell training set of a baseline: the training deposits' cells as positives and a
/// seeded sample of background cells (valid cells farther than `buffer` from every known
/// deposit) as negatives. Features are the stack's values at each cell.
public struct CellSamples: Sendable {
    /// Row-major cell indices, positives first.
    public var cells: [Int]
    public var labels: [Int]
    /// One row per cell, one column per layer.
    public var features: [[Double]]

    public var positiveCount: Int { labels.reduce(0, +) }
}

/// Options shared by the per-cell baselines.
public struct CellSampling: Sendable {
    /// Background cells drawn as negatives (fewer when the area has fewer).
    public var backgroundCount: Int
    /// Metres around every deposit (training and held-out) no background cell is drawn from.
    public var buffer: Double
    /// Cells within this many metres of a training deposit also count as positives (0: only its cell).
    public var positiveRadius: Double
    public var seed: UInt64

    public init(backgroundCount: Int = 2000, buffer: Double = 1000, positiveRadius: Double = 0, seed: UInt64 = 0) {
        self.backgroundCount = backgroundCount
        self.buffer = buffer
        self.positiveRadius = positiveRadius
        self.seed = seed
    }
}

enum CellStack {
    /// True for cells where every layer has a value.
    static func validMask(_ stack: RasterStack) -> [Bool] {
        var mask = [Bool](repeating: true, count: stack.grid.cellCount)
        for layer in stack.layers {
            for (i, v) in layer.values.enumerated() where !v.isFinite { mask[i] = false }
        }
        return mask
    }

    static func features(_ stack: RasterStack, cell: Int) -> [Double] {
        stack.layers.map { Double($0.values[cell]) }
    }

    /// Valid cells whose centre is within `radius` of (x, y) (the containing cell at least).
    static func cells(near x: Double, _ y: Double, radius: Double, grid: GridSpec, valid: [Bool]) -> [Int] {
        guard let centre = grid.cell(x: x, y: y) else { return [] }
        let reach = Int((radius / grid.cellSize).rounded(.up))
        var result: [Int] = []
        for r in max(0, centre.row - reach)...min(grid.rows - 1, centre.row + reach) {
            for c in max(0, centre.col - reach)...min(grid.cols - 1, centre.col + reach) {
                let isCentre = r == centre.row && c == centre.col
                let inside = hypot(grid.centreX(col: c) - x, grid.centreY(row: r) - y) <= radius
                if (isCentre || inside) && valid[r * grid.cols + c] { result.append(r * grid.cols + c) }
            }
        }
        return result
    }

    /// The training cells of a baseline. `avoidX/avoidY` are every deposit kept out of the
    /// background (the training ones and, when known, the held-out ones too).
    static func samples(_ stack: RasterStack, trainingX: [Double], trainingY: [Double], avoidX: [Double], avoidY: [Double],
                        sampling: CellSampling, operation: String) throws -> CellSamples {
        let grid = stack.grid
        let valid = validMask(stack)
        var positives: [Int] = []
        var seen = Set<Int>()
        for i in trainingX.indices {
            for cell in cells(near: trainingX[i], trainingY[i], radius: sampling.positiveRadius, grid: grid, valid: valid) {
                if seen.insert(cell).inserted { positives.append(cell) }
            }
        }
        guard !positives.isEmpty else {
            throw EvalError(operation, "none of the \(trainingX.count) training deposits lies on a cell where every layer has a value")
        }
        var blocked = [Bool](repeating: false, count: grid.cellCount)
        for i in avoidX.indices {
            for cell in cells(near: avoidX[i], avoidY[i], radius: sampling.buffer, grid: grid, valid: valid) { blocked[cell] = true }
        }
        var candidates = (0..<grid.cellCount).filter { valid[$0] && !blocked[$0] }
        guard !candidates.isEmpty else {
            throw EvalError(operation, "no valid cell lies farther than \(sampling.buffer) m from the deposits to draw background from; use a smaller buffer")
        }
        // A partial Fisher-Yates shuffle draws the background without replacement.
        var rng = RandomStream(seed: sampling.seed)
        let count = min(sampling.backgroundCount, candidates.count)
        for i in 0..<count {
            let j = i + Int(rng.next() % UInt64(candidates.count - i))
            candidates.swapAt(i, j)
        }
        let negatives = Array(candidates.prefix(count))
        let all = positives + negatives
        return CellSamples(cells: all, labels: positives.map { _ in 1 } + negatives.map { _ in 0 },
                           features: all.map { features(stack, cell: $0) })
    }

    /// A raster of `score(features)` over every valid cell (NaN elsewhere).
    static func mapped(_ stack: RasterStack, name: String, _ score: ([Double]) -> Double) throws -> Raster {
        let valid = validMask(stack)
        var values = [Float](repeating: .nan, count: stack.grid.cellCount)
        var row = [Double](repeating: 0, count: stack.count)
        for cell in 0..<stack.grid.cellCount where valid[cell] {
            for (k, layer) in stack.layers.enumerated() { row[k] = Double(layer.values[cell]) }
            values[cell] = Float(score(row))
        }
        return try Raster(grid: stack.grid, name: name, values: values)
    }
}
