import LodeGeo

/// Traces the boundary of a set of grid cells into closed rings, then groups them into polygons
/// (outer ring + holes) in map coordinates. Works on grid vertices (row, column), so the
/// outline follows cell edges exactly.
func outlinePolygons(cells: [Int], grid: GridSpec) -> [[[MapPoint]]] {
    let columns = grid.cols
    let members = Set(cells)
    // Vertex key: row * (columns + 1) + column.
    let stride = columns + 1
    // Directed boundary edges, keeping the region on the right when walking in (column, row)
    // space with rows pointing down. Keyed by start vertex; a vertex where two regions pinch
    // (diagonal neighbours) has two outgoing edges.
    var outgoing: [Int: [Int]] = [:]
    func add(_ r0: Int, _ c0: Int, _ r1: Int, _ c1: Int) {
        outgoing[r0 * stride + c0, default: []].append(r1 * stride + c1)
    }
    for cell in cells {
        let r = cell / columns, c = cell % columns
        let hasUp = r > 0 && members.contains(cell - columns)
        let hasDown = members.contains(cell + columns)
        let hasLeft = c > 0 && members.contains(cell - 1)
        let hasRight = c + 1 < columns && members.contains(cell + 1)
        if !hasUp { add(r, c, r, c + 1) }
        if !hasRight { add(r, c + 1, r + 1, c + 1) }
        if !hasDown { add(r + 1, c + 1, r + 1, c) }
        if !hasLeft { add(r + 1, c, r, c) }
    }

    func direction(_ from: Int, _ to: Int) -> (dr: Int, dc: Int) {
        (to / stride - from / stride, to % stride - from % stride)
    }
    var rings: [[Int]] = []
    // Start from the smallest vertex for a deterministic result.
    while let start = outgoing.keys.min() {
        var ring = [start]
        var current = start
        var heading: (dr: Int, dc: Int)? = nil
        while true {
            guard var options = outgoing[current], !options.isEmpty else { break }
            var pick = 0
            if let h = heading, options.count > 1 {
                // Prefer the right turn (toward the region), which splits pinched rings apart.
                // In (column, row-down) space, right of heading (dr, dc) is (dc, -dr).
                let right = (dr: h.dc, dc: -h.dr)
                pick = options.firstIndex { let d = direction(current, $0); return d == right } ?? 0
            }
            let next = options.remove(at: pick)
            outgoing[current] = options.isEmpty ? nil : options
            heading = direction(current, next)
            current = next
            if current == start { break }
            ring.append(current)
        }
        rings.append(ring)
    }

    // Drop vertices in the middle of straight runs.
    func simplified(_ ring: [Int]) -> [Int] {
        ring.indices.compactMap { i in
            let previous = ring[(i + ring.count - 1) % ring.count], next = ring[(i + 1) % ring.count]
            return direction(previous, ring[i]) == direction(ring[i], next) ? nil : ring[i]
        }
    }
    let mapRings: [[MapPoint]] = rings.map { ring in
        simplified(ring).map { vertex in
            let p = grid.mapPoint(row: Double(vertex / stride), column: Double(vertex % stride))
            return MapPoint(x: p.x, y: p.y)
        }
    }
    // Outer rings and holes have opposite orientation; which sign is "outer" depends on the
    // orientation of the grid's axes, so decide from the ring that encloses the most area.
    let areas = mapRings.map(signedArea)
    guard let largest = areas.indices.max(by: { abs(areas[$0]) < abs(areas[$1]) }) else { return [] }
    let outerSign = areas[largest] > 0 ? 1.0 : -1.0
    var polygons: [[[MapPoint]]] = []
    var outerIndices: [Int] = []
    for i in mapRings.indices where areas[i] * outerSign > 0 {
        // GeoJSON: outer rings counter-clockwise (positive area).
        polygons.append([areas[i] > 0 ? mapRings[i] : mapRings[i].reversed()])
        outerIndices.append(i)
    }
    for i in mapRings.indices where areas[i] * outerSign < 0 {
        let hole = areas[i] < 0 ? mapRings[i] : Array(mapRings[i].reversed())
        // A hole edge's midpoint lies inside its outer ring and on no other ring.
        let probe = MapPoint(x: (hole[0].x + hole[1].x) / 2, y: (hole[0].y + hole[1].y) / 2)
        let owner = outerIndices.indices
            .filter { contains(mapRings[outerIndices[$0]], probe) }
            .min { abs(areas[outerIndices[$0]]) < abs(areas[outerIndices[$1]]) }
        if let owner { polygons[owner].append(hole) }
    }
    return polygons.map { polygon in polygon.map { $0 + [$0[0]] } }
}

/// Shoelace area: positive for counter-clockwise rings (x right, y up).
func signedArea(_ ring: [MapPoint]) -> Double {
    var sum = 0.0
    for i in ring.indices {
        let a = ring[i], b = ring[(i + 1) % ring.count]
        sum += a.x * b.y - b.x * a.y
    }
    return sum / 2
}

/// Even-odd ray casting.
func contains(_ ring: [MapPoint], _ point: MapPoint) -> Bool {
    var inside = false
    var j = ring.count - 1
    for i in ring.indices {
        let a = ring[i], b = ring[j]
        if (a.y > point.y) != (b.y > point.y),
           point.x < (b.x - a.x) * (point.y - a.y) / (b.y - a.y) + a.x {
            inside.toggle()
        }
        j = i
    }
    return inside
}
