import ArgumentParser
import Foundation
import LodeNN
import LodeTensor

/// Options shared by the two model benchmarks (the same as shared/reference/bench_torch.py).
struct ModelBenchOptions: ParsableArguments {
    @Option(help: "Model: ssgsnet, resnet, vit or dualbranch.")
    var model: String = "ssgsnet"

    @Option(help: "Windows per batch.")
    var batch: Int = 32

    @Option(help: "Timed steps (median reported).")
    var steps: Int?

    @Option(help: "Untimed steps first.")
    var warmup: Int?

    @OptionGroup var configuration: ConfigurationOptions

    @Option(help: "Seed of the weights and the batch.")
    var seed: UInt64 = 0

    @Option(help: "3x3 stride-1 convolutions: automatic, im2col, winograd or winograd4x4 (for A/B comparisons).")
    var convolution: String = "automatic"

    @Option(help: "Convolution GEMMs per group of samples or over the whole batch: automatic, groups or batch (for A/B comparisons).")
    var panels: String = "automatic"

    func validate() throws {
        guard ConvolutionAlgorithm(rawValue: convolution) != nil else {
            throw ValidationError("unknown --convolution '\(convolution)'; choose " + ConvolutionAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard ConvolutionPanels(rawValue: panels) != nil else {
            throw ValidationError("unknown --panels '\(panels)'; choose " + ConvolutionPanels.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func setUp() throws -> (WindowClassifier, Tensor, [Int]) {
        setGEMMThreads(configuration.threads)
        Convolution.algorithm = ConvolutionAlgorithm(rawValue: convolution) ?? .automatic
        Convolution.panels = ConvolutionPanels(rawValue: panels) ?? .automatic
        keepFreedMemoryForReuse()
        let cfg = configuration.modelConfig
        let m = try makeModel(ModelKind(name: model), config: cfg, seed: seed)
        var rng = RandomStream(seed: seed &+ 1)
        let x = try Tensor.normal([batch, cfg.inputChannels, cfg.window, cfg.window], using: &rng)
        let y = (0..<batch).map { _ in Int(rng.next() % UInt64(cfg.classes)) }
        return (m, x, y)
    }

    func report(_ what: String, model m: WindowClassifier, times: [Double], extra: [String: Any]) throws {
        let sorted = times.sorted()
        let median = sorted[sorted.count / 2]
        var r: [String: Any] = [
            "what": what, "model": model, "config": configuration.config, "batch": batch, "threads": configuration.threads,
            "step_s_median": median, "step_s_min": sorted.first ?? 0, "step_s_max": sorted.last ?? 0,
            "samples_per_s": Double(batch) / median, "peak_rss_mib": peakResidentMiB(),
            "seconds": times.reduce(0, +), "params": m.parameterCount, "convolution": convolution,
            "panels": panels,
        ]
        r.merge(extra) { $1 }
        let json = try JSONSerialization.data(withJSONObject: r, options: [.sortedKeys])
        print("RESULT " + String(decoding: json, as: UTF8.self))
    }
}

/// Peak resident set size of this process in MiB (ru_maxrss is in KiB on Linux).
func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Wall time of `body` in seconds.
func timed(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

/// `lode bench train`: one Adam step (lr 1e-5) per batch on a fixed random batch.
struct TrainBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training steps per second of a model (forward, cross-entropy, backward, Adam); the loss must fall."
    )

    @OptionGroup var options: ModelBenchOptions

    @Option(help: "Write the trained model here afterwards (a Lode checkpoint).")
    var saveCheckpoint: String?

    func run() throws {
        let (model, x, y) = try options.setUp()
        model.train()
        let adam = Adam(parameters: model.parameters(), learningRate: 1e-5)
        var losses: [Float] = []
        var times: [Double] = []
        let (steps, warmup) = (options.steps ?? 20, options.warmup ?? 5)
        for i in 0..<(warmup + steps) {
            let t = try timed {
                adam.zeroGrad()
                let loss = try crossEntropy(logits: model(x), labels: y)
                try loss.backward()
                adam.step()
                losses.append(loss.item)
            }
            if i >= warmup { times.append(t) }
            FileHandle.standardError.write(Data(String(format: "step %d loss %.5f %.3f s\n", i, losses[i], t).utf8))
        }
        if let saveCheckpoint { try model.saveCheckpoint(path: saveCheckpoint) }
        let first = losses.first ?? 0, last = losses.last ?? 0
        try options.report("train", model: model, times: times,
                           extra: ["loss_first": first, "loss_last": last, "loss_fell": last < first, "steps": losses.count])
    }
}

/// `lode bench infer`: evaluation-mode forward passes without the tape.
struct InferBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Inference windows per second of a model (eval mode, no gradient)."
    )

    @OptionGroup var options: ModelBenchOptions

    func run() throws {
        let (model, x, _) = try options.setUp()
        model.eval()
        var times: [Double] = []
        // The reference's protocol (bench_torch.py: 20 timed steps after 5 untimed), so the two
        // medians are taken alike; 10 after 2 left Lode's median more exposed to a noisy minute.
        let (steps, warmup) = (options.steps ?? 20, options.warmup ?? 5)
        for i in 0..<(warmup + steps) {
            let t = try timed { _ = try noGrad { try model(x) } }
            if i >= warmup { times.append(t) }
            FileHandle.standardError.write(Data(String(format: "step %d %.3f s\n", i, t).utf8))
        }
        try options.report("infer", model: model, times: times, extra: [:])
    }
}
