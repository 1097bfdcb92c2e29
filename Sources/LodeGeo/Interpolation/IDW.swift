import Dispatch
import Foundation
import LodeTensor

/// Inverse distance weighting options. Defaults follow QGIS/ArcGIS: power 2 over all samples.
public struct IDWOptions: Sendable {
    public var power: Double = 2
    /// Use only the k nearest samples (with a value for the element) of each cell.
    public var neighbours: Int?
    /// Use only samples within this many map units; cells with none stay missing.
    public var searchRadius: Double?

    public init(power: Double = 2, neighbours: Int? = nil, searchRadius: Double? = nil) {
        self.power = power
        self.neighbours = neighbours
        self.searchRadius = searchRadius
    }
}

/// Inverse distance weighting: value = sum(w_i v_i) / sum(w_i), w_i = 1 / d_i^p. A cell centre that
/// coincides with samples takes their mean (IDW is exact at the samples). Missing values are
/// skipped element by element.
public enum IDW {
    /// Grids the chosen elements (all by default) onto `grid`, one layer per element.
    public static func interpolate(_ samples: SampleTable, onto grid: GridSpec, elements: [String]? = nil,
                                   options: IDWOptions = IDWOptions(), reproject: Bool = true) throws -> RasterStack {
        let table = try samples.aligned(to: grid, reproject: reproject)
        try InterpolationChecks.checkCoverage(table, grid: grid)
        let names = elements ?? table.elements
        let columns = try names.map { try table.values(of: $0) }
        try validate(options, table: table, names: names, columns: columns)
        let gridded: [[Float]]
        if options.power == 2, options.neighbours == nil, options.searchRadius == nil {
            gridded = try GlobalIDWKernel.run(x: table.x, y: table.y, columns: columns, grid: grid)
        } else {
            try MemoryBudget.require(elements: Double(grid.rows) * Double(grid.cols) * Double(4 + 3 * names.count),
                                     what: "idw onto a grid of \(grid.rows)×\(grid.cols) cells × \(names.count) elements",
                                     change: "use a larger cell size or fewer elements")
            var targetsX = [Double](repeating: 0, count: grid.cellCount)
            var targetsY = targetsX
            for r in 0..<grid.rows {
                for c in 0..<grid.cols {
                    targetsX[r * grid.cols + c] = grid.centreX(col: c)
                    targetsY[r * grid.cols + c] = grid.centreY(row: r)
                }
            }
            gridded = try columns.map { column in
                try pointwise(x: table.x, y: table.y, values: column, atX: targetsX, atY: targetsY, options: options).map { Float($0) }
            }
        }
        let layers = try zip(names, gridded).map { try Raster(grid: grid, name: $0, values: $1) }
        InterpolationChecks.warnIfConstant(layers)
        return try RasterStack(grid: grid, layers: layers)
    }

    /// IDW of one element at arbitrary locations, in double precision (used for checks, for the
    /// survey's difficulty figures, and for limited-neighbourhood IDW).
    public static func interpolate(_ samples: SampleTable, element: String, atX: [Double], atY: [Double],
                                   options: IDWOptions = IDWOptions()) throws -> [Double] {
        let column = try samples.values(of: element)
        try validate(options, table: samples, names: [element], columns: [column])
        return try pointwise(x: samples.x, y: samples.y, values: column, atX: atX, atY: atY, options: options)
    }

    static func validate(_ options: IDWOptions, table: SampleTable, names: [String], columns: [[Double]]) throws {
        guard options.power > 0, options.power.isFinite else {
            throw GeoError("IDW power must be positive, got \(options.power)")
        }
        if let k = options.neighbours, k < 1 { throw GeoError("IDW needs at least 1 neighbour, got \(k)") }
        if let r = options.searchRadius, !(r > 0) { throw GeoError("IDW search radius must be positive, got \(r)") }
        for (name, column) in zip(names, columns) where !column.contains(where: { !$0.isNaN }) {
            throw GeoError("element '\(name)' has no valid sample to interpolate", file: table.source, column: name)
        }
    }

    static func pointwise(x: [Double], y: [Double], values: [Double], atX: [Double], atY: [Double], options: IDWOptions) throws -> [Double] {
        let present = values.indices.filter { !values[$0].isNaN }
        let px = present.map { x[$0] }, py = present.map { y[$0] }, pv = present.map { values[$0] }
        let index = (options.neighbours != nil || options.searchRadius != nil) ? PointIndex(x: px, y: py) : nil
        let halfPower = options.power / 2
        var result = [Double](repeating: .nan, count: atX.count)
        let chunk = 256
        let chunks = (atX.count + chunk - 1) / chunk
        let perCell = Double(options.neighbours.map { min($0, pv.count) * 20 } ?? pv.count)
        try result.withUnsafeMutableBufferPointer { out in
            let out = out
            try WorkMonitor.concurrentBatches(count: chunks, costPerItem: Double(chunk) * perCell,
                                              what: "idw: \(atX.count) cells") { block in
                for t in (block * chunk)..<min(atX.count, (block + 1) * chunk) {
                    let candidates: [(index: Int, squaredDistance: Double)]
                    if let index {
                        if let k = options.neighbours {
                            candidates = index.nearest(k, x: atX[t], y: atY[t], maximumDistance: options.searchRadius ?? .infinity)
                        } else {
                            candidates = index.within(options.searchRadius ?? .infinity, x: atX[t], y: atY[t])
                        }
                    } else {
                        candidates = pv.indices.map { i in
                            let dx = px[i] - atX[t], dy = py[i] - atY[t]
                            return (i, dx * dx + dy * dy)
                        }
                    }
                    var numerator = 0.0, denominator = 0.0, exactSum = 0.0, exactCount = 0.0
                    for (i, d2) in candidates {
                        if d2 == 0 {
                            exactSum += pv[i]; exactCount += 1
                            continue
                        }
                        let w = halfPower == 1 ? 1 / d2 : pow(d2, -halfPower)
                        numerator += w * pv[i]
                        denominator += w
                    }
                    if exactCount > 0 {
                        out[t] = exactSum / exactCount
                    } else if denominator > 0 {
                        out[t] = numerator / denominator
                    }
                }
            }
        }
        return result
    }
}
