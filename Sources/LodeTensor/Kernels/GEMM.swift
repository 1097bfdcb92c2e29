import CLodeKernels
#if canImport(COpenBLAS)
import COpenBLAS
#endif
import Dispatch

/// Row-major single-precision GEMM: C = alpha * op(A) * op(B) + beta * C, with op(A) M×K and
/// op(B) K×N. Goes to Lode's packed kernel (CLodeKernels' GemmBody.h) or OpenBLAS `cblas_sgemm`,
/// whichever is the faster for the CPU and shape (`Kernel`); a blocked pure-Swift loop stands in
/// without OpenBLAS.
enum GEMM {
    /// Which GEMM runs the products.
    enum Kernel: String, CaseIterable, Sendable {
        /// Lode's packed kernel for every product large enough to be split over cores (its floats
        /// do not depend on the split, OpenBLAS's may: a row block of a different height can take
        /// another of its micro-kernels), and on the AVX-512 path also for every product of at
        /// least one register tile: OpenBLAS may be held to its AVX2 kernels on a CPU newer than
        /// itself (OPENBLAS_CORETYPE=Haswell), where they reach half of what full-width AVX-512
        /// units do (Lode's ran 1.1–2.1× OpenBLAS's on SSGSNet's shapes, attention's included).
        /// Thinner products (a single query row, a 2-column head) stay with OpenBLAS.
        case automatic
        /// OpenBLAS for every product (the floats may then change with the thread count).
        case openBLAS = "openblas"
        /// Lode's packed kernel for every product (on the path in use).
        case lode
    }

    /// The kernel choice (benchmarks and tests switch it; a model's floats depend on it).
    nonisolated(unsafe) static var kernel = Kernel.automatic

    /// Cores one large GEMM is split over (by rows of C, or columns when C is short and wide).
    /// OpenBLAS itself stays single-threaded: its idle threads spin, which costs a busy
    /// machine dearly, and Lode's own workers already cover both cores.
    nonisolated(unsafe) static var workers = parallelWorkers

    private static let singleThreadedBLAS: Void = {
        #if canImport(COpenBLAS)
        openblas_set_num_threads(1)
        #endif
    }()

    /// Multiply-adds (m·n·k) per core below which a product is not split.
    static let splitWork = 1 << 20

    /// Whether a product of this shape goes to Lode's packed kernel. It depends on the shape and
    /// the CPU path only, never on the thread count.
    static func usesPackedKernel(m: Int, n: Int, k: Int) -> Bool {
        switch kernel {
        case .openBLAS: return false
        case .lode: return true
        case .automatic:
            let work = m * n * k
            if work >= 2 * splitWork { return true }
            let path = lode_cpu_path()
            guard path == Int32(LODE_CPU_AVX512) else { return false }
            return m >= lode_sgemm_tile_rows(path) && n >= lode_sgemm_tile_columns(path)
        }
    }

    /// C = alpha·op(A)·op(B) + beta·C, split over `workers` cores when large enough.
    static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let parts = min(workers, max(1, m * n * k / splitWork))
        // Chosen for the whole product, so every part runs the same kernel.
        let packed = usesPackedKernel(m: m, n: n, k: k)
        if parts <= 1 {
            serial(packed: packed, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                   b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        let splitRows = m >= n || m >= 64 * parts
        let total = splitRows ? m : n
        WorkerPool.shared.run(parts) { part in
            // Block boundaries on multiples of 16 keep the GEMM micro-kernels on full tiles.
            let lo = min(total, (total * part / parts + 15) / 16 * 16)
            let hi = part == parts - 1 ? total : min(total, (total * (part + 1) / parts + 15) / 16 * 16)
            guard lo < hi else { return }
            if splitRows {
                serial(packed: packed, transA: transA, transB: transB, m: hi - lo, n: n, k: k, alpha: alpha,
                       a: transA ? a + lo : a + lo * lda, lda: lda, b: b, ldb: ldb, beta: beta, c: c + lo * ldc,
                       ldc: ldc)
            } else {
                serial(packed: packed, transA: transA, transB: transB, m: m, n: hi - lo, k: k, alpha: alpha, a: a,
                       lda: lda, b: transB ? b + lo * ldb : b + lo, ldb: ldb, beta: beta, c: c + lo, ldc: ldc)
            }
        }
    }

    /// One GEMM on the calling thread (for code that already runs on every core).
    static func sgemmSerial(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        serial(packed: usesPackedKernel(m: m, n: n, k: k), transA: transA, transB: transB, m: m, n: n, k: k,
               alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    private static func serial(packed: Bool, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
                               c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        // Lode's kernel refuses only when its packing buffers cannot be had; OpenBLAS then.
        if packed, lode_sgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) == 0 {
            return
        }
        guard k > 0 else {
            scale(c, m: m, n: n, ldc: ldc, beta: beta)
            return
        }
        #if canImport(COpenBLAS)
        _ = singleThreadedBLAS
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        #else
        referenceSgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                       b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        #endif
    }

    private static func scale(_ c: UnsafeMutablePointer<Float>, m: Int, n: Int, ldc: Int, beta: Float) {
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
    }

    /// Portable GEMM (used without OpenBLAS and as an independent check in tests): i-k-j order so
    /// the inner loop streams rows of B and C.
    static func referenceSgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        scale(c, m: m, n: n, ldc: ldc, beta: beta)
        let row = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer { row.deallocate() }
        for i in 0..<m {
            let ci = c + i * ldc
            for p in 0..<k {
                let aip = alpha * (transA ? a[p * lda + i] : a[i * lda + p])
                if aip == 0 { continue }
                if transB {
                    for j in 0..<n { ci[j] += aip * b[j * ldb + p] }
                } else {
                    let bp = b + p * ldb
                    for j in 0..<n { ci[j] += aip * bp[j] }
                }
            }
        }
    }

}

/// The GEMM a product of this shape runs on: "lode" (Lode's packed kernel) or "openblas".
public func gemmKernelName(m: Int, n: Int, k: Int) -> String {
    GEMM.usesPackedKernel(m: m, n: n, k: k) ? GEMM.Kernel.lode.rawValue : GEMM.Kernel.openBLAS.rawValue
}

/// Runs `body` with every product on one GEMM ("automatic", "openblas" or "lode"; benchmarks
/// compare them), then restores the choice.
public func withGEMMKernel<T>(_ name: String, _ body: () throws -> T) throws -> T {
    guard let kernel = GEMM.Kernel(rawValue: name) else {
        throw TensorError(op: "gemm", "unknown GEMM kernel '\(name)'; choose automatic, openblas or lode")
    }
    let saved = GEMM.kernel
    GEMM.kernel = kernel
    defer { GEMM.kernel = saved }
    return try body()
}

/// Sets how many cores a single large GEMM is split over (benchmarks, tuning).
public func setGEMMThreads(_ count: Int) { GEMM.workers = max(1, count) }

