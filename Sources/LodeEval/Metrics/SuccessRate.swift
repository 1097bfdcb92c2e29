/// Success-rate curve: walking the map from the most to the least prospective cell, the share
/// of the area covered against the share of deposits captured. Cells with equal probability are
/// taken together (one step), so the curve does not depend on how ties are ordered.
public struct SuccessRateCurve: Equatable, Sendable {
    /// Starts at 0 and ends at 1.
    public var areaShares: [Double]
    public var depositShares: [Double]
    /// Probability at each step (cells >= threshold are counted); the first is +infinity.
    public var thresholds: [Double]

    /// Area under the success-rate curve (0.5 = no better than random placement).
    public var area: Double {
        var sum = 0.0
        for i in 1..<areaShares.count {
            sum += (areaShares[i] - areaShares[i - 1]) * (depositShares[i] + depositShares[i - 1]) / 2
        }
        return sum
    }

    /// Share of deposits captured within the most prospective `areaShare` of the map,
    /// linear between steps.
    public func depositShare(atArea areaShare: Double) -> Double {
        for i in 1..<areaShares.count where areaShares[i] >= areaShare {
            let span = areaShares[i] - areaShares[i - 1]
            let t = span == 0 ? 1 : (areaShare - areaShares[i - 1]) / span
            return depositShares[i - 1] + t * (depositShares[i] - depositShares[i - 1])
        }
        return 1
    }
}

/// Probability of every mapped cell plus the cells that hold deposits; cells whose probability
/// is NaN (outside the surveyed area) count neither as area nor as captured deposits.
struct CellRanking {
    var probabilities: [Double]     // valid cells only
    var depositsPerCell: [Double]   // aligned with probabilities
    var totalDeposits: Double

    init(probabilities: [Float], depositCells: [Int], operation: String) throws {
        if probabilities.isEmpty { throw EvalError(operation, "the probability map is empty") }
        if depositCells.isEmpty { throw EvalError(operation, "no deposits given; the curve needs at least one") }
        var deposits = [Double](repeating: 0, count: probabilities.count)
        for (k, cell) in depositCells.enumerated() {
            guard cell >= 0 && cell < probabilities.count else {
                throw EvalError(operation, "deposit \(k) lies in cell \(cell), outside the map's \(probabilities.count) cells")
            }
            guard probabilities[cell].isFinite else {
                throw EvalError(operation, "deposit \(k) lies in cell \(cell), which has no probability (NaN)")
            }
            deposits[cell] += 1
        }
        var kept: [Double] = []
        var keptDeposits: [Double] = []
        for (cell, p) in probabilities.enumerated() where p.isFinite {
            kept.append(Double(p))
            keptDeposits.append(deposits[cell])
        }
        self.probabilities = kept
        self.depositsPerCell = keptDeposits
        self.totalDeposits = Double(depositCells.count)
    }

    /// (threshold, cells >= threshold, deposits in them), one entry per distinct probability,
    /// highest first.
    func steps() -> [(threshold: Double, cells: Double, deposits: Double)] {
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        var result: [(Double, Double, Double)] = []
        var deposits = 0.0
        for (rank, index) in order.enumerated() {
            deposits += depositsPerCell[index]
            if rank == order.count - 1 || probabilities[order[rank + 1]] != probabilities[index] {
                result.append((probabilities[index], Double(rank + 1), deposits))
            }
        }
        return result
    }
}

/// `probabilities`: the prospectivity map (row-major, NaN outside the area);
/// `depositCells`: row-major cell index of each deposit (a cell may hold several).
public func successRateCurve(probabilities: [Float], depositCells: [Int]) throws -> SuccessRateCurve {
    let ranking = try CellRanking(probabilities: probabilities, depositCells: depositCells,
                                  operation: "success_rate")
    let cellCount = Double(ranking.probabilities.count)
    var curve = SuccessRateCurve(areaShares: [0], depositShares: [0], thresholds: [.infinity])
    for step in ranking.steps() {
        curve.areaShares.append(step.cells / cellCount)
        curve.depositShares.append(step.deposits / ranking.totalDeposits)
        curve.thresholds.append(step.threshold)
    }
    return curve
}
