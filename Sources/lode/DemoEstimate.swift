import Foundation
import LodeGeo
import LodeNN
import LodeScript
import LodeTensor

/// How long `lode demo` will take on this machine, said before it starts: a few training steps
/// and forward passes of each model are timed here, then multiplied by the counts of the plan
/// (demo_sizes() in stdlib/pipeline.lode, read from the session, so the sizes live in one place).
/// Training and inference are most of the run; data preparation, window cutting, baselines and
/// figures are left out, so the estimate runs short rather than long: about two thirds of the
/// measured time on the small preset, where those are a larger share than on the paper's
/// (tests/test_demo_estimate.py holds it within a factor of two).
struct DemoEstimate {
    struct Part {
        let name: String
        let seconds: Double
        let detail: String
    }

    var parts: [Part] = []
    /// Seconds of one training of each model (one split), keyed by its display name.
    var perModel: [(name: String, seconds: Double)] = []
    var total: Double { parts.reduce(0) { $0 + $1.seconds } }
    /// The seconds of every part but the main training (for the ETA during training).
    var afterTraining: Double { parts.filter { $0.name != "training" }.reduce(0) { $0 + $1.seconds } }

    /// Timings of one model: a training step (forward, loss, backward, Adam) and one window's
    /// forward pass in evaluation mode, both at `batch` windows.
    struct ModelTiming {
        let step: Double
        let window: Double
    }

    /// Times `kind` at `config`: one untimed step, then the median of `steps` (the first steps
    /// allocate and fill caches; the median ignores a step slowed by another process).
    static func time(_ kind: ModelKind, config: ModelConfig, batch: Int, steps: Int = 3) throws -> ModelTiming {
        let model = try makeModel(kind, config: config, seed: 0)
        var rng = RandomStream(seed: 1)
        let x = try Tensor.normal([batch, config.inputChannels, config.window, config.window], using: &rng)
        let labels = (0..<batch).map { $0 % config.classes }
        let adam = Adam(parameters: model.parameters(), learningRate: 1e-5)
        model.train()
        var stepTimes: [Double] = []
        for i in 0...steps {
            let t = try timed {
                adam.zeroGrad()
                try crossEntropy(logits: model(x), labels: labels).backward()
                adam.step()
            }
            if i > 0 { stepTimes.append(t) }
        }
        model.eval()
        var forwardTimes: [Double] = []
        for i in 0...2 {
            let t = try timed { _ = try noGrad { try model(x) } }
            if i > 0 { forwardTimes.append(t) }
        }
        return ModelTiming(step: stepTimes.sorted()[stepTimes.count / 2], window: forwardTimes.min()! / Double(batch))
    }

    /// The estimate for the plan `sizes` (a demo_sizes() record), timing the models it trains.
    static func measure(sizes: LodeRecord, channels: Int = 15) throws -> DemoEstimate {
        func time(_ kind: ModelKind, _ config: ModelConfig, _ batch: Int) throws -> ModelTiming {
            try Self.time(kind, config: config, batch: batch)
        }
        func number(_ record: LodeRecord, _ key: String) throws -> Double {
            guard let value = record[key]?.numberValue else { throw DemoEstimateError.missing(key) }
            return value
        }
        func config(_ preset: String?, window: Double) -> ModelConfig {
            var c: ModelConfig = preset == "tiny" ? .tiny : .paper
            c.inputChannels = channels
            c.window = Int(window)
            return c
        }
        let survey = try SurveyPreset.named(sizes["survey"]?.stringValue ?? "small")
        var estimate = DemoEstimate()

        // Main training: four models, two splits, every epoch's training steps and validation.
        let (epochs, batch, perClass) = (try number(sizes, "epochs"), try number(sizes, "batch"), try number(sizes, "per_class"))
        let windows = 2 * perClass, validation = (windows * (try number(sizes, "validation"))).rounded()
        let stepsPerEpoch = ((windows - validation) / batch).rounded(.up)
        let main = config(sizes["preset"]?.stringValue, window: try number(sizes, "window"))
        var timings: [ModelKind: ModelTiming] = [:]
        for kind in ModelKind.allCases { timings[kind] = try time(kind, main, Int(batch)) }
        let training = ModelKind.allCases.reduce(0.0) { sum, kind in
            let t = timings[kind]!
            return sum + 2 * epochs * (stepsPerEpoch * t.step + validation * t.window)
        }
        estimate.perModel = ModelKind.allCases.map { kind in
            let t = timings[kind]!
            return (kind.displayName, epochs * (stepsPerEpoch * t.step + validation * t.window))
        }
        let steps = ModelKind.allCases.map { String(format: "%.2f", timings[$0]!.step) }.joined(separator: "/")
        estimate.parts.append(Part(name: "training", seconds: training,
                                   detail: "4 models x 2 splits x \(Int(epochs)) epochs x \(Int(stepsPerEpoch)) steps at \(steps) s a step"))

        // Maps: every model over the grid at the plan's stride.
        let stride = try number(sizes, "stride")
        let cells = (survey.width / survey.cellSize / stride).rounded(.up) * (survey.height / survey.cellSize / stride).rounded(.up)
        let mapping = ModelKind.allCases.reduce(0.0) { $0 + cells * timings[$1]!.window }
        estimate.parts.append(Part(name: "maps", seconds: mapping, detail: "4 models x \(Int(cells)) windows"))

        // SHAP: permutation over the SSGSNet windows, each evaluation a batch of background windows.
        let shapWindows = try number(sizes, "shap_windows") * (try number(sizes, "shap_evals")) * (try number(sizes, "shap_background"))
        estimate.parts.append(Part(name: "SHAP", seconds: shapWindows * timings[.ssgsnet]!.window,
                                   detail: "\(Int(shapWindows)) SSGSNet windows"))

        // Map-level validation: each deep recipe (the models, and SSGSNet by the other recipe)
        // trained on k folds and on all deposits, each time mapping the whole grid.
        if let comparison = sizes["comparison"]?.recordValue, let small = comparison["sizes"]?.recordValue {
            let names = comparison["models"]?.listValue?.compactMap { $0.stringValue.flatMap(ModelKind.init(rawValue:)) } ?? []
            let runs = try number(comparison, "k") + 1
            let (cEpochs, cBatch) = (try number(small, "epochs"), try number(small, "batch"))
            let cSteps = (2 * (try number(small, "per_class")) / cBatch).rounded(.up)
            let cCell = try number(comparison, "cell"), cStride = try number(small, "stride")
            let cWindows = (survey.width / cCell / cStride).rounded(.up) * (survey.height / cCell / cStride).rounded(.up)
            let cConfig = config(small["preset"]?.stringValue, window: try number(small, "window"))
            var seconds = 0.0
            for kind in names + (names.isEmpty ? [] : [.ssgsnet]) {
                let t = try time(kind, cConfig, Int(cBatch))
                seconds += runs * (cEpochs * cSteps * t.step + cWindows * t.window)
            }
            estimate.parts.append(Part(name: "map-level validation", seconds: seconds,
                                       detail: "\(names.count + (names.isEmpty ? 0 : 1)) recipes x \(Int(runs)) trainings and maps"))
        }
        return estimate
    }

    /// "13 h 5 min", "42 min", "35 s".
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600) h \((s % 3600) / 60) min" }
        if s >= 60 { return "\(s / 60) min \(s % 60) s" }
        return "\(s) s"
    }

    /// The estimate as a Lode record, for the ETA lines of run_demo().
    var record: LodeValue {
        .record(LodeRecord([("total", .number(total)), ("training", .number(total - afterTraining)),
                            ("after_training", .number(afterTraining)),
                            ("models", .record(LodeRecord(perModel.map { ($0.name, .number($0.seconds)) })))]))
    }

    /// The lines printed before the run.
    var summary: [String] {
        ["estimated time: about \(Self.duration(total)) (\(Int(total.rounded())) s) on this machine with \(Threads.count) threads, "
            + "from timed steps of each model (not counted: data preparation, the baselines and the figures):"]
            + parts.map { "  \($0.name): \(Self.duration($0.seconds)) (\($0.detail))" }
    }
}

enum DemoEstimateError: Error, CustomStringConvertible {
    case missing(String)
    var description: String { "demo_sizes() in stdlib/pipeline.lode gave no number for '\(self.key)'" }
    private var key: String { if case .missing(let k) = self { return k }; return "" }
}
