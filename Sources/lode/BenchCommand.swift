import ArgumentParser
import Foundation
import LodeTensor

/// `lode bench gemm|conv`: throughput figures of the tensor core, ending with one `RESULT {json}`
/// line. It is the bench group's default, so its own name (`kernels`) is optional.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Measure Lode's kernels (gemm: sgemm GFLOP/s; conv: every SSGSNet conv shape, forward and backward GFLOP/s and fraction of the measured FMA peak).",
        usage: "lode bench <name> [--threads <threads>] [--repeats <repeats>]\n  (name: gemm or conv; the same as lode bench kernels <name>)"
    )

    @Argument(help: "What to measure: gemm or conv.")
    var name: String

    @Option(help: "Cores one GEMM is split over.")
    var threads: Int = 2

    @Option(help: "Timed repetitions (0 = a default per size): gemm reports their median, conv their best.")
    var repeats: Int = 0

    @Option(help: "conv: only the SSGSNet layers whose name contains this (e.g. layers.1.conv2).")
    var layer: String?

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1 (got \(threads))") }
        guard repeats >= 0 else { throw ValidationError("--repeats must be 0 (a default) or more (got \(repeats))") }
    }

    func run() throws {
        setGEMMThreads(threads)
        var result: [String: Any] = ["bench": name, "threads": threads]
        switch name {
        case "gemm":
            // The automatic choice (what Lode runs), then OpenBLAS alone beside it.
            for n in [512, 2048] {
                let a = try Tensor.uniform([n, n], low: -1, high: 1, seed: 1)
                let b = try Tensor.uniform([n, n], low: -1, high: 1, seed: 2)
                let kernel = gemmKernelName(m: n, n: n, k: n)
                for choice in ["automatic", "openblas"] {
                    let seconds = try withGEMMKernel(choice) {
                        try medianSeconds(repeats > 0 ? repeats : (n == 512 ? 10 : 3), warmup: 2) { _ = try matmul(a, b) }
                    }
                    let gflops = 2 * pow(Double(n), 3) / seconds / 1e9
                    let automatic = choice == "automatic"
                    result["sgemm_\(n)\(automatic ? "" : "_openblas")_gflops_median"] = gflops
                    print(String(format: "sgemm %4d: %7.2f GFLOP/s (median %.4f s) ", n, gflops, seconds)
                          + (automatic ? "by \(kernel), the automatic choice" : "by OpenBLAS alone"))
                }
                result["sgemm_\(n)_kernel"] = kernel
            }
        case "conv":
            result.merge(try ConvBench(batch: 32, threads: threads, repeats: repeats > 0 ? repeats : 3, layer: layer).run()) { $1 }
        default:
            throw ValidationError("unknown benchmark '\(name)'; choose gemm or conv")
        }
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print("RESULT " + String(decoding: json, as: UTF8.self))
    }
}
