import Foundation

/// The outline of one target zone (its rings in map coordinates) and its class ("A", "B", "C").
public struct ZoneOutline: Sendable {
    public var grade: String
    public var rings: [[PlotPoint]]

    public init(grade: String, rings: [[PlotPoint]]) {
        self.grade = grade
        self.rings = rings
    }
}

/// Vector layers drawn over a map.
public struct MapOverlays: Sendable {
    public var faults: [[PlotPoint]] = []
    public var knownDeposits: [PlotPoint] = []
    public var hiddenDeposits: [PlotPoint] = []
    public var zones: [ZoneOutline] = []
    /// Any other points (sample sites, chosen negatives), small circles under the deposits.
    public var otherPoints: [PlotPoint] = []
    public var otherPointsLabel = "Points"
    /// Names written beside points (deposit names, sample ids).
    public var labels: [(point: PlotPoint, text: String)] = []

    public init(faults: [[PlotPoint]] = [], knownDeposits: [PlotPoint] = [], hiddenDeposits: [PlotPoint] = [],
                zones: [ZoneOutline] = [], otherPoints: [PlotPoint] = [], otherPointsLabel: String = "Points",
                labels: [(point: PlotPoint, text: String)] = []) {
        self.faults = faults
        self.knownDeposits = knownDeposits
        self.hiddenDeposits = hiddenDeposits
        self.zones = zones
        self.otherPoints = otherPoints
        self.otherPointsLabel = otherPointsLabel
        self.labels = labels
    }
}

extension Figure {
    /// Styles of the zone outlines, strongest for A.
    static func zoneStyle(_ grade: String) -> (color: Color, width: Double, dash: [Double]) {
        switch grade {
        case "A": return (Color(hex: 0xE0102F), 2.2, [])
        case "B": return (Color(hex: 0xFF8C1A), 1.8, [6, 3])
        default: return (Color(hex: 0xFFFFFF), 1.5, [2.5, 2])
        }
    }

    /// A raster map (row 0 at the top) placed by its GDAL geotransform, with a colour bar,
    /// map coordinates on the axes, and faults, deposits and zone outlines on top.
    public static func map(values: [Float], rows: Int, columns: Int, geoTransform: [Double], title: String,
                           colorBarLabel: String = "Probability of mineralisation", range: ClosedRange<Double>? = nil,
                           colormap: Colormap = .sequential, overlays: MapOverlays = MapOverlays(),
                           xLabel: String = "Easting (m)", yLabel: String = "Northing (m)") throws -> Figure {
        guard rows > 0, columns > 0, values.count == rows * columns else {
            throw PlotError("map has \(values.count) values for \(rows) rows x \(columns) columns")
        }
        guard geoTransform.count == 6, geoTransform[1] != 0, geoTransform[5] != 0 else {
            throw PlotError("map needs a GDAL geotransform of 6 numbers with nonzero cell sizes, got \(geoTransform)")
        }
        guard geoTransform[2] == 0, geoTransform[4] == 0 else {
            throw PlotError("map cannot draw a rotated grid (geotransform terms 2 and 4 must be 0)")
        }
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { throw PlotError("map has no finite values") }
        var colorRange = range ?? Double(low)...Double(high)
        if colorRange.upperBound <= colorRange.lowerBound { colorRange = colorRange.lowerBound...(colorRange.lowerBound + 1) }

        // Put row 0 at the top whatever the sign of the cell height.
        var grid = values
        if geoTransform[5] > 0 {
            grid = (0..<rows).reversed().flatMap { r in values[(r * columns)..<((r + 1) * columns)] }
        }
        let xs = [geoTransform[0], geoTransform[0] + Double(columns) * geoTransform[1]]
        let ys = [geoTransform[3], geoTransform[3] + Double(rows) * geoTransform[5]]
        let extent = (xMin: xs.min() ?? 0, xMax: xs.max() ?? 1, yMin: ys.min() ?? 0, yMax: ys.max() ?? 1)

        var axes = Axes(xLabel: xLabel, yLabel: yLabel)
        axes.xRange = extent.xMin...extent.xMax
        axes.yRange = extent.yMin...extent.yMax
        axes.equalAspect = true
        axes.grid = false
        axes.series.append(.image(.init(values: grid, rows: rows, columns: columns, extent: extent, colormap: colormap,
                                        range: colorRange)))
        axes.colorBar = ColorBar(colormap: colormap, range: colorRange, label: colorBarLabel)
        for grade in ["A", "B", "C"] {
            let rings = overlays.zones.filter { $0.grade == grade }.flatMap(\.rings)
            guard !rings.isEmpty else { continue }
            let style = zoneStyle(grade)
            axes.series.append(.polygons(.init(rings: rings, stroke: style.color, width: style.width, dash: style.dash,
                                               label: "Zone \(grade)")))
        }
        if !overlays.faults.isEmpty {
            axes.series.append(.polygons(.init(rings: overlays.faults, stroke: Color(hex: 0x111111, alpha: 0.85), width: 1.3,
                                               closed: false, label: "Fault")))
        }
        if !overlays.otherPoints.isEmpty {
            axes.series.append(.scatter(.init(x: overlays.otherPoints.map(\.x), y: overlays.otherPoints.map(\.y),
                                              colors: [Color(hex: 0x1F78B4)], shape: .circle, size: 5, edge: .white,
                                              label: overlays.otherPointsLabel)))
        }
        if !overlays.knownDeposits.isEmpty {
            axes.series.append(.scatter(.init(x: overlays.knownDeposits.map(\.x), y: overlays.knownDeposits.map(\.y),
                                              colors: [Color(hex: 0xE31A1C)], shape: .star, size: 13, edge: .white,
                                              label: "Known deposit")))
        }
        if !overlays.hiddenDeposits.isEmpty {
            axes.series.append(.scatter(.init(x: overlays.hiddenDeposits.map(\.x), y: overlays.hiddenDeposits.map(\.y),
                                              colors: [.white], shape: .triangle, size: 10, edge: .black,
                                              label: "Hidden deposit")))
        }
        for (point, text) in overlays.labels {
            axes.series.append(.text(.init(x: point.x, y: point.y, text: text, size: 8.5, offset: 7)))
        }
        if axes.series.contains(where: { $0.legendLabel != nil }) { axes.legend = .outsideRight }
        let aspect = (extent.xMax - extent.xMin) / (extent.yMax - extent.yMin)
        // At most a notebook column wide, the colour bar and the legend beside the map; a
        // wide area gets a lower figure instead of a wider one.
        let besideMap = axes.legend == nil ? 170.0 : 300
        let width = min(Self.columnWidth, max(560, 460 * aspect + besideMap))
        let height = min(560, max(320, (width - besideMap) / aspect + 100))
        return Figure(width: width, height: height, title: title, panels: [axes])
    }

    /// Per-layer attribution images (e.g. pixel-level expected gradients of one window), one
    /// small panel per layer on a shared, zero-centred colour scale.
    public static func layerAttributions(_ images: [[Float]], rows: Int, columns: Int, names: [String],
                                         title: String = "Attribution per layer") throws -> Figure {
        guard !images.isEmpty else { throw PlotError("layerAttributions needs at least one layer") }
        guard names.count == images.count else {
            throw PlotError("layerAttributions has \(names.count) names for \(images.count) layers")
        }
        if let bad = images.firstIndex(where: { $0.count != rows * columns }) {
            throw PlotError("layer \(names[bad]) has \(images[bad].count) values, not \(rows) x \(columns)")
        }
        let limit = Double(images.flatMap { $0 }.filter(\.isFinite).map { abs($0) }.max() ?? 1)
        let scale = limit > 0 ? limit : 1
        return try Figure.images(zip(names, images).map { ImagePanel(name: $0, values: $1, rows: rows, columns: columns) },
                                 title: title, colorBarLabel: "Attribution", colormap: .diverging, range: -scale...scale)
    }

    /// Correlation matrix as coloured cells (-1 blue to +1 red) with the values written in.
    public static func correlationHeatmap(_ matrix: [[Double]], names: [String],
                                          title: String = "Correlation between layers") throws -> Figure {
        let n = names.count
        guard n > 0, matrix.count == n, matrix.allSatisfy({ $0.count == n }) else {
            throw PlotError("correlationHeatmap needs an \(n) x \(n) matrix for \(n) names")
        }
        var axes = Axes()
        axes.xScale = .categories(names)
        axes.yScale = .categories(names.reversed())
        axes.equalAspect = true
        axes.grid = false
        axes.series.append(.image(.init(values: matrix.flatMap { $0.map(Float.init) }, rows: n, columns: n,
                                        extent: (-0.5, Double(n) - 0.5, -0.5, Double(n) - 0.5), colormap: .diverging, range: -1...1)))
        if n <= 16 {
            for i in 0..<n {
                for j in 0..<n where matrix[i][j].isFinite {
                    let v = matrix[i][j]
                    axes.series.append(.text(.init(x: Double(j), y: Double(n - 1 - i), text: String(format: "%.2f", v).replacingOccurrences(of: "-", with: "\u{2212}"),
                                                   size: n > 10 ? 7 : 8.5, color: abs(v) > 0.6 ? .white : .ink, anchor: .middle)))
                }
            }
        }
        axes.colorBar = ColorBar(colormap: .diverging, range: -1...1, label: "Pearson correlation")
        let side = max(420, min(900, 34 * Double(n) + 200))
        return Figure(width: side + 90, height: side, title: title, panels: [axes])
    }
}
