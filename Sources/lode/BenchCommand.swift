import ArgumentParser
import Foundation
import LodeTensor

/// `lode bench gemm|conv`: throughput figures of the tensor core, ending with one `RESULT {json}`
/// line. It is the bench group's default, so its own name (`kernels`) is optional.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Measure Lode's kernels (gemm: sgemm GFLOP/s; conv: paper-size conv2d forward+backward GFLOP/s).",
        usage: "lode bench <name> [--threads <threads>] [--repeats <repeats>]\n  (name: gemm or conv; the same as lode bench kernels <name>)"
    )

    @Argument(help: "What to measure: gemm or conv.")
    var name: String

    @Option(help: "Cores one GEMM is split over.")
    var threads: Int = 2

    @Option(help: "Median of this many timed repetitions (0 = a default per size).")
    var repeats: Int = 0

    func run() throws {
        setGEMMThreads(threads)
        var result: [String: Any] = ["bench": name, "threads": threads]
        switch name {
        case "gemm":
            for n in [512, 2048] {
                let a = try Tensor.uniform([n, n], low: -1, high: 1, seed: 1)
                let b = try Tensor.uniform([n, n], low: -1, high: 1, seed: 2)
                let seconds = try median(repeats > 0 ? repeats : (n == 512 ? 10 : 3), warmup: 2) { _ = try matmul(a, b) }
                let gflops = 2 * pow(Double(n), 3) / seconds / 1e9
                result["sgemm_\(n)_gflops_median"] = gflops
                print(String(format: "sgemm %4d: %7.2f GFLOP/s (median %.4f s)", n, gflops, seconds))
            }
        case "conv":
            // The paper's first residual stage: batch 32, 64 → 64 channels, 32×32, 3×3, padding 1.
            let (n, c, o, hw, k) = (32, 64, 64, 32, 3)
            let x = try Tensor.normal([n, c, hw, hw], seed: 1)
            x.requiresGrad = true
            let w = try Tensor.normal([o, c, k, k], standardDeviation: 0.05, seed: 2)
            w.requiresGrad = true
            let g = try Tensor.normal([n, o, hw, hw], seed: 3)
            let forwardFlops = 2.0 * Double(n * o * hw * hw * c * k * k)
            let fwd = try median(repeats > 0 ? repeats : 5, warmup: 1) {
                _ = try noGrad { try conv2d(x, weight: w, padding: 1) }
            }
            let both = try median(repeats > 0 ? repeats : 5, warmup: 1) {
                let y = try conv2d(x, weight: w, padding: 1)
                try y.backward(gradient: g)
                x.grad = nil
                w.grad = nil
            }
            result["conv_forward_gflops_median"] = forwardFlops / fwd / 1e9
            result["conv_forward_backward_gflops_median"] = 3 * forwardFlops / both / 1e9
            result["conv_forward_backward_s_median"] = both
            print(String(format: "conv2d 32x64x32x32, 64 3x3: forward %.2f GFLOP/s (%.4f s), forward+backward %.2f GFLOP/s (%.4f s)",
                         forwardFlops / fwd / 1e9, fwd, 3 * forwardFlops / both / 1e9, both))
        default:
            throw ValidationError("unknown benchmark '\(name)'; choose gemm or conv")
        }
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print("RESULT " + String(decoding: json, as: UTF8.self))
    }

    /// Median wall time of `repeats` runs after `warmup` untimed ones.
    private func median(_ repeats: Int, warmup: Int, _ body: () throws -> Void) rethrows -> Double {
        for _ in 0..<warmup { try body() }
        var times: [Double] = []
        for _ in 0..<repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        times.sort()
        return times[times.count / 2]
    }
}
