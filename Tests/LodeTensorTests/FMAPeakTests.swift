import CLodeKernels
import XCTest
@testable import LodeTensor

/// The FMA peak probe behind `lode bench conv`: the flops it reports and the values it computes,
/// on every dispatch path this CPU runs.
final class FMAPeakTests: XCTestCase {
    func testLoopCountsItsFlopsAndComputesTheRecurrence() {
        let lanes = ["portable": 4, "avx2": 8, "avx512": 16]
        let iterations = 1000
        // Twelve chains start at 0.001·k and follow acc = acc·m + a in float, fused on the FMA
        // paths and rounded twice on the portable one; the probe sums every lane.
        let (m, a) = (Float(0.9999999), Float(1e-7))
        func perLane(fused: Bool) -> Double {
            var total = 0.0
            for k in 0..<12 {
                var acc = Float(0.001) * Float(k)
                for _ in 0..<iterations { acc = fused ? a.addingProduct(acc, m) : acc * m + a }
                total += Double(acc)
            }
            return total
        }
        XCTAssertFalse(KernelPaths.available.isEmpty)
        for path in KernelPaths.available {
            var flops = 0.0
            let sum = lode_fma_loop(lode_cpu_path_named(path), iterations, &flops)
            let width = lanes[path] ?? 0
            XCTAssertEqual(flops, 2.0 * Double(width * 12 * iterations), path)
            let expected = perLane(fused: path != "portable") * Double(width)
            XCTAssertEqual(Double(sum), expected, accuracy: 1e-6 * expected, path)
        }
    }

    func testPeakIsPositiveOnAvailablePathsAndAbsentOtherwise() {
        for path in KernelPaths.available {
            let peak = KernelPaths.measuredFMAPeak(path: path, threads: 1, seconds: 0.005, trials: 1) ?? 0
            XCTAssertGreaterThan(peak, 1e8, "\(path): at least 0.1 GFLOP/s")
        }
        XCTAssertNil(KernelPaths.measuredFMAPeak(path: "sse9", threads: 1))
        XCTAssertTrue(KernelPaths.available.contains(KernelPaths.current))
    }
}
