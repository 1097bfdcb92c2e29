import CLodeKernels
import Dispatch

/// The CPU kernels' dispatch paths (CLodeKernels) and the machine's measured multiply-add peak,
/// the yardstick `lode bench conv` reports convolutions against.
public enum KernelPaths {
    /// The path the kernels run on now ("portable", "avx2" or "avx512").
    public static var current: String { name(lode_cpu_path()) }

    /// Every path this CPU can run, in order of preference.
    public static var available: [String] {
        (0..<Int(LODE_CPU_PATH_COUNT)).filter { lode_cpu_path_available(Int32($0)) != 0 }.map { name(Int32($0)) }
    }

    private static func name(_ path: Int32) -> String { lode_cpu_path_name(path).map { String(cString: $0) } ?? "unknown" }

    /// Peak multiply-add FLOP/s of `threads` cores running a tight vector FMA loop on `path`
    /// together, the best of `trials` runs of about `seconds` each; nil when the CPU cannot run
    /// the path. On a shared machine this is what the cores deliver now, not the datasheet's.
    public static func measuredFMAPeak(path: String, threads: Int, seconds: Double = 0.1, trials: Int = 3) -> Double? {
        let index = lode_cpu_path_named(path)
        guard index >= 0, lode_cpu_path_available(index) != 0 else { return nil }
        // Calibrate: iterations that take about `seconds` on one core.
        var iterations = 1 << 16
        while true {
            let t = wallSeconds { var f = 0.0; if lode_fma_loop(index, iterations, &f).isNaN { sink += 1 } }
            if t >= seconds / 4 || iterations >= 1 << 34 {
                iterations = max(1, Int(Double(iterations) * seconds / max(t, 1e-9)))
                break
            }
            iterations *= 4
        }
        let workers = max(1, threads)
        var best = 0.0
        for _ in 0..<max(1, trials) {
            var flops = [Double](repeating: 0, count: workers)
            let t = flops.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                return wallSeconds {
                    WorkerPool.shared.run(workers) { w in
                        var f = 0.0
                        let s = lode_fma_loop(index, iterations, &f)
                        base[w] = f + (s.isNaN ? 1 : 0)  // keeps the loop's result alive
                    }
                }
            }
            best = max(best, flops.reduce(0, +) / t)
        }
        return best
    }

    nonisolated(unsafe) private static var sink = 0

    private static func wallSeconds(_ body: () -> Void) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }
}
