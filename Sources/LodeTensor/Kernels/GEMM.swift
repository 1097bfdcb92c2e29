#if canImport(COpenBLAS)
import COpenBLAS
#endif

/// Row-major single-precision GEMM: C = alpha * op(A) * op(B) + beta * C, with op(A) M×K and
/// op(B) K×N. Goes to OpenBLAS `cblas_sgemm`; a blocked pure-Swift loop stands in without it.
enum GEMM {
    static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            scale(c, m: m, n: n, ldc: ldc, beta: beta)
            return
        }
        #if canImport(COpenBLAS)
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

    /// Threads OpenBLAS may use for one call.
    static var threads: Int {
        get {
            #if canImport(COpenBLAS)
            return Int(openblas_get_num_threads())
            #else
            return 1
            #endif
        }
        set {
            #if canImport(COpenBLAS)
            openblas_set_num_threads(Int32(newValue))
            #endif
        }
    }

    /// Runs `body` (which issues GEMMs from several of our own workers at once) with OpenBLAS
    /// single-threaded, so the two levels of parallelism do not oversubscribe the cores.
    static func withSingleThreadedBLAS<T>(_ body: () throws -> T) rethrows -> T {
        let saved = threads
        if saved != 1 { threads = 1 }
        defer { if saved != 1 { threads = saved } }
        return try body()
    }
}

/// Sets the number of threads OpenBLAS uses for a single GEMM (benchmarks, tuning).
public func setBLASThreads(_ count: Int) { GEMM.threads = max(1, count) }
