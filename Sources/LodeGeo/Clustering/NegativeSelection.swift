import Foundation
import LodeTensor

/// Chooses "barren" training points the way the paper did: cells of low clusters (K-means on Au),
/// away from faults and from known deposits, spread apart. Every choice is seeded.
public struct NegativeSelection: Sendable {
    /// Cluster labels allowed (0-based after renumbering by mean: the paper's clusters 1-3 are 0, 1, 2).
    public var clusters: Set<Int> = [0, 1, 2]
    public var count: Int = 11
    /// Minimum distance to any fault (map units).
    public var minimumFaultDistance: Double = 3000
    /// Minimum distance to any deposit (map units).
    public var minimumDepositDistance: Double = 3000
    /// Minimum distance between two chosen negatives.
    public var minimumSpacing: Double = 2000
    /// Cells closer than this many cells to the grid edge are not used (so that their window fits).
    public var edgeMargin: Int = 16
    public var seed: UInt64 = 0

    public init(clusters: Set<Int> = [0, 1, 2], count: Int = 11, minimumFaultDistance: Double = 3000,
                minimumDepositDistance: Double = 3000, minimumSpacing: Double = 2000, edgeMargin: Int = 16, seed: UInt64 = 0) {
        self.clusters = clusters
        self.count = count
        self.minimumFaultDistance = minimumFaultDistance
        self.minimumDepositDistance = minimumDepositDistance
        self.minimumSpacing = minimumSpacing
        self.edgeMargin = edgeMargin
        self.seed = seed
    }

    /// - Parameters:
    ///   - clusterLabels: the K-means label raster.
    ///   - faultDistance: distance-to-fault raster on the same grid (nil: no fault condition).
    ///   - deposits: known deposits (their distance condition).
    /// - Returns: points at the chosen cell centres, ids "N1", "N2", ...
    public func select(clusterLabels: Raster, faultDistance: Raster?, deposits: PointLayer) throws -> PointLayer {
        guard deposits.count > 0 else {
            throw GeoError("there are no deposits, so negatives cannot be placed away from them", file: deposits.source)
        }
        guard count > 0 else { throw GeoError("the number of negatives must be positive, got \(count)") }
        let grid = clusterLabels.grid
        let depositIndex = PointIndex(x: deposits.x, y: deposits.y)
        var candidates: [Int] = []
        for r in edgeMargin..<max(edgeMargin, grid.rows - edgeMargin) {
            for c in edgeMargin..<max(edgeMargin, grid.cols - edgeMargin) {
                let cell = r * grid.cols + c
                let label = clusterLabels.values[cell]
                guard !label.isNaN, clusters.contains(Int(label)) else { continue }
                if let faultDistance, !(Double(faultDistance.values[cell]) >= minimumFaultDistance) { continue }
                let x = grid.centreX(col: c), y = grid.centreY(row: r)
                if let nearest = depositIndex.nearest(1, x: x, y: y).first,
                   nearest.squaredDistance < minimumDepositDistance * minimumDepositDistance { continue }
                candidates.append(cell)
            }
        }
        guard candidates.count >= count else {
            throw GeoError("\(count) negatives were requested but only \(candidates.count) cells are in clusters \(clusters.sorted()) at least \(minimumFaultDistance) m from faults and \(minimumDepositDistance) m from deposits",
                           hint: "ask for fewer negatives, allow more clusters or lower the distances")
        }
        var random = RandomStream(seed: seed, skipping: 1)
        let order = random.permutation(candidates.count)
        var chosenX: [Double] = [], chosenY: [Double] = []
        for position in order {
            let cell = candidates[position]
            let x = grid.centreX(col: cell % grid.cols), y = grid.centreY(row: cell / grid.cols)
            let spaced = zip(chosenX, chosenY).allSatisfy { ($0 - x) * ($0 - x) + ($1 - y) * ($1 - y) >= minimumSpacing * minimumSpacing }
            if spaced { chosenX.append(x); chosenY.append(y) }
            if chosenX.count == count { break }
        }
        guard chosenX.count == count else {
            throw GeoError("only \(chosenX.count) of \(count) negatives fit at least \(minimumSpacing) m apart among \(candidates.count) candidate cells",
                           hint: "lower the spacing or ask for fewer negatives")
        }
        let ids = (1...count).map { "N\($0)" }
        return try PointLayer(x: chosenX, y: chosenY, columnNames: ["id"], columns: [ids], crs: grid.crs,
                              source: "negative selection", idColumn: "id")
    }
}
