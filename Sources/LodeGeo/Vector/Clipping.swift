import Foundation

/// Keeping only what lies inside an area: points by the even-odd test, lines cut where they
/// cross an edge (the pieces inside are kept, in order).
extension PointLayer {
    public func clipped(to area: PolygonLayer) throws -> PointLayer {
        let area = try area.aligned(to: crs, what: "the points'")
        return subset((0..<count).filter { area.contains(x: x[$0], y: y[$0]) })
    }
}

extension LineLayer {
    public func clipped(to area: PolygonLayer) throws -> LineLayer {
        let area = try area.aligned(to: crs, what: "the lines'")
        let edges = area.polygons.flatMap { $0.flatMap { ring in (0..<ring.count).map { (ring[$0], ring[($0 + 1) % ring.count]) } } }
        var pieces: [[SIMD2<Double>]] = []
        var pieceNames: [String] = []
        for (line, name) in zip(lines, names) {
            var current: [SIMD2<Double>] = []
            var parts: [[SIMD2<Double>]] = []
            for i in 0..<(line.count - 1) {
                let a = line[i], b = line[i + 1]
                // Where the segment crosses an edge, as fractions along it.
                var cuts: [Double] = [0, 1]
                for (p, q) in edges {
                    if let t = Self.crossing(a, b, p, q) { cuts.append(t) }
                }
                cuts.sort()
                for k in 0..<(cuts.count - 1) where cuts[k + 1] - cuts[k] > 1e-12 {
                    let start = a + (b - a) * cuts[k], end = a + (b - a) * cuts[k + 1]
                    let middle = (start + end) / 2
                    if area.contains(x: middle.x, y: middle.y) {
                        if current.isEmpty { current = [start] } else if current.last != start { parts.append(current); current = [start] }
                        current.append(end)
                    } else if !current.isEmpty {
                        parts.append(current)
                        current = []
                    }
                }
            }
            if !current.isEmpty { parts.append(current) }
            for (k, part) in parts.enumerated() where part.count >= 2 {
                pieces.append(part)
                pieceNames.append(parts.count > 1 ? "\(name) part \(k + 1)" : name)
            }
        }
        return try LineLayer(lines: pieces, names: pieceNames, crs: crs, source: source)
    }

    /// The fraction t along a→b where it crosses p→q, when it does.
    static func crossing(_ a: SIMD2<Double>, _ b: SIMD2<Double>, _ p: SIMD2<Double>, _ q: SIMD2<Double>) -> Double? {
        let r = b - a, s = q - p
        let denominator = r.x * s.y - r.y * s.x
        guard denominator != 0 else { return nil }
        let d = p - a
        let t = (d.x * s.y - d.y * s.x) / denominator
        let u = (d.x * r.y - d.y * r.x) / denominator
        guard t > 0, t < 1, u >= 0, u <= 1 else { return nil }
        return t
    }
}
