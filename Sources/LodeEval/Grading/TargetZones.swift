import LodeGeo

/// Which neighbours join cells into one zone. Eight-connectivity (the default) joins cells that
/// touch at a corner, as a geologist would outline a diagonal trend; four joins edges only.
public enum Connectivity: Int, Sendable {
    case four = 4, eight = 8

    var offsets: [(Int, Int)] {
        let edges = [(-1, 0), (1, 0), (0, -1), (0, 1)]
        return self == .four ? edges : edges + [(-1, -1), (-1, 1), (1, -1), (1, 1)]
    }
}

/// A point deposit on the map; `name` is carried into the zone table.
public struct Deposit: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public var name: String

    public init(x: Double, y: Double, name: String = "") {
        self.x = x
        self.y = y
        self.name = name
    }

    /// One deposit per point, named by the layer's id column (or its row number).
    public static func from(_ points: PointLayer) -> [Deposit] {
        let ids = points.ids
        return (0..<points.count).map { Deposit(x: points.x[$0], y: points.y[$0], name: ids[$0]) }
    }
}

/// One connected region of cells of one class.
public struct TargetZone: Equatable, Sendable {
    /// 1-based, ordered by class (A first), then by highest probability.
    public var id: Int
    public var grade: ProspectivityClass
    /// Row-major cell indices.
    public var cells: [Int]
    /// Ground area in squared map units.
    public var area: Double
    public var maxProbability: Double
    public var meanProbability: Double
    /// Mean of the cell centres, in map coordinates.
    public var centroidX: Double
    public var centroidY: Double
    public var knownDeposits: [String]
    public var hiddenDeposits: [String]
    /// Outline as polygons in map coordinates: each polygon is an outer ring (counter-clockwise)
    /// followed by its holes (clockwise), each ring closed (last point = first), as in GeoJSON.
    public var polygons: [[[MapPoint]]]
}

public struct MapPoint: Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// All target zones of a graded map, with the grid they came from.
public struct ZoneSet: Equatable, Sendable {
    public var zones: [TargetZone]
    public var thresholds: GradeThresholds
    public var connectivity: Connectivity
    /// The grid of the graded map (cells are row-major indices on it).
    public var grid: GridSpec
    /// Deposits that fell outside every zone (or outside the grid).
    public var unzonedKnownDeposits: [String]
    public var unzonedHiddenDeposits: [String]

    public var rows: Int { grid.rows }
    public var columns: Int { grid.cols }
    /// The CRS as exports write it ("EPSG:n" or WKT).
    public var crs: String? { grid.crs?.shortText }

    /// Per cell: 3 = A, 2 = B, 1 = C, 0 = ungraded.
    public var classGrid: [UInt8] {
        var grid = [UInt8](repeating: 0, count: rows * columns)
        for zone in zones { for cell in zone.cells { grid[cell] = UInt8(zone.grade.rank) } }
        return grid
    }
}

/// Grades `probability` with `thresholds` and splits each class into connected zones.
/// Deposits are map points; each is counted in the zone whose cell holds it.
public func targetZones(probability: Raster, thresholds: GradeThresholds = .paper,
                        connectivity: Connectivity = .eight,
                        knownDeposits: [Deposit] = [], hiddenDeposits: [Deposit] = []) -> ZoneSet {
    let grid = probability.grid
    let rows = grid.rows, columns = grid.cols
    let grades = probability.values.map { thresholds.classify($0) }
    var zoneOfCell = [Int](repeating: -1, count: rows * columns)
    var regions: [(grade: ProspectivityClass, cells: [Int])] = []
    for start in grades.indices {
        guard let grade = grades[start], zoneOfCell[start] < 0 else { continue }
        // Flood fill with an explicit stack: zones can cover most of a large map.
        let label = regions.count
        var cells: [Int] = []
        var stack = [start]
        zoneOfCell[start] = label
        while let cell = stack.popLast() {
            cells.append(cell)
            let r = cell / columns, c = cell % columns
            for (dr, dc) in connectivity.offsets {
                let nr = r + dr, nc = c + dc
                guard nr >= 0, nr < rows, nc >= 0, nc < columns else { continue }
                let neighbour = nr * columns + nc
                if zoneOfCell[neighbour] < 0 && grades[neighbour] == grade {
                    zoneOfCell[neighbour] = label
                    stack.append(neighbour)
                }
            }
        }
        regions.append((grade, cells.sorted()))
    }

    func assign(_ deposits: [Deposit]) -> (byRegion: [Int: [String]], outside: [String]) {
        var byRegion: [Int: [String]] = [:], outside: [String] = []
        for (k, deposit) in deposits.enumerated() {
            let name = deposit.name.isEmpty ? "deposit \(k + 1)" : deposit.name
            if let position = grid.cell(x: deposit.x, y: deposit.y), zoneOfCell[position.row * columns + position.col] >= 0 {
                byRegion[zoneOfCell[position.row * columns + position.col], default: []].append(name)
            } else {
                outside.append(name)
            }
        }
        return (byRegion, outside)
    }
    let known = assign(knownDeposits), hidden = assign(hiddenDeposits)

    var zones: [TargetZone] = regions.enumerated().map { label, region in
        let probabilities = region.cells.map { Double(probability.values[$0]) }
        var sumX = 0.0, sumY = 0.0
        for cell in region.cells {
            let centre = grid.mapPoint(row: Double(cell / columns) + 0.5, column: Double(cell % columns) + 0.5)
            sumX += centre.x
            sumY += centre.y
        }
        let n = Double(region.cells.count)
        return TargetZone(
            id: 0, grade: region.grade, cells: region.cells,
            area: n * grid.cellArea,
            maxProbability: probabilities.max() ?? 0,
            meanProbability: probabilities.reduce(0, +) / n,
            centroidX: sumX / n, centroidY: sumY / n,
            knownDeposits: known.byRegion[label] ?? [], hiddenDeposits: hidden.byRegion[label] ?? [],
            polygons: outlinePolygons(cells: region.cells, grid: grid))
    }
    zones.sort { ($0.grade.rank, $0.maxProbability, -$0.cells[0]) > ($1.grade.rank, $1.maxProbability, -$1.cells[0]) }
    for i in zones.indices { zones[i].id = i + 1 }
    return ZoneSet(zones: zones, thresholds: thresholds, connectivity: connectivity, grid: grid,
                   unzonedKnownDeposits: known.outside, unzonedHiddenDeposits: hidden.outside)
}
