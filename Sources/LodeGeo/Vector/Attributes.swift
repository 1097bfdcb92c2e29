import Foundation
import LodeTensor

/// Working with a file's attribute columns: keeping some, and holding some points back.
extension PointLayer {
    /// The points with only the named columns (in that order); the id column stays when there is one.
    public func selecting(columns names: [String]) throws -> PointLayer {
        var indices: [Int] = []
        for name in names {
            guard let index = columnIndex(name) else {
                throw GeoError("no column '\(name)'", file: source, column: name,
                               hint: "columns are \(columnNames.prefix(30).joined(separator: ", "))")
            }
            if !indices.contains(index) { indices.append(index) }
        }
        if let idColumn, let index = columnIndex(idColumn), !indices.contains(index) { indices.insert(index, at: 0) }
        var copy = self
        copy.columnNames = indices.map { columnNames[$0] }
        copy.columns = indices.map { columns[$0] }
        return copy
    }

    /// A seeded random split into (kept, held back): `fraction` of the points, rounded, are held
    /// back, at least one and at most all but one when there are two or more points.
    public func split(fraction: Double, seed: UInt64) throws -> (kept: PointLayer, heldBack: PointLayer) {
        guard fraction > 0, fraction < 1 else {
            throw GeoError("the share held back must be between 0 and 1 (exclusive), got \(fraction)", file: source)
        }
        guard count >= 2 else { throw GeoError("\(count) point(s) cannot be split in two", file: source) }
        var random = RandomStream(seed: seed, skipping: 1)
        let order = random.permutation(count)
        let held = min(max(Int((Double(count) * fraction).rounded()), 1), count - 1)
        return (subset(order[held...].sorted()), subset(order[..<held].sorted()))
    }
}
