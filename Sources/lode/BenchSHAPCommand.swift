import ArgumentParser
import Foundation
import LodeEval
import LodeGeo
import LodeLibrary
import LodeNN
import LodeTensor

/// `lode bench shap`: permutation SHAP over the 15 layers of SSGSNet for windows of the
/// built-in survey, then shap.PermutationExplainer on the PyTorch reference with the same
/// weights, windows, background and max_evals (scripts/bench_shap_torch.py) in the same job.
struct BenchSHAPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shap",
        abstract: "Permutation SHAP windows per second (SSGSNet, 15 layers) against shap.PermutationExplainer on PyTorch."
    )

    @Option(help: "Windows explained (both sides).")
    var windows: Int = 100

    @Option(help: "Model evaluations per window (shap's max_evals).")
    var maxEvals: Int = 500

    @Option(help: "Windows per forward pass (both sides).")
    var batch: Int = 128

    @OptionGroup var options: ReferenceOptions

    func run() throws {
        guard windows > 0, maxEvals > 0 else { throw ValidationError("--windows and --max-evals must be positive") }
        setGEMMThreads(options.threads)
        let modelConfig = options.modelConfig
        // Real windows: the small survey's augmented deposit and background windows.
        let prepared = try PipelinePreparation.run(preset: "small", perClass: max(16, (windows + 1) / 2))
        let data = prepared.augmented.subset(Array(0..<min(windows, prepared.augmented.count)))
        let background = try LayerBackground(points: [layerMeans(prepared.augmented)])
        let model = try SSGSNet(config: modelConfig, seed: 0)
        let explainer = try LayerExplainer(model: batchModel(model, batchSize: batch), layers: data.channels, height: data.size,
                                           width: data.size, background: background, featureNames: data.layerNames, batchSize: batch)
        var explanation: Explanation?
        let seconds = try timed { explanation = try explainer.permutation(windows: data.windows, count: data.count, maxEvaluations: maxEvals) }
        guard let lode = explanation else { return }
        var result: [String: Any] = [
            "what": "shap", "method": "permutation", "config": options.config, "windows": data.count, "max_evals": maxEvals,
            "batch": batch, "threads": options.threads, "seconds": seconds, "windows_per_s": Double(data.count) / seconds,
            "max_additivity_error": lode.maxAdditivityError, "peak_rss_mib": peakResidentMiB(),
        ]

        // The same model, windows and background for the reference.
        let folder = NSTemporaryDirectory() + "lode-bench-shap-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try model.saveCheckpoint(path: folder + "/model.safetensors")
        try SafetensorsFile(tensors: ["windows": data.tensor(), "background": Tensor(background.points[0])]).write(path: folder + "/inputs.safetensors")
        let reference = ReferenceBenchmark(python: options.pythonPath, arguments: [
            "scripts/bench_shap_torch.py", "--reference", options.reference, "--config", options.config, "--checkpoint", folder + "/model.safetensors",
            "--inputs", folder + "/inputs.safetensors", "--max-evals", String(maxEvals), "--batch", String(batch),
            "--threads", String(options.threads),
        ])
        if let torch = reference.run(), let referenceSeconds = torch["seconds"] as? Double,
           let values = torch["values"] as? [[Double]] {
            result["reference_seconds"] = referenceSeconds
            result["reference_windows_per_s"] = Double(data.count) / referenceSeconds
            result["reference_shap"] = torch["shap"]
            result["ratio_vs_reference"] = referenceSeconds / seconds
            // Two samplings of the same Shapley values: their gap shows both estimate the same thing.
            let gaps = zip(lode.values, values).flatMap { zip($0, $1).map { abs($0 - $1) } }
            result["max_abs_difference_vs_reference"] = gaps.max() ?? 0
            result["mean_abs_difference_vs_reference"] = gaps.reduce(0, +) / Double(max(gaps.count, 1))
            result["mean_abs_shap"] = lode.values.flatMap { $0 }.map(abs).reduce(0, +) / Double(max(gaps.count, 1))
        }
        printResult(result)
    }

    /// Each layer's mean over every window: the one-point background of both sides.
    func layerMeans(_ data: Dataset) -> [Float] {
        let plane = data.size * data.size
        var sums = [Double](repeating: 0, count: data.channels)
        for w in 0..<data.count {
            for c in 0..<data.channels {
                let start = w * data.windowLength + c * plane
                sums[c] += data.windows[start..<(start + plane)].reduce(0.0) { $0 + Double($1) }
            }
        }
        return sums.map { Float($0 / Double(data.count * plane)) }
    }
}
