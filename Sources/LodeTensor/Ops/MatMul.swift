/// Matrix products through GEMM. Gradients use transposed GEMM calls instead of copies.

/// C[b] = op(A[b]) · op(B[b]) for `batch` matrices at fixed element strides (stride 0 reuses
/// one matrix). Small products are spread over the cores with single-threaded BLAS calls.
func batchedGEMM(batch: Int, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                 a: UnsafePointer<Float>, strideA: Int, b: UnsafePointer<Float>, strideB: Int,
                 beta: Float = 0, c: UnsafeMutablePointer<Float>, strideC: Int) {
    let lda = transA ? m : k, ldb = transB ? k : n
    if batch == 1 || m * n * k >= 1 << 21 {
        for i in 0..<batch {
            GEMM.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, a: a + i * strideA, lda: lda,
                       b: b + i * strideB, ldb: ldb, beta: beta, c: c + i * strideC, ldc: n)
        }
        return
    }
    parallelRange(batch) { r in
            for i in r {
                GEMM.sgemmSerial(transA: transA, transB: transB, m: m, n: n, k: k, a: a + i * strideA, lda: lda,
                           b: b + i * strideB, ldb: ldb, beta: beta, c: c + i * strideC, ldc: n)
            }
    }
}

/// Matrix product over the last two axes: a [..., M, K] · b [..., K, N]. Batch axes broadcast;
/// a 2-D `b` is shared by every batch entry (one large GEMM).
public func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    guard a.rank >= 2, b.rank >= 2 else {
        throw TensorError.shapes("matmul", "needs rank ≥ 2 operands", a.shape, b.shape)
    }
    let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
    guard b.shape[b.rank - 2] == k else {
        throw TensorError.shapes("matmul", "inner dimensions differ (\(k) vs \(b.shape[b.rank - 2]))", a.shape, b.shape)
    }
    let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
    if b.rank == 2 {
        // Fold the batch into M: one GEMM.
        let rows = a.count / max(k, 1)
        let out = Tensor(uninitialized: batchA + [m, n])
        GEMM.sgemm(transA: false, transB: false, m: rows, n: n, k: k, a: a.pointer, lda: k, b: b.pointer, ldb: n,
                   c: out.pointer, ldc: n)
        return Tensor.result(out, inputs: [a, b]) { g in
            var ga: Tensor?, gb: Tensor?
            if a.tracksGradient {
                let t = Tensor(uninitialized: a.shape)
                GEMM.sgemm(transA: false, transB: true, m: rows, n: k, k: n, a: g.pointer, lda: n, b: b.pointer, ldb: n,
                           c: t.pointer, ldc: k)
                ga = t
            }
            if b.tracksGradient {
                let t = Tensor(uninitialized: b.shape)
                GEMM.sgemm(transA: true, transB: false, m: k, n: n, k: rows, a: a.pointer, lda: k, b: g.pointer, ldb: n,
                           c: t.pointer, ldc: n)
                gb = t
            }
            return [ga, gb]
        }
    }
    let batchShape = try ShapeMath.broadcast(batchA, batchB, op: "matmul")
    if batchA != batchShape || batchB != batchShape {
        // Broadcast batch axes by expansion (recorded, so gradients sum back).
        return try matmul(a.expanded(to: batchShape + [m, k]), b.expanded(to: batchShape + [k, n]))
    }
    let batch = batchShape.reduce(1, *)
    let out = Tensor(uninitialized: batchShape + [m, n])
    batchedGEMM(batch: batch, transA: false, transB: false, m: m, n: n, k: k, a: a.pointer, strideA: m * k,
                b: b.pointer, strideB: k * n, c: out.pointer, strideC: m * n)
    return Tensor.result(out, inputs: [a, b]) { g in
        var ga: Tensor?, gb: Tensor?
        if a.tracksGradient {
            let t = Tensor(uninitialized: a.shape)
            batchedGEMM(batch: batch, transA: false, transB: true, m: m, n: k, k: n, a: g.pointer, strideA: m * n,
                        b: b.pointer, strideB: k * n, c: t.pointer, strideC: m * k)
            ga = t
        }
        if b.tracksGradient {
            let t = Tensor(uninitialized: b.shape)
            batchedGEMM(batch: batch, transA: true, transB: false, m: k, n: n, k: m, a: a.pointer, strideA: m * k,
                        b: g.pointer, strideB: m * n, c: t.pointer, strideC: k * n)
            gb = t
        }
        return [ga, gb]
    }
}

/// y = x · weightᵀ + bias over the last axis of x (PyTorch `F.linear`): weight [out, in].
/// Fused: one GEMM with a transposed weight, the bias added in the same pass.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
    guard weight.rank == 2, x.rank >= 1, x.shape.last == weight.shape[1] else {
        throw TensorError.shapes("linear", "input's last axis must equal weight's second axis", x.shape, weight.shape)
    }
    let outF = weight.shape[0], inF = weight.shape[1]
    if let bias, bias.shape != [outF] {
        throw TensorError.shapes("linear", "bias must be [\(outF)]", bias.shape)
    }
    let rows = x.count / max(inF, 1)
    let out = Tensor(uninitialized: Array(x.shape.dropLast()) + [outF])
    let po = out.pointer
    if let bias {
        // The bias in every row first (a batch of tokens makes this megabytes): GEMM adds onto it.
        let pb = bias.pointer
        parallelRange(rows, grain: max(1, (1 << 15) / max(outF, 1))) { r in
            for row in r { (po + row * outF).update(from: pb, count: outF) }
        }
    }
    GEMM.sgemm(transA: false, transB: true, m: rows, n: outF, k: inF, a: x.pointer, lda: inF, b: weight.pointer,
               ldb: inF, beta: bias == nil ? 0 : 1, c: po, ldc: outF)
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.result(out, inputs: inputs) { g in
        var grads: [Tensor?] = [nil, nil]
        if x.tracksGradient {
            let t = Tensor(uninitialized: x.shape)
            GEMM.sgemm(transA: false, transB: false, m: rows, n: inF, k: outF, a: g.pointer, lda: outF,
                       b: weight.pointer, ldb: inF, c: t.pointer, ldc: inF)
            grads[0] = t
        }
        if weight.tracksGradient {
            let t = Tensor(uninitialized: weight.shape)
            GEMM.sgemm(transA: true, transB: false, m: outF, n: inF, k: rows, a: g.pointer, lda: outF,
                       b: x.pointer, ldb: inF, c: t.pointer, ldc: inF)
            grads[1] = t
        }
        if bias != nil {
            grads.append(reduceKernel(Tensor(shape: [rows, outF], storage: g.storage), axes: [0], initial: 0, +)
                .reshapedUnchecked([outF]))
        }
        return grads
    }
}

extension Tensor {
    /// Same storage, new shape of equal count (internal: shapes known valid).
    func reshapedUnchecked(_ s: [Int]) -> Tensor { Tensor(shape: s, storage: storage) }
}
