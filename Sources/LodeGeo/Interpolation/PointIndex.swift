import Foundation

/// A uniform-bin spatial index over points, for k-nearest and radius queries (IDW with limits,
/// kriging neighbourhoods, spacing checks). Exact: queries return the true nearest points.
public struct PointIndex: Sendable {
    public let x: [Double]
    public let y: [Double]
    let west: Double
    let south: Double
    let binSize: Double
    let binCols: Int
    let binRows: Int
    /// Points of bin b are order[start[b] ..< start[b + 1]].
    let start: [Int]
    let order: [Int]

    public init(x: [Double], y: [Double], binSize requested: Double? = nil) {
        self.x = x
        self.y = y
        let extent = Extent(x: x, y: y) ?? Extent(west: 0, south: 0, east: 1, north: 1)
        let area = max(extent.width * extent.height, 1)
        let size = requested ?? max((area / Double(max(x.count, 1))).squareRoot() * 2, 1e-9)
        west = extent.west
        south = extent.south
        binSize = size
        binCols = max(1, Int(extent.width / size) + 1)
        binRows = max(1, Int(extent.height / size) + 1)
        var counts = [Int](repeating: 0, count: binCols * binRows + 1)
        var binOf = [Int](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let c = min(binCols - 1, max(0, Int((x[i] - extent.west) / size)))
            let r = min(binRows - 1, max(0, Int((y[i] - extent.south) / size)))
            binOf[i] = r * binCols + c
            counts[binOf[i] + 1] += 1
        }
        for b in 1..<counts.count { counts[b] += counts[b - 1] }
        var fill = counts
        var order = [Int](repeating: 0, count: x.count)
        for i in 0..<x.count {
            order[fill[binOf[i]]] = i
            fill[binOf[i]] += 1
        }
        start = counts
        self.order = order
    }

    public var count: Int { x.count }

    private func binCoordinates(_ px: Double, _ py: Double) -> (Int, Int) {
        (Int(((px - west) / binSize).rounded(.down)), Int(((py - south) / binSize).rounded(.down)))
    }

    /// Calls `body(index, squaredDistance)` for the points in the ring of bins at Chebyshev
    /// distance `ring` from the bin (bc, br), visiting only bins that exist.
    private func visitRing(_ bc: Int, _ br: Int, _ ring: Int, _ px: Double, _ py: Double, _ body: (Int, Double) -> Void) {
        func visitBin(_ r: Int, _ c: Int) {
            let b = r * binCols + c
            for k in start[b]..<start[b + 1] {
                let i = order[k]
                let dx = x[i] - px, dy = y[i] - py
                body(i, dx * dx + dy * dy)
            }
        }
        let rowLow = max(br - ring, 0), rowHigh = min(br + ring, binRows - 1)
        guard rowLow <= rowHigh else { return }
        for r in rowLow...rowHigh {
            if r == br - ring || r == br + ring {
                let colLow = max(bc - ring, 0), colHigh = min(bc + ring, binCols - 1)
                if colLow <= colHigh { for c in colLow...colHigh { visitBin(r, c) } }
            } else {
                if bc - ring >= 0 && bc - ring < binCols { visitBin(r, bc - ring) }
                if ring > 0 && bc + ring >= 0 && bc + ring < binCols { visitBin(r, bc + ring) }
            }
        }
    }

    /// Chebyshev distance (in bins) from bin (bc, br) to the nearest existing bin.
    private func firstRing(_ bc: Int, _ br: Int) -> Int {
        max(0, -bc, bc - (binCols - 1), -br, br - (binRows - 1))
    }

    /// Indices and squared distances of the k nearest points, nearest first (ties by index).
    public func nearest(_ k: Int, x px: Double, y py: Double, maximumDistance: Double = .infinity) -> [(index: Int, squaredDistance: Double)] {
        guard k > 0, count > 0 else { return [] }
        let (bc, br) = binCoordinates(px, py)
        var found: [(index: Int, squaredDistance: Double)] = []
        let first = firstRing(bc, br)
        let lastRing = first + max(binCols, binRows) + 1
        let limit2 = maximumDistance * maximumDistance
        var ring = first
        while ring <= lastRing {
            visitRing(bc, br, ring, px, py) { i, d2 in
                if d2 <= limit2 { found.append((i, d2)) }
            }
            // Points in rings beyond this one are at least `ring * binSize` away.
            let covered = Double(ring) * binSize
            if found.count >= k {
                found.sort { $0.squaredDistance < $1.squaredDistance || ($0.squaredDistance == $1.squaredDistance && $0.index < $1.index) }
                if found[k - 1].squaredDistance <= covered * covered { return Array(found.prefix(k)) }
            }
            if covered > maximumDistance { break }
            ring += 1
        }
        found.sort { $0.squaredDistance < $1.squaredDistance || ($0.squaredDistance == $1.squaredDistance && $0.index < $1.index) }
        return Array(found.prefix(k))
    }

    /// Indices and squared distances of all points within `radius`.
    public func within(_ radius: Double, x px: Double, y py: Double) -> [(index: Int, squaredDistance: Double)] {
        let (bc, br) = binCoordinates(px, py)
        let first = firstRing(bc, br)
        let rings = min(Int((radius / binSize).rounded(.up)) + 1, first + max(binCols, binRows) + 1)
        var found: [(index: Int, squaredDistance: Double)] = []
        let r2 = radius * radius
        guard first <= rings else { return [] }
        for ring in first...rings {
            visitRing(bc, br, ring, px, py) { i, d2 in if d2 <= r2 { found.append((i, d2)) } }
        }
        return found
    }
}
