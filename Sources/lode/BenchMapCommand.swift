import ArgumentParser
import Foundation
import LodeEval
import LodeGeo
import LodeLibrary
import LodeNN
import LodeTensor

/// `lode bench map`: the prospectivity map of the paper-preset area (LodeGeo's survey
/// pipeline stack) with the paper SSGSNet at stride 16 (about 11 000 windows), then the
/// PyTorch reference's inference of as many windows (bench_torch.py) in the same job.
struct BenchMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Prospectivity-map windows per second (paper stack and SSGSNet) against PyTorch inference of as many windows."
    )

    @Option(help: "Survey preset of the stack: paper or small.")
    var preset: String = "paper"

    @Option(help: "Sliding-window stride in cells.")
    var stride: Int = 16

    @Option(help: "Windows per forward pass (both sides).")
    var batch: Int = 64

    @OptionGroup var options: ReferenceOptions

    func run() throws {
        setGEMMThreads(options.threads)
        let modelConfig = options.modelConfig
        printError("preparing the \(preset) stack ...")
        var prepared: PipelinePreparation?
        let stackSeconds = try timed { prepared = try PipelinePreparation.run(preset: preset, perClass: 16) }
        guard let stack = prepared?.stack else { throw ValidationError("no stack was prepared") }
        let model = try SSGSNet(config: modelConfig, seed: 0)
        var windows = 0
        var lastPercent = -1
        let mapSeconds = try timed {
            _ = try predictMap(stack: stack, windowSize: modelConfig.window, stride: stride, expectedChannels: modelConfig.inputChannels,
                               batchSize: batch, workers: 1, model: batchModel(model, batchSize: batch),
                               progress: { p in
                                   windows = p.windowsTotal
                                   let percent = Int(p.fraction * 10) * 10
                                   if percent != lastPercent { lastPercent = percent; printError("mapping \(percent)% (\(p.windowsDone) of \(p.windowsTotal))") }
                               })
        }
        var result: [String: Any] = [
            "what": "map", "preset": preset, "config": options.config, "stride": stride, "batch": batch, "threads": options.threads,
            "rows": stack.grid.rows, "columns": stack.grid.cols, "windows": windows,
            "stack_seconds": stackSeconds, "map_seconds": mapSeconds, "windows_per_s": Double(windows) / mapSeconds,
            "peak_rss_mib": peakResidentMiB(),
        ]
        let steps = (windows + batch - 1) / batch
        let reference = ReferenceBenchmark(python: options.pythonPath, arguments: [
            options.reference + "/bench_torch.py", "infer", "ssgsnet", "--config", options.config, "--batch", String(batch),
            "--steps", String(steps), "--warmup", "1", "--threads", String(options.threads),
        ])
        if let torch = reference.run(), let rate = torch["samples_per_s"] as? Double {
            // bench_torch reports the median step; its total is steps x median.
            result["reference_windows_per_s"] = rate
            result["reference_windows"] = steps * batch
            result["reference_torch"] = torch["torch"]
            result["ratio_vs_reference"] = (Double(windows) / mapSeconds) / rate
        }
        printResult(result)
    }
}
