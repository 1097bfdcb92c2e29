import CLodeKernels
import Foundation
@testable import LodeTensor
import XCTest

/// Lode's packed GEMM (CLodeKernels/GemmBody.h) against a product summed in double, on every path
/// this CPU runs: transposes, edges of the register tile and of the cache blocks, alpha and beta.
final class PackedGEMMTests: XCTestCase {
    /// (transA, transB, m, n, k): tile edges (m not a multiple of 12 or 6, n of 32 or 16), more
    /// than one depth block (k > 256), row block (m > 192) and column block (n > 1024), either
    /// way round.
    private let shapes: [(Bool, Bool, Int, Int, Int)] = [
        (false, false, 1, 1, 1), (false, false, 37, 23, 19), (true, false, 45, 70, 300), (false, true, 231, 33, 257),
        (true, true, 15, 2100, 40), (false, true, 300, 64, 513), (true, false, 64, 16, 2304), (false, false, 7, 5, 0),
        (false, false, 250, 130, 300), (true, false, 200, 1100, 20),
    ]

    /// C = alpha·op(A)·op(B) + beta·C with the sums in double: the independent reference.
    private func expected(_ tA: Bool, _ tB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: [Float],
                          _ b: [Float], _ beta: Float, _ c: [Float]) -> [Double] {
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = tA ? a[p * m + i] : a[i * k + p], y = tB ? b[j * k + p] : b[p * n + j]
                    sum += Double(x) * Double(y)
                }
                out[i * n + j] = Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * Double(c[i * n + j]))
            }
        }
        return out
    }

    private func values(_ count: Int, seed: UInt64) throws -> [Float] {
        try Tensor.normal([max(count, 1)], seed: seed).scalars.prefix(count).map { $0 }
    }

    private func run(path: Int32, _ tA: Bool, _ tB: Bool, _ m: Int, _ n: Int, _ k: Int, alpha: Float, a: [Float],
                     b: [Float], beta: Float, c: [Float]) -> [Float] {
        var out = c
        let status = a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    lode_sgemm_on_path(path, tA ? 1 : 0, tB ? 1 : 0, m, n, k, alpha, pa.baseAddress, tA ? m : k,
                                       pb.baseAddress, tB ? k : n, beta, pc.baseAddress, n)
                }
            }
        }
        XCTAssertEqual(status, 0)
        return out
    }

    private var paths: [Int32] {
        (0..<Int32(LODE_CPU_PATH_COUNT)).filter { lode_cpu_path_available($0) != 0 }
    }

    func testEveryPathMatchesTheDoubleReferenceAndTheAVXPathsAgreeBitForBit() throws {
        for (index, (tA, tB, m, n, k)) in shapes.enumerated() {
            let a = try values(m * k, seed: UInt64(10 + index)), b = try values(k * n, seed: UInt64(40 + index))
            let c = try values(m * n, seed: UInt64(70 + index))
            for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1), (-2, 0.25)] {
                let want = expected(tA, tB, m, n, k, alpha, a, b, beta, c)
                var first: [Float]?
                for path in paths {
                    let got = run(path: path, tA, tB, m, n, k, alpha: alpha, a: a, b: b, beta: beta, c: c)
                    for i in 0..<(m * n) {
                        let scale = max(1, abs(want[i]), Double(k).squareRoot())
                        XCTAssertEqual(Double(got[i]), want[i], accuracy: 2e-6 * scale * Double(max(k, 1)).squareRoot(),
                                       "path \(path) shape \(index) alpha \(alpha) beta \(beta) entry \(i)")
                    }
                    // The AVX paths sum each entry in the same order with fused multiply-adds.
                    guard path != Int32(LODE_CPU_PORTABLE) else { continue }
                    if let first { XCTAssertEqual(got, first, "path \(path) shape \(index)") } else { first = got }
                }
            }
        }
    }

    func testBetaZeroNeverReadsC() throws {
        let m = 30, n = 40, k = 20
        let a = try values(m * k, seed: 1), b = try values(k * n, seed: 2)
        let nan = [Float](repeating: .nan, count: m * n)
        for path in paths {
            let got = run(path: path, false, false, m, n, k, alpha: 1, a: a, b: b, beta: 0, c: nan)
            XCTAssertFalse(got.contains { $0.isNaN }, "path \(path)")
        }
    }

    /// The entry points the tensor ops use: the same floats whether one GEMM runs on one core or
    /// is split over two, and Lode's kernel chosen for a large product on the AVX-512 path only.
    func testSplittingOverCoresChangesNoFloatAndTheChoiceFollowsThePath() throws {
        let saved = (GEMM.kernel, GEMM.workers)
        defer { (GEMM.kernel, GEMM.workers) = saved }
        let m = 500, n = 300, k = 270
        let a = try Tensor.normal([m, k], seed: 3), b = try Tensor.normal([n, k], seed: 4)
        for kernel in [GEMM.Kernel.lode, .openBLAS] {
            GEMM.kernel = kernel
            var results: [[Float]] = []
            for workers in [1, 2] {
                GEMM.workers = workers
                let c = Tensor.zeros([m, n])
                GEMM.sgemm(transA: false, transB: true, m: m, n: n, k: k, a: a.pointer, lda: k, b: b.pointer, ldb: k,
                           c: c.pointer, ldc: n)
                results.append(c.scalars)
            }
            if kernel == .lode { XCTAssertEqual(results[0], results[1]) }
            let want = Tensor.zeros([m, n])
            GEMM.referenceSgemm(transA: false, transB: true, m: m, n: n, k: k, alpha: 1, a: a.pointer, lda: k,
                                b: b.pointer, ldb: k, beta: 0, c: want.pointer, ldc: n)
            assertClose(tensor([m, n], results[1]), want, tolerance: 1e-4, "\(kernel)")
        }
        GEMM.kernel = .automatic
        let onAVX512 = lode_cpu_path() == Int32(LODE_CPU_AVX512)
        XCTAssertEqual(GEMM.usesPackedKernel(m: 65, n: 65, k: 32), onAVX512)
        XCTAssertFalse(GEMM.usesPackedKernel(m: 1, n: 65, k: 32))
        // Large enough to be split: Lode's on every path, so the thread count changes no float.
        XCTAssertTrue(GEMM.usesPackedKernel(m: 1040, n: 32, k: 96))
    }

    /// Each thread's packing buffer goes with the thread: 150 threads that each run one product
    /// and end leave the resident memory (from /proc/self/statm) within a few buffers of where
    /// it was; kept per thread without a destructor, they would hold 150 × 1 MB.
    func testThreadsThatEndLeaveNoPackingBuffers() throws {
        let m = 64, n = 1024, k = 300
        let a = try values(m * k, seed: 5), b = try values(k * n, seed: 6)
        func runOnNewThread() {
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                _ = self.run(path: lode_cpu_path(), false, false, m, n, k, alpha: 1, a: a, b: b, beta: 0,
                             c: [Float](repeating: 0, count: m * n))
                done.signal()
            }
            thread.start()
            done.wait()
            usleep(2000)  // the thread's exit (and its key destructor) follows its last statement
        }
        func residentMiB() throws -> Double {
            let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
            return Double(fields[1])! * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
        }
        for _ in 0..<5 { runOnNewThread() }
        let before = try residentMiB()
        for _ in 0..<150 { runOnNewThread() }
        XCTAssertLessThan(try residentMiB() - before, 40)
    }
}
