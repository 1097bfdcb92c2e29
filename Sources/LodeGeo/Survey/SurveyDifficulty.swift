import Foundation
import LodeTensor

/// How hard the built-in survey is: the AUC of single layers at telling hidden deposits from
/// random cells. Both should sit in 0.65-0.85, so that the data carry signal and a model still
/// has something to add by combining layers.
public struct SurveyDifficulty: Sendable, CustomStringConvertible {
    public var preset: String
    public var seed: UInt64
    /// AUC of the IDW Au layer (global, power 2).
    public var goldAUC: Double
    /// AUC of the fault-influence layer (ring scores 6..1, 0 beyond 3 km).
    public var faultAUC: Double
    public var hiddenDeposits: Int
    public var randomCells: Int

    public var description: String {
        String(format: "preset %@ seed %llu: Au-layer AUC %.3f, fault-layer AUC %.3f (%d hidden deposits vs %d random cells)",
               preset, seed, goldAUC, faultAUC, hiddenDeposits, randomCells)
    }
}

extension SyntheticSurvey {
    /// Computes the difficulty figures on cell centres (hidden deposits' cells vs `randomCells`
    /// seeded random cells), exactly as the layers of the stack would give them.
    public func difficulty(randomCells: Int = 2000, seed evaluationSeed: UInt64 = 1) throws -> SurveyDifficulty {
        guard hiddenDeposits.count > 0 else { throw GeoError("the survey has no hidden deposits to evaluate against") }
        let table = try samples.cleaned(elements: ["Au"])
        var random = RandomStream(seed: evaluationSeed, skipping: 1)
        var xs: [Double] = [], ys: [Double] = []
        for i in 0..<hiddenDeposits.count {
            guard let cell = grid.cell(x: hiddenDeposits.x[i], y: hiddenDeposits.y[i]) else { continue }
            xs.append(grid.centreX(col: cell.col)); ys.append(grid.centreY(row: cell.row))
        }
        let positives = xs.count
        for _ in 0..<randomCells {
            xs.append(grid.centreX(col: random.index(below: grid.cols)))
            ys.append(grid.centreY(row: random.index(below: grid.rows)))
        }
        let gold = try IDW.interpolate(table, element: "Au", atX: xs, atY: ys)
        let rings = try RingBuffer()
        let fault = FaultDistance.distances(x: xs, y: ys, to: faults).map { Double(rings.score(distance: $0)) }
        return SurveyDifficulty(preset: preset.name, seed: seed,
                                goldAUC: rankAUC(positives: Array(gold.prefix(positives)), negatives: Array(gold.dropFirst(positives))) ?? .nan,
                                faultAUC: rankAUC(positives: Array(fault.prefix(positives)), negatives: Array(fault.dropFirst(positives))) ?? .nan,
                                hiddenDeposits: positives, randomCells: randomCells)
    }
}
