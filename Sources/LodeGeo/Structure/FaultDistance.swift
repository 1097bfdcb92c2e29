import Dispatch
import Foundation

/// Distance from points to polylines, and the fault-influence layer built from it.
public enum FaultDistance {
    /// Exact Euclidean distance from a point to the segment [a, b].
    @inline(__always)
    public static func pointToSegment(_ p: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
        let ab = b - a, ap = p - a
        let length2 = (ab * ab).sum()
        let t = length2 > 0 ? min(max((ap * ab).sum() / length2, 0), 1) : 0
        let d = ap - t * ab
        return (d * d).sum().squareRoot()
    }

    /// Exact distance from every cell centre to the nearest segment of `lines` (map units).
    /// Cells are handled in 16 x 16 blocks: a segment can be nearest to some cell of a block only
    /// if its distance to the block centre is within the block's diagonal of the smallest such
    /// distance, so each cell checks only those candidates and the result stays exact.
    public static func raster(_ lines: LineLayer, grid: GridSpec, name: String = "fault_distance", reproject: Bool = true) throws -> Raster {
        let aligned = try lines.aligned(to: grid, reproject: reproject)
        let segments = aligned.segments
        guard !segments.isEmpty else { throw GeoError("there are no fault segments to measure distance to", file: lines.source) }
        let block = 16
        let blockRows = (grid.rows + block - 1) / block, blockCols = (grid.cols + block - 1) / block
        let halfDiagonal = Double(block) * grid.cellSize * 0.5 * 2.0.squareRoot()
        var output = [Float](repeating: 0, count: grid.cellCount)
        output.withUnsafeMutableBufferPointer { out in
            let out = out
            DispatchQueue.concurrentPerform(iterations: blockRows * blockCols) { b in
                let br = b / blockCols, bc = b % blockCols
                let rows = (br * block)..<min(grid.rows, (br + 1) * block)
                let cols = (bc * block)..<min(grid.cols, (bc + 1) * block)
                let centre = SIMD2(grid.west + (Double(bc * block) + Double(block) / 2) * grid.cellSize,
                                   grid.north - (Double(br * block) + Double(block) / 2) * grid.cellSize)
                let toCentre = segments.map { pointToSegment(centre, $0.0, $0.1) }
                let nearest = toCentre.min()!
                let candidates = segments.indices.filter { toCentre[$0] <= nearest + 2 * halfDiagonal + 1e-9 }
                for r in rows {
                    for c in cols {
                        let p = SIMD2(grid.centreX(col: c), grid.centreY(row: r))
                        var best = Double.infinity
                        for s in candidates { best = min(best, pointToSegment(p, segments[s].0, segments[s].1)) }
                        out[r * grid.cols + c] = Float(best)
                    }
                }
            }
        }
        return try Raster(grid: grid, name: name, values: output)
    }

    /// Distance from arbitrary points to the nearest segment (brute force; for few points).
    public static func distances(x: [Double], y: [Double], to lines: LineLayer) -> [Double] {
        let segments = lines.segments
        return zip(x, y).map { px, py in
            segments.reduce(Double.infinity) { min($0, pointToSegment(SIMD2(px, py), $1.0, $1.1)) }
        }
    }
}

/// Multi-ring buffer reclassification: the paper's fault-influence score.
///
/// Boundary convention: ring i is the half-open interval (edges[i-1], edges[i]], the first ring
/// being [0, edges[0]]. A distance exactly on an edge belongs to the inner ring, so with the
/// defaults 0-500 m scores 6, (500, 1000] scores 5, ..., (2500, 3000] scores 1, beyond 3000 m 0.
public struct RingBuffer: Sendable {
    public var edges: [Double]
    public var scores: [Float]
    public var beyond: Float

    public init(edges: [Double] = [500, 1000, 1500, 2000, 2500, 3000], scores: [Float]? = nil, beyond: Float = 0) throws {
        guard !edges.isEmpty, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }), edges[0] > 0 else {
            throw GeoError("ring edges must be positive and increasing, got \(edges)")
        }
        let resolved = scores ?? (0..<edges.count).map { Float(edges.count - $0) }
        guard resolved.count == edges.count else {
            throw GeoError("\(edges.count) ring edges need \(edges.count) scores, got \(resolved.count)")
        }
        self.edges = edges
        self.scores = resolved
        self.beyond = beyond
    }

    public func score(distance: Double) -> Float {
        for (edge, score) in zip(edges, scores) where distance <= edge { return score }
        return beyond
    }

    public func reclassified(_ distance: Raster, name: String = "fault_influence") -> Raster {
        var copy = distance
        copy.name = name
        copy.values = distance.values.map { $0.isNaN ? .nan : score(distance: Double($0)) }
        return copy
    }

    /// Distance to the faults, then scores: the fault layer of the paper's stack.
    public func influence(of lines: LineLayer, grid: GridSpec, name: String = "fault_influence") throws -> Raster {
        reclassified(try FaultDistance.raster(lines, grid: grid), name: name)
    }
}
