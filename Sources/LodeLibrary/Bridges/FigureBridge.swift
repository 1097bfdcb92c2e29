import LodeEval
import LodeGeo
import LodeNN
import LodePlot

/// LodeEval results, LodeNN histories and LodeGeo vectors as LodePlot figures and overlays.
extension Figure {
    /// Beeswarm of an explanation: one row per layer, coloured by the layer's window mean.
    public static func shapBeeswarm(_ explanation: Explanation, maxDisplay: Int = 15,
                                    title: String = "SHAP values per layer") throws -> Figure {
        try shapBeeswarm(values: explanation.values, data: explanation.data, featureNames: explanation.featureNames,
                         maxDisplay: maxDisplay, title: title)
    }

    public static func shapBar(_ explanation: Explanation, maxDisplay: Int = 15,
                               title: String = "Mean |SHAP| per layer") throws -> Figure {
        try shapBar(values: explanation.values, featureNames: explanation.featureNames, maxDisplay: maxDisplay, title: title)
    }

    /// Waterfall of one explained window.
    public static func shapWaterfall(_ explanation: Explanation, window: Int, maxDisplay: Int = 10,
                                     title: String? = nil) throws -> Figure {
        guard explanation.values.indices.contains(window) else {
            throw PlotError("shapWaterfall: window \(window) is not among the \(explanation.values.count) explained windows")
        }
        return try shapWaterfall(values: explanation.values[window], baseValue: explanation.baseValues[window],
                                 featureNames: explanation.featureNames, data: explanation.data[window], maxDisplay: maxDisplay,
                                 title: title ?? "SHAP waterfall for window \(window)")
    }

    /// Loss, accuracy and (when validated) AUC per epoch.
    public static func trainingHistory(_ history: TrainingHistory, title: String = "Training history") throws -> Figure {
        try trainingHistory(metrics(of: history), title: title)
    }

    /// Several models' histories in one figure (a colour per model).
    public static func trainingHistories(_ histories: [(name: String, history: TrainingHistory)],
                                         title: String = "Training histories") throws -> Figure {
        try trainingHistories(histories.map { (name: $0.name, metrics: metrics(of: $0.history)) }, title: title)
    }

    static func metrics(of history: TrainingHistory) -> [MetricHistory] {
        let e = history.epochs
        var metrics = [MetricHistory(name: "Loss", training: e.map(\.trainLoss),
                                     validation: e.allSatisfy { $0.validationLoss != nil } ? e.map { $0.validationLoss ?? .nan } : nil),
                       MetricHistory(name: "Accuracy", training: e.map(\.trainAccuracy),
                                     validation: e.allSatisfy { $0.validationAccuracy != nil } ? e.map { $0.validationAccuracy ?? .nan } : nil)]
        if !e.isEmpty, e.allSatisfy({ $0.validationAUC != nil }) {
            metrics.append(MetricHistory(name: "Validation AUC", training: [], validation: e.map { $0.validationAUC ?? .nan }))
        }
        return metrics
    }
}

extension NamedCurve {
    /// A model's ROC curve with its AUC for the legend.
    public init(name: String, roc: ROCCurve) {
        self.init(name: name, x: roc.falsePositiveRates, y: roc.truePositiveRates, value: roc.area)
    }

    /// A success-rate curve (area share against deposit share) with the area under it.
    public init(name: String, successRate: SuccessRateCurve) {
        self.init(name: name, x: successRate.areaShares, y: successRate.depositShares, value: successRate.area)
    }
}

extension MapOverlays {
    /// Faults as lines, known and hidden deposits as markers, and zone outlines (all in map units).
    /// With `labelled`, every deposit and other point is named by its id (PointLayer.ids).
    public init(faultLines faults: LineLayer?, knownPoints knownDeposits: PointLayer? = nil,
                hiddenPoints hiddenDeposits: PointLayer? = nil, zoneSet zones: ZoneSet? = nil,
                otherPoints: PointLayer? = nil, otherPointsLabel: String = "Points", labelled: Bool = false) {
        func points(_ layer: PointLayer?) -> [PlotPoint] { layer.map { l in l.x.indices.map { PlotPoint(l.x[$0], l.y[$0]) } } ?? [] }
        let labels = labelled ? [knownDeposits, hiddenDeposits, otherPoints].compactMap { $0 }.flatMap { layer in
            zip(points(layer), layer.ids).map { (point: $0.0, text: $0.1) }
        } : []
        self.init(faults: faults?.lines.map { $0.map { PlotPoint($0.x, $0.y) } } ?? [],
                  knownDeposits: points(knownDeposits), hiddenDeposits: points(hiddenDeposits),
                  zones: zones?.zones.map { zone in
                      ZoneOutline(grade: zone.grade.rawValue, rings: zone.polygons.flatMap { $0.map { $0.map { PlotPoint($0.x, $0.y) } } })
                  } ?? [],
                  otherPoints: points(otherPoints), otherPointsLabel: otherPointsLabel, labels: labels)
    }
}
