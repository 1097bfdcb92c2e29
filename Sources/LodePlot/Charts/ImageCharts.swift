import Foundation

/// One image of a panel figure: `rows` × `columns` values, row-major, row 0 at the top; NaN
/// cells are left blank.
public struct ImagePanel: Sendable {
    public var name: String
    public var values: [Float]
    public var rows: Int
    public var columns: Int

    public init(name: String, values: [Float], rows: Int, columns: Int) {
        self.name = name
        self.values = values
        self.rows = rows
        self.columns = columns
    }
}

extension Figure {
    /// Images as a grid of panels with their colour scale: one bar for all panels
    /// (`sharedScale`, so equal colours mean equal values across panels) or one beside each.
    /// Without a `range` the scale spans the finite values, symmetric about 0 for the
    /// diverging map. Axes are hidden: the cells are the picture (a window's layers, an
    /// attention map); `xLabel`/`yLabel` name what the columns and rows are.
    public static func images(_ panels: [ImagePanel], title: String? = nil, colorBarLabel: String = "",
                              colormap: Colormap = .sequential, range: ClosedRange<Double>? = nil,
                              sharedScale: Bool = true, xLabel: String? = nil, yLabel: String? = nil,
                              perRow: Int? = nil) throws -> Figure {
        guard !panels.isEmpty else { throw PlotError("images needs at least one panel") }
        for panel in panels {
            guard panel.rows > 0, panel.columns > 0, panel.values.count == panel.rows * panel.columns else {
                throw PlotError("image \"\(panel.name)\" has \(panel.values.count) values for \(panel.rows) rows x \(panel.columns) columns")
            }
        }
        if let range, !(range.upperBound > range.lowerBound) { throw PlotError("images: colour range \(range) is empty") }
        if let perRow, perRow < 1 { throw PlotError("images: perRow is \(perRow); it must be at least 1") }
        let count = panels.count
        let across = min(count, perRow ?? (count <= 4 ? count : Int(ceil(sqrt(Double(count) * 1.6)))))
        let down = Int(ceil(Double(count) / Double(across)))
        let shared = range ?? colorRange(panels.flatMap(\.values), colormap: colormap)
        // One bar beside a single image or beside every panel; a shared bar is its own panel.
        let ownBars = !sharedScale || count == 1
        let aspect = panels.map { Double($0.columns) / Double($0.rows) }.max() ?? 1
        let cellHeight = (count == 1 ? 400.0 : 200.0) + (xLabel == nil ? 0 : 20)
        let cellWidth = cellHeight * min(max(aspect, 0.6), 3) + (ownBars ? 95 : 0) + (yLabel == nil ? 0 : 20)
        let barWidth = ownBars ? 0.0 : 95.0
        let width = Double(across) * cellWidth + barWidth + 10
        let height = Double(down) * cellHeight + (title == nil ? 0 : titleBand)
        let share = (width - barWidth) / width

        var axes: [Axes] = panels.enumerated().map { index, panel in
            let frame = PlotRect(x: Double(index % across) / Double(across) * share, y: Double(index / across) / Double(down),
                                 width: share / Double(across), height: 1 / Double(down))
            var axes = Axes(frame: frame, title: panel.name.isEmpty ? nil : panel.name, xLabel: xLabel, yLabel: yLabel)
            axes.xScale = .hidden
            axes.yScale = .hidden
            axes.grid = false
            axes.equalAspect = true
            // The frame hugs the cells (no fitted margin around a picture).
            axes.xRange = 0...Double(panel.columns)
            axes.yRange = 0...Double(panel.rows)
            let scale = sharedScale ? shared : (range ?? colorRange(panel.values, colormap: colormap))
            axes.series = [.image(.init(values: panel.values, rows: panel.rows, columns: panel.columns,
                                        extent: (0, Double(panel.columns), 0, Double(panel.rows)), colormap: colormap, range: scale))]
            if ownBars { axes.colorBar = ColorBar(colormap: colormap, range: scale, label: colorBarLabel) }
            return axes
        }
        if !ownBars {
            axes.append(colorScalePanel(frame: PlotRect(x: share, y: 0.1, width: 1 - share, height: 0.8),
                                        colormap: colormap, range: shared, label: colorBarLabel))
        }
        return Figure(width: width, height: height, title: title, panels: axes)
    }

    /// The range a colour scale spans: the finite values' extent (symmetric about 0 for the
    /// diverging map); a constant image gets a unit-wide range around its value.
    static func colorRange(_ values: [Float], colormap: Colormap) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite).map(Double.init)
        guard var low = finite.min(), var high = finite.max() else { return 0...1 }
        if colormap == .diverging {
            let limit = max(abs(low), abs(high))
            (low, high) = (-limit, limit)
        }
        if high <= low { (low, high) = (low - 0.5, high + 0.5) }
        return low...high
    }

    /// A colour scale drawn as its own narrow panel: a gradient image beside a value axis, for
    /// a figure whose panels share one scale.
    static func colorScalePanel(frame: PlotRect, colormap: Colormap, range: ClosedRange<Double>, label: String) -> Axes {
        var bar = Axes(frame: frame, yLabel: label.isEmpty ? nil : label)
        bar.xScale = .hidden
        bar.grid = false
        bar.yRange = range
        bar.xRange = 0...1
        let (low, span) = (range.lowerBound, range.upperBound - range.lowerBound)
        bar.series = [.image(.init(values: (0..<256).map { Float(low + Double(255 - $0) / 255 * span) }, rows: 256, columns: 1,
                                   extent: (0, 1, low, range.upperBound), colormap: colormap, range: range))]
        return bar
    }

    /// Named values as horizontal bars, the first on top, each with its value written beside
    /// it; a line marks zero when values have both signs.
    public static func bars(_ values: [Double], names: [String], title: String? = nil, valueLabel: String = "",
                            color: Color = Palette.color(0), format: String = "%.3f") throws -> Figure {
        guard !values.isEmpty else { throw PlotError("bars needs at least one value") }
        guard names.count == values.count else { throw PlotError("bars has \(names.count) names for \(values.count) values") }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw PlotError("bars: the value of \"\(names[bad])\" is \(values[bad]); every value must be finite")
        }
        let bottomUp = Array(values.reversed())
        var axes = Axes(xLabel: valueLabel.isEmpty ? nil : valueLabel)
        axes.yScale = .categories(names.reversed())
        axes.series.append(.bars(.init(positions: bottomUp.indices.map(Double.init), starts: bottomUp.map { _ in 0 }, ends: bottomUp,
                                       colors: [color], horizontal: true, thickness: 0.7,
                                       valueLabels: bottomUp.map { String(format: format, $0).replacingOccurrences(of: "-", with: "\u{2212}") })))
        let low = min(0, values.min() ?? 0), high = max(0, values.max() ?? 1)
        let span = high - low > 0 ? high - low : 1
        // Room past the bar ends for the value labels.
        axes.xRange = (low < 0 ? low - 0.18 * span : 0)...(high + 0.18 * span)
        if low < 0 && high > 0 { axes.series.append(.reference(.init(value: 0, vertical: true, color: .muted, width: 1, dash: []))) }
        return Figure(width: 620, height: max(300, 26 * Double(values.count) + 110), title: title, panels: [axes])
    }
}
