import Foundation

extension Figure {
    /// PNG bytes at `scale` pixels per point (2 gives print-quality 1440 x 960 for the default size).
    public func pngData(scale: Double = 2) throws -> Data {
        try validate()
        let canvas = try CairoCanvas(width: width, height: height, scale: scale)
        draw(on: canvas)
        return try canvas.pngData()
    }

    /// SVG document text, sized in points (files) or fitting its container (notebooks).
    public func svg(sizing: SVGSizing = .points) throws -> String {
        try validate()
        let canvas = SVGCanvas(width: width, height: height)
        draw(on: canvas)
        return canvas.document(sizing: sizing)
    }

    public func writePNG(to path: String, scale: Double = 2) throws {
        try pngData(scale: scale).write(to: URL(fileURLWithPath: path))
    }

    public func writeSVG(to path: String) throws {
        try svg().write(to: URL(fileURLWithPath: path), atomically: true, encoding: .utf8)
    }

    func validate() throws {
        guard width >= 50, height >= 50, width.isFinite, height.isFinite else {
            throw PlotError("the figure is \(width) x \(height) points; each side must be at least 50")
        }
        guard !panels.isEmpty else { throw PlotError("the figure has no panels to draw") }
        for (p, axes) in panels.enumerated() {
            for (s, series) in axes.series.enumerated() {
                if let problem = series.problem() { throw PlotError("panel \(p + 1), series \(s + 1): \(problem)") }
            }
        }
    }

    static let titleBand = 32.0

    func draw(on canvas: Canvas) {
        canvas.rect(PlotRect(x: 0, y: 0, width: width, height: height), fill: background)
        var top = 0.0
        if let title, !title.isEmpty {
            canvas.label(title, x: width / 2, y: Self.titleBand / 2 + 2, size: 15, anchor: .middle, bold: true)
            top = Self.titleBand
        }
        let content = PlotRect(x: 0, y: top, width: width, height: height - top)
        for axes in panels {
            let rect = PlotRect(x: content.x + axes.frame.x * content.width, y: content.y + axes.frame.y * content.height,
                                width: axes.frame.width * content.width, height: axes.frame.height * content.height)
            AxesRenderer(axes: axes, panel: rect, canvas: canvas).draw()
        }
    }
}

extension Series {
    /// What is wrong with the series' data, if anything.
    func problem() -> String? {
        switch self {
        case .line(let l):
            return l.x.count == l.y.count ? nil : "line has \(l.x.count) x values but \(l.y.count) y values"
        case .scatter(let s):
            if s.x.count != s.y.count { return "scatter has \(s.x.count) x values but \(s.y.count) y values" }
            if s.colors.count != 1 && s.colors.count != s.x.count {
                return "scatter has \(s.colors.count) colours for \(s.x.count) points (give 1 or one per point)"
            }
            return nil
        case .bars(let b):
            if b.positions.count != b.starts.count || b.positions.count != b.ends.count {
                return "bars have \(b.positions.count) positions, \(b.starts.count) starts and \(b.ends.count) ends"
            }
            if b.colors.count != 1 && b.colors.count != b.positions.count {
                return "bars have \(b.colors.count) colours for \(b.positions.count) bars"
            }
            return nil
        case .image(let i):
            if i.rows <= 0 || i.columns <= 0 { return "image is \(i.rows) x \(i.columns) cells" }
            if i.values.count != i.rows * i.columns {
                return "image has \(i.values.count) values for \(i.rows) rows x \(i.columns) columns"
            }
            if !(i.range.upperBound > i.range.lowerBound) { return "image colour range \(i.range) is empty" }
            return nil
        case .polygons, .reference, .text:
            return nil
        }
    }

    var legendLabel: String? {
        switch self {
        case .line(let l): return l.label
        case .scatter(let s): return s.label
        case .bars(let b): return b.label
        case .polygons(let p): return p.label
        case .reference(let r): return r.label
        case .image, .text: return nil
        }
    }
}

/// Lays out and draws one panel.
struct AxesRenderer {
    let axes: Axes
    let panel: PlotRect
    let canvas: Canvas

    static let tickSize = 9.0
    static let labelSize = 11.0
    static let titleSize = 12.5
    static let tickLength = 4.0

    func dataBounds() -> (x: (Double, Double), y: (Double, Double)) {
        var xs: [Double] = [], ys: [Double] = []
        for series in axes.series {
            switch series {
            case .line(let l): xs += l.x; ys += l.y
            case .scatter(let s): xs += s.x; ys += s.y
            case .bars(let b):
                let across = b.positions.flatMap { [$0 - b.thickness / 2, $0 + b.thickness / 2] }
                let along = b.starts + b.ends
                if b.horizontal { xs += along; ys += across } else { xs += across; ys += along }
            case .image(let i): xs += [i.extent.xMin, i.extent.xMax]; ys += [i.extent.yMin, i.extent.yMax]
            case .polygons(let p): for ring in p.rings { xs += ring.map(\.x); ys += ring.map(\.y) }
            case .reference(let r): if r.vertical { xs.append(r.value) } else { ys.append(r.value) }
            case .text(let t): xs.append(t.x); ys.append(t.y)
            }
        }
        func bounds(_ values: [Double]) -> (Double, Double) {
            let finite = values.filter(\.isFinite)
            return (finite.min() ?? 0, finite.max() ?? 1)
        }
        return (bounds(xs), bounds(ys))
    }

    func range(_ fixed: ClosedRange<Double>?, scale: AxisScale, data: (Double, Double)) -> (Double, Double) {
        if let fixed, fixed.upperBound > fixed.lowerBound { return (fixed.lowerBound, fixed.upperBound) }
        if case .categories(let names) = scale { return (-0.5, Double(max(names.count, 1)) - 0.5) }
        return paddedRange(data.0, data.1, margin: axes.margin)
    }

    /// Tick positions and their labels for one axis.
    func ticks(_ scale: AxisScale, _ low: Double, _ high: Double, length: Double, spacing: Double) -> [(Double, String)] {
        switch scale {
        case .hidden: return []
        case .categories(let names):
            return names.enumerated().map { (Double($0.offset), $0.element) }
        case .numeric:
            let (values, step) = niceTicks(low, high, target: max(2, Int(length / spacing)))
            return values.map { ($0, tickLabel($0, step: step)) }
        case .integers:
            let (values, step) = niceTicks(low, high, target: max(2, Int(length / spacing)))
            guard step < 1 || step != step.rounded() else { return values.map { ($0, tickLabel($0, step: step)) } }
            // 0.5 or 2.5 between ticks: the next whole step (1, 5) instead.
            let whole = step < 1 ? 1 : (step * 2).rounded()
            return stride(from: (low / whole).rounded(.up) * whole, through: high + 1e-9, by: whole).map { ($0, tickLabel($0, step: 1)) }
        }
    }

    func draw() {
        let bounds = dataBounds()
        let (x0, x1) = range(axes.xRange, scale: axes.xScale, data: bounds.x)
        let (y0, y1) = range(axes.yRange, scale: axes.yScale, data: bounds.y)

        // Margins from the text they must hold.
        // Room per x tick from the widest label it could have (e.g. 440000 on a map).
        let widestX = max(TextMetrics.width(tickLabel(x0, step: 1), size: Self.tickSize),
                          TextMetrics.width(tickLabel(x1, step: 1), size: Self.tickSize))
        let xTicks = ticks(axes.xScale, x0, x1, length: panel.width, spacing: max(80, widestX + 50))
        let yTicks = ticks(axes.yScale, y0, y1, length: panel.height, spacing: 45)
        let yTickWidth = yTicks.map { TextMetrics.width($0.1, size: Self.tickSize) }.max() ?? 0
        var left = 10 + yTickWidth + (yTicks.isEmpty ? 0 : Self.tickLength + 4)
        if axes.yLabel != nil { left += Self.labelSize + 8 }
        var bottom = 8 + (xTicks.isEmpty ? 0 : Self.tickSize + Self.tickLength + 6)
        if axes.xLabel != nil { bottom += Self.labelSize + 8 }
        let top = axes.title == nil ? 10.0 : Self.titleSize + 16
        var right = 14.0
        var rightTickWidth = 0.0
        if axes.rightAxis != nil {
            rightTickWidth = yTicks.map { TextMetrics.width(tickLabel(y0 + y1 - $0.0, step: 1e-9), size: Self.tickSize) }.max() ?? 0
            right += Self.tickLength + 4 + rightTickWidth + Self.labelSize + 8
        }
        var colorBarTicks: [(Double, String)] = []
        if let bar = axes.colorBar {
            if bar.endLabels == nil {
                let (values, step) = niceTicks(bar.range.lowerBound, bar.range.upperBound, target: 5)
                colorBarTicks = values.map { ($0, tickLabel($0, step: step)) }
            }
            let widest = bar.endLabels.map { max(TextMetrics.width($0.low, size: Self.tickSize), TextMetrics.width($0.high, size: Self.tickSize)) }
                ?? (colorBarTicks.map { TextMetrics.width($0.1, size: Self.tickSize) }.max() ?? 0)
            right += 12 + 12 + Self.tickLength + 3 + widest + (bar.label.isEmpty ? 0 : Self.labelSize + 8)
        }
        let legendSize = legendDimensions()
        if axes.legend == .outsideRight, let legendSize { right += legendSize.width + 10 }

        var plot = PlotRect(x: panel.x + left, y: panel.y + top,
                            width: max(10, panel.width - left - right), height: max(10, panel.height - top - bottom))
        if axes.equalAspect {
            let unitsPerPoint = max((x1 - x0) / plot.width, (y1 - y0) / plot.height)
            let w = (x1 - x0) / unitsPerPoint, h = (y1 - y0) / unitsPerPoint
            plot = PlotRect(x: plot.x + (plot.width - w) / 2, y: plot.y + (plot.height - h) / 2, width: w, height: h)
        }
        let map = DataMap(x0: x0, x1: x1, y0: y0, y1: y1, plot: plot)
        var legendCorner = axes.legend
        if axes.legend == .leastCrowded, let size = legendSize {
            let (corner, covered) = leastCrowdedCorner(size: size, plot: plot, map: map)
            legendCorner = corner
            // Every corner holds data: raise the top of the y axis so the legend fits above it.
            let share = (size.height + 2 * Self.legendInset) / plot.height
            if covered > 0, axes.yRange == nil, share < 0.5, case .numeric = axes.yScale {
                var roomy = axes
                roomy.yRange = y0...(y1 + (y1 - y0) * share / (1 - share))
                return AxesRenderer(axes: roomy, panel: panel, canvas: canvas).draw()
            }
        }

        // Grid first, under the data.
        if axes.grid {
            for (v, _) in xTicks where v >= min(x0, x1) && v <= max(x0, x1) {
                let x = map.x(v)
                canvas.line(PlotPoint(x, plot.y), PlotPoint(x, plot.maxY), color: .grid, width: 0.7)
            }
            for (v, _) in yTicks where v >= min(y0, y1) && v <= max(y0, y1) {
                let y = map.y(v)
                canvas.line(PlotPoint(plot.x, y), PlotPoint(plot.maxX, y), color: .grid, width: 0.7)
            }
        }
        canvas.beginClip(plot)
        for series in axes.series { drawSeries(series, map) }
        canvas.endClip()
        for series in axes.series { drawOutsideClip(series, map) }

        // Frame and ticks.
        canvas.rect(plot, fill: nil, stroke: .ink, width: 0.9)
        for (v, text) in xTicks where v >= min(x0, x1) - 1e-9 && v <= max(x0, x1) + 1e-9 {
            let x = map.x(v)
            canvas.line(PlotPoint(x, plot.maxY), PlotPoint(x, plot.maxY + Self.tickLength), color: .ink, width: 0.9)
            canvas.label(text, x: x, y: plot.maxY + Self.tickLength + 4 + Self.tickSize / 2, size: Self.tickSize, anchor: .middle)
        }
        for (v, text) in yTicks where v >= min(y0, y1) - 1e-9 && v <= max(y0, y1) + 1e-9 {
            let y = map.y(v)
            canvas.line(PlotPoint(plot.x - Self.tickLength, y), PlotPoint(plot.x, y), color: .ink, width: 0.9)
            canvas.label(text, x: plot.x - Self.tickLength - 3, y: y, size: Self.tickSize, anchor: .end)
            if axes.rightAxis != nil {
                canvas.line(PlotPoint(plot.maxX, y), PlotPoint(plot.maxX + Self.tickLength, y), color: .ink, width: 0.9)
                let step = yTicks.count > 1 ? abs(yTicks[1].0 - yTicks[0].0) : 1
                canvas.label(tickLabel(y0 + y1 - v, step: step), x: plot.maxX + Self.tickLength + 3, y: y, size: Self.tickSize)
            }
        }
        if let label = axes.xLabel {
            canvas.label(label, x: plot.x + plot.width / 2, y: panel.maxY - 8 - Self.labelSize / 2, size: Self.labelSize, anchor: .middle)
        }
        if let label = axes.yLabel {
            canvas.label(label, x: panel.x + 6, y: plot.y + plot.height / 2, size: Self.labelSize, anchor: .middle, rotation: -90)
        }
        if let right = axes.rightAxis {
            let x = plot.maxX + Self.tickLength + 3 + rightTickWidth + 6
            canvas.label(right.label, x: x, y: plot.y + plot.height / 2, size: Self.labelSize, anchor: .middle, rotation: -90)
        }
        if let title = axes.title {
            canvas.label(title, x: plot.x + plot.width / 2, y: panel.y + 4 + Self.titleSize / 2 + 2, size: Self.titleSize,
                         anchor: .middle, bold: true)
        }
        if let bar = axes.colorBar {
            let offset = axes.rightAxis == nil ? 0 : Self.tickLength + 4 + rightTickWidth + Self.labelSize + 8
            drawColorBar(bar, ticks: colorBarTicks, plot: plot, x: plot.maxX + 12 + offset)
        }
        if let placement = legendCorner, let size = legendSize { drawLegend(placement, size: size, plot: plot) }
    }

    // MARK: series

    func drawSeries(_ series: Series, _ map: DataMap) {
        switch series {
        case .line(let l):
            // Split at missing values so gaps stay gaps.
            var runs: [[PlotPoint]] = [[]]
            for (x, y) in zip(l.x, l.y) {
                if x.isFinite && y.isFinite { runs[runs.count - 1].append(map.point(x, y)) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
            }
            canvas.path(runs.filter { $0.count > 1 }, closed: false, fill: nil, stroke: l.color, width: l.width, dash: l.dash)
        case .scatter(let s):
            for i in s.x.indices where s.x[i].isFinite && s.y[i].isFinite {
                drawMarker(s.shape, at: map.point(s.x[i], s.y[i]), size: s.size,
                           fill: s.colors.count == 1 ? s.colors[0] : s.colors[i], edge: s.edge)
            }
        case .bars(let b):
            for i in b.positions.indices {
                let a = b.positions[i] - b.thickness / 2, c = b.positions[i] + b.thickness / 2
                let corners = b.horizontal
                    ? [map.point(b.starts[i], a), map.point(b.ends[i], c)]
                    : [map.point(a, b.starts[i]), map.point(c, b.ends[i])]
                let rect = PlotRect(x: min(corners[0].x, corners[1].x), y: min(corners[0].y, corners[1].y),
                                    width: abs(corners[1].x - corners[0].x), height: abs(corners[1].y - corners[0].y))
                canvas.rect(rect, fill: b.colors.count == 1 ? b.colors[0] : b.colors[i])
            }
        case .image(let image):
            let lut = image.colormap.lookupTable()
            let low = image.range.lowerBound, span = image.range.upperBound - image.range.lowerBound
            var rgba = [UInt8](repeating: 0, count: image.values.count * 4)
            for (i, v) in image.values.enumerated() where v.isFinite {
                let t = min(max((Double(v) - low) / span, 0), 1)
                let c = lut[Int((t * 255).rounded())]
                rgba[i * 4] = c.0
                rgba[i * 4 + 1] = c.1
                rgba[i * 4 + 2] = c.2
                rgba[i * 4 + 3] = 255
            }
            let a = map.point(image.extent.xMin, image.extent.yMax), b = map.point(image.extent.xMax, image.extent.yMin)
            canvas.image(rgba: rgba, width: image.columns, height: image.rows,
                         rect: PlotRect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y)))
        case .polygons(let p):
            canvas.path(p.rings.map { $0.map { map.point($0.x, $0.y) } }, closed: p.closed, fill: p.fill,
                        stroke: p.stroke, width: p.width, dash: p.dash)
        case .reference(let r):
            if r.vertical {
                let x = map.x(r.value)
                canvas.line(PlotPoint(x, map.plot.y), PlotPoint(x, map.plot.maxY), color: r.color, width: r.width, dash: r.dash)
            } else {
                let y = map.y(r.value)
                canvas.line(PlotPoint(map.plot.x, y), PlotPoint(map.plot.maxX, y), color: r.color, width: r.width, dash: r.dash)
            }
        case .text:
            break
        }
    }

    /// Labels that may stick out of the plot area: bar values, reference captions, text marks.
    func drawOutsideClip(_ series: Series, _ map: DataMap) {
        switch series {
        case .bars(let b) where !b.valueLabels.isEmpty:
            for i in b.positions.indices where i < b.valueLabels.count {
                let forward = b.ends[i] >= b.starts[i]
                if b.horizontal {
                    let p = map.point(b.ends[i], b.positions[i])
                    canvas.label(b.valueLabels[i], x: p.x + (forward ? 4 : -4), y: p.y, size: 8.5,
                                 color: .ink, anchor: forward ? .start : .end)
                } else {
                    let p = map.point(b.positions[i], b.ends[i])
                    canvas.label(b.valueLabels[i], x: p.x, y: p.y + (forward ? -7 : 7), size: 8.5, anchor: .middle)
                }
            }
        case .reference(let r):
            guard let caption = r.caption else { return }
            if r.vertical {
                canvas.label(caption, x: map.x(r.value) + 3, y: map.plot.y + 9, size: 9, color: r.color, bold: true)
            } else {
                canvas.label(caption, x: map.plot.maxX - 4, y: map.y(r.value) - 7, size: 9, color: r.color, anchor: .end, bold: true)
            }
        case .text(let t):
            let p = map.point(t.x, t.y)
            canvas.label(t.text, x: p.x + t.offset, y: p.y, size: t.size, color: t.color, anchor: t.anchor, bold: t.bold)
        default:
            break
        }
    }

    func drawMarker(_ shape: MarkerShape, at c: PlotPoint, size: Double, fill: Color?, edge: Color?) {
        let edgeWidth = 0.8
        func polygon(_ count: Int, radius: Double, inner: Double? = nil, rotation: Double = -90) -> [PlotPoint] {
            let steps = inner == nil ? count : 2 * count
            return (0..<steps).map { k in
                let r = k % 2 == 1 ? (inner ?? radius) : radius
                let angle = (rotation + 360 * Double(k) / Double(steps)) * .pi / 180
                return PlotPoint(c.x + r * cos(angle), c.y + r * sin(angle))
            }
        }
        switch shape {
        case .circle:
            canvas.circle(center: c, radius: size / 2, fill: fill, stroke: edge, width: edgeWidth)
        case .square:
            canvas.path([polygon(4, radius: size * 0.6, rotation: 45)], closed: true, fill: fill, stroke: edge, width: edgeWidth, dash: [])
        case .triangle:
            canvas.path([polygon(3, radius: size * 0.65)], closed: true, fill: fill, stroke: edge, width: edgeWidth, dash: [])
        case .diamond:
            canvas.path([polygon(4, radius: size * 0.65)], closed: true, fill: fill, stroke: edge, width: edgeWidth, dash: [])
        case .star:
            canvas.path([polygon(5, radius: size * 0.75, inner: size * 0.32)], closed: true, fill: fill, stroke: edge, width: edgeWidth, dash: [])
        }
    }

    // MARK: legend and colour bar

    static let legendRow = 16.0
    static let legendSwatch = 22.0
    /// Space between the plot's frame and a legend inside it.
    static let legendInset = 8.0

    func legendDimensions() -> (width: Double, height: Double)? {
        let labels = axes.series.compactMap(\.legendLabel)
        guard axes.legend != nil, !labels.isEmpty else { return nil }
        let widest = labels.map { TextMetrics.width($0, size: Self.tickSize) }.max() ?? 0
        return (8 + Self.legendSwatch + 6 + widest + 8, 6 + Double(labels.count) * Self.legendRow + 4)
    }

    /// Where the legend box's top-left corner goes (`.leastCrowded` resolved beforehand).
    func legendOrigin(_ placement: LegendPlacement, size: (width: Double, height: Double), plot: PlotRect) -> PlotPoint {
        let inset = Self.legendInset
        switch placement {
        case .upperLeft: return PlotPoint(plot.x + inset, plot.y + inset)
        case .upperRight, .leastCrowded: return PlotPoint(plot.maxX - inset - size.width, plot.y + inset)
        case .lowerLeft: return PlotPoint(plot.x + inset, plot.maxY - inset - size.height)
        case .lowerRight: return PlotPoint(plot.maxX - inset - size.width, plot.maxY - inset - size.height)
        case .outsideRight: return PlotPoint(panel.maxX - 10 - size.width, plot.y)
        }
    }

    /// The inside corner whose legend box would cover the fewest points of the lines (sampled
    /// along each segment) and markers, and how many it covers; the first corner on a tie.
    func leastCrowdedCorner(size: (width: Double, height: Double), plot: PlotRect, map: DataMap)
        -> (corner: LegendPlacement, covered: Int)
    {
        var points: [PlotPoint] = []
        for series in axes.series {
            switch series {
            case .line(let l):
                let drawn = zip(l.x, l.y).filter { $0.0.isFinite && $0.1.isFinite }.map { map.point($0.0, $0.1) }
                points += drawn
                for (a, b) in zip(drawn, drawn.dropFirst()) {
                    points += (1..<16).map { k in
                        let t = Double(k) / 16
                        return PlotPoint(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
                    }
                }
            case .scatter(let s):
                points += zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite }.map { map.point($0.0, $0.1) }
            default:
                break
            }
        }
        let corners: [LegendPlacement] = [.upperRight, .upperLeft, .lowerRight, .lowerLeft]
        let covered = corners.map { corner -> Int in
            let origin = legendOrigin(corner, size: size, plot: plot)
            return points.filter { $0.x >= origin.x && $0.x <= origin.x + size.width && $0.y >= origin.y && $0.y <= origin.y + size.height }.count
        }
        let fewest = covered.min() ?? 0
        return (corners[covered.firstIndex(of: fewest) ?? 0], fewest)
    }

    func drawLegend(_ placement: LegendPlacement, size: (width: Double, height: Double), plot: PlotRect) {
        let origin = legendOrigin(placement, size: size, plot: plot)
        canvas.rect(PlotRect(x: origin.x, y: origin.y, width: size.width, height: size.height),
                    fill: Color.white.withAlpha(0.92), stroke: Color(hex: 0xBDBDBD), width: 0.8)
        var y = origin.y + 6 + Self.legendRow / 2
        let x = origin.x + 8
        for series in axes.series {
            guard let label = series.legendLabel else { continue }
            let middle = PlotPoint(x + Self.legendSwatch / 2, y)
            switch series {
            case .line(let l):
                canvas.line(PlotPoint(x, y), PlotPoint(x + Self.legendSwatch, y), color: l.color, width: l.width, dash: l.dash)
            case .scatter(let s):
                drawMarker(s.shape, at: middle, size: min(s.size, 11), fill: s.colors.count == 1 ? s.colors[0] : .muted, edge: s.edge)
            case .bars(let b):
                canvas.rect(PlotRect(x: x + 3, y: y - 5, width: Self.legendSwatch - 6, height: 10), fill: b.colors.first)
            case .polygons(let p):
                if p.fill != nil || p.closed {
                    // Light outlines (drawn for dark maps) get a mid-grey backing to stay visible.
                    let light = p.fill == nil && (p.stroke.map { 0.3 * $0.red + 0.6 * $0.green + 0.1 * $0.blue > 0.8 } ?? false)
                    let box = PlotRect(x: x + 3, y: y - 5, width: Self.legendSwatch - 6, height: 10)
                    if light { canvas.rect(box, fill: Color(hex: 0x5A5A6E)) }
                    // The outline keeps the series' dash, so dotted zones look dotted here too.
                    let corners = [PlotPoint(box.x, box.y), PlotPoint(box.maxX, box.y), PlotPoint(box.maxX, box.maxY), PlotPoint(box.x, box.maxY)]
                    canvas.path([corners], closed: true, fill: p.fill, stroke: p.stroke, width: min(p.width, 2), dash: p.dash)
                } else {
                    canvas.line(PlotPoint(x, y), PlotPoint(x + Self.legendSwatch, y), color: p.stroke ?? .ink, width: p.width, dash: p.dash)
                }
            case .reference(let r):
                canvas.line(PlotPoint(x, y), PlotPoint(x + Self.legendSwatch, y), color: r.color, width: r.width, dash: r.dash)
            case .image, .text:
                break
            }
            canvas.label(label, x: x + Self.legendSwatch + 6, y: y, size: Self.tickSize)
            y += Self.legendRow
        }
    }

    func drawColorBar(_ bar: ColorBar, ticks: [(Double, String)], plot: PlotRect, x: Double) {
        let rect = PlotRect(x: x, y: plot.y, width: 12, height: plot.height)
        let lut = bar.colormap.lookupTable()
        var rgba: [UInt8] = []
        for i in stride(from: 255, through: 0, by: -1) { rgba += [lut[i].0, lut[i].1, lut[i].2, 255] }
        canvas.image(rgba: rgba, width: 1, height: 256, rect: rect)
        canvas.rect(rect, fill: nil, stroke: .ink, width: 0.7)
        let low = bar.range.lowerBound, high = bar.range.upperBound
        func y(_ v: Double) -> Double { rect.maxY - (v - low) / (high - low) * rect.height }
        var widest = 0.0
        if let ends = bar.endLabels {
            canvas.label(ends.high, x: rect.maxX + 4, y: rect.y + 5, size: Self.tickSize)
            canvas.label(ends.low, x: rect.maxX + 4, y: rect.maxY - 5, size: Self.tickSize)
            widest = max(TextMetrics.width(ends.low, size: Self.tickSize), TextMetrics.width(ends.high, size: Self.tickSize))
        } else {
            for (v, text) in ticks where v >= low - 1e-9 && v <= high + 1e-9 {
                canvas.line(PlotPoint(rect.maxX, y(v)), PlotPoint(rect.maxX + Self.tickLength, y(v)), color: .ink, width: 0.8)
                canvas.label(text, x: rect.maxX + Self.tickLength + 3, y: y(v), size: Self.tickSize)
                widest = max(widest, TextMetrics.width(text, size: Self.tickSize))
            }
        }
        if !bar.label.isEmpty {
            canvas.label(bar.label, x: rect.maxX + Self.tickLength + 3 + widest + 8, y: rect.y + rect.height / 2,
                         size: Self.labelSize, anchor: .middle, rotation: -90)
        }
    }
}

/// Data coordinates to canvas points for one plot area.
struct DataMap {
    let x0: Double, x1: Double, y0: Double, y1: Double
    let plot: PlotRect

    func x(_ v: Double) -> Double { plot.x + (v - x0) / (x1 - x0) * plot.width }
    func y(_ v: Double) -> Double { plot.maxY - (v - y0) / (y1 - y0) * plot.height }
    func point(_ px: Double, _ py: Double) -> PlotPoint { PlotPoint(x(px), y(py)) }
}
