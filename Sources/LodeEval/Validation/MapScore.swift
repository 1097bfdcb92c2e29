import LodeGeo

/// How well a map ranks a set of deposits against the whole area: the measure every map
/// (a model's, a baseline's) is judged by. Only cells with a finite score count as area.
public struct MapScore: Sendable, Equatable {
    /// Area under the success-rate curve: the AUC of the deposits' cells against every valid
    /// cell (0.5 = no better than placing deposits at random).
    public var successArea: Double
    /// Share of the deposits inside the most prospective 5 %, 10 % and 20 % of the area.
    public var top5: Double
    public var top10: Double
    public var top20: Double
    /// For each deposit (in the order given), the share of the area whose score is below its
    /// cell's, ties counted one half: 1 = the best cell of the map, 0.5 = a median cell.
    public var percentiles: [Double]
    /// Deposits scored (those on the grid and on a valid cell).
    public var depositCount: Int
    /// Deposits skipped because they lie off the grid or on a cell without a score.
    public var skipped: Int

    /// The three capture shares by their area share, for tables.
    public var captured: [(area: Double, share: Double)] { [(0.05, top5), (0.10, top10), (0.20, top20)] }
}

/// Scores a map against deposit locations. Deposits off the grid or on a cell without a score
/// are skipped and counted in `skipped`; when none is left the map cannot be scored.
public func scoreMap(_ map: Raster, x: [Double], y: [Double], operation: String = "score_map") throws -> MapScore {
    guard x.count == y.count else { throw EvalError(operation, "\(x.count) x coordinates but \(y.count) y coordinates") }
    var cells: [Int] = []
    var skipped = 0
    for i in x.indices {
        if let cell = map.grid.cell(x: x[i], y: y[i]), map.values[cell.row * map.grid.cols + cell.col].isFinite {
            cells.append(cell.row * map.grid.cols + cell.col)
        } else {
            skipped += 1
        }
    }
    guard !cells.isEmpty else {
        throw EvalError(operation, x.isEmpty ? "no deposits given" : "none of the \(x.count) deposits lies on a valid cell of map '\(map.name)'")
    }
    if map.values.allSatisfy({ !$0.isFinite }) { throw EvalError(operation, "map '\(map.name)' has no valid cell") }
    let curve = try successRateCurve(probabilities: map.values, depositCells: cells)
    return MapScore(successArea: curve.area,
                    top5: curve.depositShare(atArea: 0.05), top10: curve.depositShare(atArea: 0.10), top20: curve.depositShare(atArea: 0.20),
                    percentiles: areaPercentiles(map.values, cells: cells), depositCount: cells.count, skipped: skipped)
}

public func scoreMap(_ map: Raster, deposits: PointLayer, operation: String = "score_map") throws -> MapScore {
    try scoreMap(map, x: deposits.x, y: deposits.y, operation: operation)
}

/// Share of the valid cells scoring below each cell's score (ties one half), by binary search
/// in the sorted valid scores.
func areaPercentiles(_ values: [Float], cells: [Int]) -> [Double] {
    let sorted = values.filter(\.isFinite).sorted()
    let n = Double(sorted.count)
    func firstIndex(where predicate: (Float) -> Bool) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if predicate(sorted[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
    return cells.map { cell in
        let v = values[cell]
        let below = firstIndex { $0 >= v }
        let notAbove = firstIndex { $0 > v }
        return (Double(below) + Double(notAbove - below) / 2) / n
    }
}

/// Mean and standard deviation (n - 1) of a measure over folds; the spread is 0 for one fold.
public struct FoldSummary: Sendable, Equatable {
    public var mean: Double
    public var spread: Double
    public var count: Int

    public init(_ values: [Double]) {
        let finite = values.filter(\.isFinite)
        count = finite.count
        mean = finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
        if finite.count > 1 {
            let m = mean
            spread = (finite.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(finite.count - 1)).squareRoot()
        } else {
            spread = 0
        }
    }
}
