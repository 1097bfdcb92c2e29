import Foundation

/// One named curve, e.g. a model's ROC or success-rate curve.
public struct NamedCurve: Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// Shown in the legend after the name, e.g. the AUC.
    public var value: Double?

    public init(name: String, x: [Double], y: [Double], value: Double? = nil) {
        self.name = name
        self.x = x
        self.y = y
        self.value = value
    }
}

/// Per-epoch values of one metric, for training and (optionally) validation.
public struct MetricHistory: Sendable {
    public var name: String
    public var training: [Double]
    public var validation: [Double]?

    public init(name: String, training: [Double], validation: [Double]? = nil) {
        self.name = name
        self.training = training
        self.validation = validation
    }
}

extension Figure {
    /// Curves of several models over a square 0...scale plot with the chance diagonal; the
    /// legend names each curve with its summary value (`valueName` = value).
    static func curvesOverDiagonal(_ curves: [NamedCurve], title: String, xLabel: String, yLabel: String,
                                   diagonalLabel: String, valueName: String, scale: Double) throws -> Figure {
        guard !curves.isEmpty else { throw PlotError("\(title): needs at least one curve") }
        var axes = Axes(xLabel: xLabel, yLabel: yLabel)
        axes.xRange = 0...scale
        axes.yRange = 0...scale
        axes.series.append(.line(.init(x: [0, scale], y: [0, scale], color: .muted, width: 1, dash: [4, 3], label: diagonalLabel)))
        for (i, curve) in curves.enumerated() {
            let label = curve.value.map { "\(curve.name) (\(valueName) = \(String(format: "%.3f", $0)))" } ?? curve.name
            axes.series.append(.line(.init(x: curve.x.map { $0 * scale }, y: curve.y.map { $0 * scale },
                                           color: Palette.color(i), width: 2, label: label)))
        }
        axes.legend = .lowerRight
        return Figure(width: 520, height: 480, title: title, panels: [axes])
    }

    /// ROC curves of several models with the AUC in the legend and the chance diagonal.
    public static func rocCurves(_ curves: [NamedCurve], title: String = "ROC curves (validation set)") throws -> Figure {
        try curvesOverDiagonal(curves, title: title, xLabel: "False positive rate", yLabel: "True positive rate",
                               diagonalLabel: "Chance (AUC = 0.500)", valueName: "AUC", scale: 1)
    }

    /// One panel per metric (loss, accuracy, AUC, ...), training solid and validation dashed.
    public static func trainingHistory(_ metrics: [MetricHistory], title: String = "Training history") throws -> Figure {
        try trainingHistories([(name: "", metrics: metrics)], title: title)
    }

    /// Training histories of several runs side by side: one panel per metric (the metrics of
    /// the first run), one colour per run, training solid and validation dashed. A single
    /// unnamed run labels its lines "Training" and "Validation".
    public static func trainingHistories(_ runs: [(name: String, metrics: [MetricHistory])],
                                         title: String = "Training history") throws -> Figure {
        guard let first = runs.first, !first.metrics.isEmpty else { throw PlotError("trainingHistory needs at least one metric") }
        let count = Double(first.metrics.count)
        // Several runs share one legend beside the last panel, which is widened to hold it.
        let legendWidth = runs.count == 1 ? 0.0 : 150
        // Fits a notebook column: three panels of 240 pt each, legends inside the panels.
        let width = min(Self.columnWidth, max(400, 330 * count) + legendWidth)
        let panelShare = (width - legendWidth) / count / width
        let panels: [Axes] = first.metrics.enumerated().map { index, metric in
            let isLast = index == first.metrics.count - 1
            var axes = Axes(frame: PlotRect(x: Double(index) * panelShare, y: 0,
                                            width: isLast ? 1 - Double(index) * panelShare : panelShare, height: 1),
                            title: metric.name, xLabel: "Epoch", yLabel: metric.name)
            axes.xScale = .integers
            for (runIndex, run) in runs.enumerated() {
                guard let series = run.metrics.first(where: { $0.name == metric.name }) else { continue }
                let named = !run.name.isEmpty
                // One run: training and validation in two colours; several: a colour per run.
                let color = Palette.color(named ? runIndex : 0), validationColor = Palette.color(named ? runIndex : 1)
                let epochs = (1...max(1, series.training.count)).map(Double.init)
                let trainingLabel = named ? (series.validation == nil ? run.name : run.name + " (training)") : "Training"
                // A metric measured on the validation set only (AUC) has no training line.
                if !series.training.isEmpty {
                    axes.series.append(.line(.init(x: epochs, y: series.training, color: color, width: 2, label: trainingLabel)))
                }
                if let validation = series.validation {
                    axes.series.append(.line(.init(x: (1...max(1, validation.count)).map(Double.init), y: validation,
                                                   color: validationColor, width: 2, dash: [6, 3],
                                                   label: named ? (series.training.isEmpty ? run.name : run.name + " (validation)") : "Validation")))
                }
            }
            if runs.count == 1 {
                axes.legend = .leastCrowded
            } else if isLast {
                axes.legend = .outsideRight
                // Key to the line styles (no data: legend entries only).
                if runs.contains(where: { $0.metrics.contains { $0.validation != nil } }) {
                    axes.series.append(.line(.init(x: [], y: [], color: .muted, width: 2, label: "training")))
                    axes.series.append(.line(.init(x: [], y: [], color: .muted, width: 2, dash: [6, 3], label: "validation")))
                }
            }
            return axes
        }
        return Figure(width: width, height: 340, title: title, panels: panels)
    }

    /// Success-rate curves (x = share of area, y = share of deposits, both 0...1), drawn in
    /// percent; the diagonal is what a random map would capture.
    public static func successRate(_ curves: [NamedCurve], title: String = "Success-rate curves") throws -> Figure {
        try curvesOverDiagonal(curves, title: title, xLabel: "Share of study area (%)",
                               yLabel: "Share of deposits captured (%)", diagonalLabel: "Random", valueName: "area", scale: 100)
    }

    /// Prediction-area plot: prediction rate of deposits (left axis) and occupied area (right
    /// axis, reversed) against the probability threshold, with their crossing marked.
    public static func predictionArea(thresholds: [Double], predictionRates: [Double], areaShares: [Double],
                                      intersection: (threshold: Double, predictionRate: Double)?,
                                      title: String = "Prediction-area plot") throws -> Figure {
        guard !thresholds.isEmpty, thresholds.count == predictionRates.count, thresholds.count == areaShares.count else {
            throw PlotError("predictionArea needs equally long thresholds (\(thresholds.count)), prediction rates (\(predictionRates.count)) and area shares (\(areaShares.count))")
        }
        var axes = Axes(xLabel: "Prospectivity threshold", yLabel: "Prediction rate of deposits (%)")
        axes.yRange = 0...100
        axes.rightAxis = ReversedRightAxis(label: "Occupied area (%)")
        axes.series.append(.line(.init(x: thresholds, y: predictionRates.map { $0 * 100 }, color: Palette.color(0), width: 2,
                                       label: "Prediction rate")))
        axes.series.append(.line(.init(x: thresholds, y: areaShares.map { 100 - $0 * 100 }, color: Palette.color(1), width: 2,
                                       dash: [6, 3], label: "Occupied area")))
        if let cross = intersection {
            axes.series.append(.scatter(.init(x: [cross.threshold], y: [cross.predictionRate * 100], colors: [.ink], size: 7)))
            axes.series.append(.text(.init(x: cross.threshold, y: cross.predictionRate * 100 + 6,
                                           text: String(format: "%.0f%% of deposits in %.0f%% of area", cross.predictionRate * 100, 100 - cross.predictionRate * 100),
                                           size: 9, offset: 6)))
        }
        // Both curves cross every corner of this plot, so the legend goes outside.
        axes.legend = .outsideRight
        return Figure(width: 720, height: 440, title: title, panels: [axes])
    }

    /// Histogram of values with vertical lines at the grading thresholds.
    public static func histogram(_ values: [Float], bins: Int = 40, thresholds: [(label: String, value: Double)] = [],
                                 range: ClosedRange<Double>? = nil, title: String = "Prospectivity histogram",
                                 xLabel: String = "Probability of mineralisation") throws -> Figure {
        let finite = values.map(Double.init).filter(\.isFinite)
        guard !finite.isEmpty else { throw PlotError("histogram has no finite values") }
        guard bins > 0 else { throw PlotError("histogram bins is \(bins); it must be positive") }
        var low = range?.lowerBound ?? (finite.min() ?? 0), high = range?.upperBound ?? (finite.max() ?? 1)
        if high <= low { (low, high) = (low - 0.5, high + 0.5) }
        let width = (high - low) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for v in finite where v >= low && v <= high { counts[min(bins - 1, Int((v - low) / width))] += 1 }
        var axes = Axes(xLabel: xLabel, yLabel: "Number of cells")
        axes.series.append(.bars(.init(positions: (0..<bins).map { low + (Double($0) + 0.5) * width },
                                       starts: counts.map { _ in 0 }, ends: counts,
                                       colors: [Colormap.sequential.color(at: 0.35)], thickness: width * 0.92)))
        let styles: [Color] = [Color(hex: 0xC0392B), Color(hex: 0xE67E22), Color(hex: 0xB7950B)]
        for (i, t) in thresholds.enumerated() {
            axes.series.append(.reference(.init(value: t.value, vertical: true, color: styles[i % styles.count], width: 1.5,
                                                caption: t.label, label: "\(t.label) \u{2265} \(String(format: "%.3f", t.value))")))
        }
        axes.yRange = 0...(max(1, counts.max() ?? 1) * 1.08)
        axes.legend = .upperLeft
        return Figure(width: 600, height: 400, title: title, panels: [axes])
    }
}
