import Foundation

extension Figure {
    /// Feature order by mean |SHAP|, largest first, at most `maxDisplay`.
    static func shapOrder(_ values: [[Double]], features: Int, maxDisplay: Int) -> [Int] {
        let importance = (0..<features).map { f in values.reduce(0) { $0 + abs($1[f]) } / Double(max(values.count, 1)) }
        return Array((0..<features).sorted { importance[$0] > importance[$1] }.prefix(maxDisplay))
    }

    static func checkSHAP(_ values: [[Double]], featureNames: [String], data: [[Double]]?) throws {
        guard !values.isEmpty else { throw PlotError("no SHAP values to plot") }
        guard !featureNames.isEmpty else { throw PlotError("no feature names") }
        if let row = values.firstIndex(where: { $0.count != featureNames.count }) {
            throw PlotError("SHAP row \(row) has \(values[row].count) values for \(featureNames.count) features")
        }
        if let data {
            guard data.count == values.count else {
                throw PlotError("\(data.count) data rows for \(values.count) SHAP rows")
            }
            if let row = data.firstIndex(where: { $0.count != featureNames.count }) {
                throw PlotError("data row \(row) has \(data[row].count) values for \(featureNames.count) features")
            }
        }
    }

    /// SHAP beeswarm: one row per layer (most important on top), one dot per window at its
    /// SHAP value, coloured by the layer's value in that window (blue low, red high).
    public static func shapBeeswarm(values: [[Double]], data: [[Double]], featureNames: [String], maxDisplay: Int = 15,
                                    title: String = "SHAP values per layer") throws -> Figure {
        try checkSHAP(values, featureNames: featureNames, data: data)
        let order = shapOrder(values, features: featureNames.count, maxDisplay: maxDisplay)
        let all = values.flatMap { $0 }.filter(\.isFinite)
        let low = all.min() ?? -1, high = all.max() ?? 1
        let binCount = 80
        let binWidth = max((high - low) / Double(binCount), 1e-12)
        var axes = Axes(xLabel: "SHAP value (impact on the probability of mineralisation)")
        axes.yScale = .categories(order.reversed().map { featureNames[$0] })
        axes.series.append(.reference(.init(value: 0, vertical: true, color: .muted, width: 1, dash: [])))
        for (row, feature) in order.reversed().enumerated() {
            let xs = values.map { $0[feature] }
            // Colour by the window value, scaled between the 5th and 95th percentile.
            let sorted = data.map { $0[feature] }.filter(\.isFinite).sorted()
            let lo = sorted.isEmpty ? 0 : sorted[Int(Double(sorted.count - 1) * 0.05)]
            let hi = sorted.isEmpty ? 1 : sorted[Int(Double(sorted.count - 1) * 0.95)]
            let colors = data.map { window -> Color in
                let v = window[feature]
                guard v.isFinite else { return .muted }
                return Colormap.diverging.color(at: hi > lo ? (v - lo) / (hi - lo) : 0.5).withAlpha(0.9)
            }
            // Stack dots that share a bin alternately above and below the row line.
            var counts: [Int: Int] = [:]
            var offsets = [Double](repeating: 0, count: xs.count)
            for i in xs.indices.sorted(by: { xs[$0] < xs[$1] }) where xs[i].isFinite {
                let bin = Int((xs[i] - low) / binWidth)
                let k = counts[bin, default: 0]
                counts[bin] = k + 1
                offsets[i] = Double((k + 1) / 2) * (k % 2 == 0 ? 1 : -1)
            }
            let spread = Double(counts.values.max() ?? 1) / 2
            let step = spread > 0 ? min(0.08, 0.4 / spread) : 0
            axes.series.append(.scatter(.init(x: xs, y: offsets.map { Double(row) + $0 * step }, colors: colors, size: 4.2)))
        }
        axes.colorBar = ColorBar(colormap: .diverging, range: 0...1, label: "Layer value", endLabels: ("Low", "High"))
        axes.grid = true
        return Figure(width: 680, height: max(320, 28 * Double(order.count) + 120), title: title, panels: [axes])
    }

    /// Mean |SHAP| per layer as horizontal bars, largest on top.
    public static func shapBar(values: [[Double]], featureNames: [String], maxDisplay: Int = 15,
                               title: String = "Mean |SHAP| per layer") throws -> Figure {
        try checkSHAP(values, featureNames: featureNames, data: nil)
        let order = shapOrder(values, features: featureNames.count, maxDisplay: maxDisplay)
        let means = order.map { f in values.reduce(0) { $0 + abs($1[f]) } / Double(values.count) }
        return try bars(means, names: order.map { featureNames[$0] }, title: title, valueLabel: "mean(|SHAP value|)")
    }

    /// Waterfall for one window: from the base value E[f] each layer's SHAP value moves the
    /// output until it reaches f(x); the smallest layers are summed into one row.
    public static func shapWaterfall(values: [Double], baseValue: Double, featureNames: [String], data: [Double]? = nil,
                                     maxDisplay: Int = 10, title: String = "SHAP waterfall for one window") throws -> Figure {
        try checkSHAP([values], featureNames: featureNames, data: data.map { [$0] })
        guard maxDisplay >= 2 else { throw PlotError("maxDisplay is \(maxDisplay); use at least 2") }
        let sorted = values.indices.sorted { abs(values[$0]) > abs(values[$1]) }
        var rows: [(name: String, value: Double)] = sorted.prefix(sorted.count > maxDisplay ? maxDisplay - 1 : maxDisplay).map { f in
            let name = data.map { "\(featureNames[f]) = \(String(format: "%.3g", $0[f]).replacingOccurrences(of: "-", with: "\u{2212}"))" } ?? featureNames[f]
            return (name, values[f])
        }
        if sorted.count > maxDisplay {
            let rest = sorted.dropFirst(maxDisplay - 1)
            rows.append(("\(rest.count) other layers", rest.reduce(0) { $0 + values[$1] }))
        }
        // Bottom row first: the smallest contributions start from the base value.
        let bottomUp = Array(rows.reversed())
        var cumulative = baseValue
        var starts: [Double] = [], ends: [Double] = []
        for row in bottomUp {
            starts.append(cumulative)
            cumulative += row.value
            ends.append(cumulative)
        }
        let output = cumulative
        let positive = Colormap.diverging.color(at: 0.92), negative = Colormap.diverging.color(at: 0.08)
        var axes = Axes(xLabel: "Probability of mineralisation (model output)")
        axes.yScale = .categories(bottomUp.map(\.name))
        axes.series.append(.reference(.init(value: baseValue, vertical: true, color: .muted, width: 1, dash: [4, 3])))
        axes.series.append(.reference(.init(value: output, vertical: true, color: .ink, width: 1, dash: [4, 3])))
        axes.series.append(.bars(.init(positions: bottomUp.indices.map(Double.init), starts: starts, ends: ends,
                                       colors: bottomUp.map { $0.value >= 0 ? positive : negative }, horizontal: true,
                                       thickness: 0.72,
                                       valueLabels: bottomUp.map { ($0.value >= 0 ? "+" : "\u{2212}") + String(format: "%.3f", abs($0.value)) })))
        let n = Double(bottomUp.count)
        // Captions sit beside their dashed line, on the side with more room.
        let xs = starts + ends
        let middle = ((xs.max() ?? 1) + (xs.min() ?? 0)) / 2
        func caption(_ text: String, at x: Double, y: Double, bold: Bool) -> Series {
            let left = x > middle
            return .text(.init(x: x, y: y, text: text, size: 9, color: .ink, anchor: left ? .end : .start, bold: bold,
                               offset: left ? -5 : 5))
        }
        axes.series.append(caption(String(format: "E[f(x)] = %.3f", baseValue), at: baseValue, y: -0.95, bold: false))
        axes.series.append(caption(String(format: "f(x) = %.3f", output), at: output, y: n - 0.05, bold: true))
        axes.yRange = -1.4...(n + 0.3)
        let span = (xs.max() ?? 1) - (xs.min() ?? 0)
        axes.xRange = ((xs.min() ?? 0) - 0.12 * max(span, 1e-6))...((xs.max() ?? 1) + 0.12 * max(span, 1e-6))
        return Figure(width: 680, height: max(320, 30 * n + 130), title: title, panels: [axes])
    }
}
