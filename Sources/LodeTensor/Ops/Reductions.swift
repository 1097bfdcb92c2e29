/// Reductions over any set of axes. `sum` and `max` are primitives; `mean` and `variance` are
/// composed from them.

/// Splits 0..<count into blocks of `block` items (the last may be shorter) and runs them on all
/// cores; returns the number of blocks. Unlike `parallelChunks`, the blocks depend on the count
/// and the block size only, never on the thread count, so partial sums kept per block and
/// combined in block order give the same floats, bit for bit, on any number of cores.
@discardableResult
func parallelBlocks(_ count: Int, block: Int, _ body: (_ block: Int, Range<Int>) -> Void) -> Int {
    let size = max(block, 1), blocks = (count + size - 1) / size
    parallelRange(blocks) { r in
        for b in r { body(b, (b * size)..<min(count, (b + 1) * size)) }
    }
    return blocks
}

/// Column sums of a row-major [rows, columns] matrix (a bias gradient over a batch of tokens):
/// the rows are split into fixed blocks of 256, each summed into its own partial row, and the
/// partial rows added in block order, so the floats do not depend on the core count. The same
/// sums as `reduceKernel(x, axes: [0], initial: 0, Adding())` takes for such shapes, with the addition
/// inlined (the closure call per element cost more than the memory traffic).
func columnSums(_ px: UnsafePointer<Float>, rows: Int, columns o: Int) -> Tensor {
    let out = Tensor.zeros([o])
    let po = out.pointer, rowBlock = 256
    let blocks = (rows + rowBlock - 1) / rowBlock
    guard blocks > 1 else {
        for i in 0..<rows { let row = px + i * o; for j in 0..<o { po[j] += row[j] } }
        return out
    }
    let partial = UnsafeMutablePointer<Float>.allocate(capacity: blocks * o)
    defer { partial.deallocate() }
    parallelBlocks(rows, block: rowBlock) { blockIndex, r in
        let acc = partial + blockIndex * o
        acc.update(repeating: 0, count: o)
        for i in r { let row = px + i * o; for j in 0..<o { acc[j] += row[j] } }
    }
    for blockIndex in 0..<blocks {
        let acc = partial + blockIndex * o
        for j in 0..<o { po[j] += acc[j] }
    }
    return out
}

/// `reduceKernel` with a closure (called per element; the kernel types are faster).
func reduceKernel(_ x: Tensor, axes: [Int], initial: Float, _ combine: @escaping (Float, Float) -> Float) -> Tensor {
    reduceKernel(x, axes: axes, initial: initial, ClosureKernel(body: combine))
}

/// Reduces `x` over sorted, normalised `axes` with `combine`, keeping reduced axes as size 1.
/// The result is the same for any thread count: every partial result covers a fixed block.
/// Compiled once per kernel type, with `combine` inlined into the loops.
func reduceKernel<K: BinaryKernel>(_ x: Tensor, axes: [Int], initial: Float, _ combine: K) -> Tensor {
    var outShape = x.shape
    for a in axes { outShape[a] = 1 }
    let out = Tensor(uninitialized: outShape)
    let px = x.pointer, po = out.pointer
    let reduced = Set(axes)
    let kept = (0..<x.rank).filter { !reduced.contains($0) }
    let o = out.count
    if let first = kept.first, let last = kept.last, last - first + 1 != kept.count {
        // Kept axes interleaved with reduced ones: gather through an offset table.
        let xs = x.strides
        let redShape = axes.map { x.shape[$0] }, redStrides = axes.map { xs[$0] }
        var table: [Int] = [0]
        for (d, n) in zip(redStrides, redShape).reversed() {
            table = (0..<n).flatMap { i in table.map { $0 + i * d } }
        }
        let keptShape = kept.map { x.shape[$0] }, keptStrides = kept.map { xs[$0] }
        table.withUnsafeBufferPointer { t in
            parallelRange(o, grain: 1) { r in
                for oi in r {
                    var rem = oi, base = 0
                    for d in stride(from: kept.count - 1, through: 0, by: -1) {
                        base += (rem % keptShape[d]) * keptStrides[d]
                        rem /= keptShape[d]
                    }
                    var acc = initial
                    for off in t { acc = combine(acc, px[base + off]) }
                    po[oi] = acc
                }
            }
        }
        return out
    }
    // Reduced axes form a prefix (size A) and/or a suffix (size B) around the kept block (size O).
    let p = kept.first ?? x.rank, q = (kept.last ?? (x.rank - 1)) + 1
    let a = x.shape[0..<p].reduce(1, *), b = x.shape[min(q, x.rank)...].reduce(1, *)
    if kept.isEmpty {
        // Full reduction: one partial result per fixed block, combined in block order.
        let n = x.count, block = 1 << 15
        var partials = [Float](repeating: initial, count: (n + block - 1) / block)
        partials.withUnsafeMutableBufferPointer { parts in
            _ = parallelBlocks(n, block: block) { blockIndex, r in
                var acc = initial
                for i in r { acc = combine(acc, px[i]) }
                parts[blockIndex] = acc
            }
        }
        po[0] = partials.reduce(initial) { combine($0, $1) }
        return out
    }
    let rowBlock = 256
    // The choice depends on the shape only (never the thread count), so results do not either.
    if b == 1 && o < 1024 && a >= 2 * rowBlock && a * o >= 1 << 16 {
        // x viewed as [A, O] with a short O (a bias gradient over a batch of tokens): too few
        // outputs to share out, so the rows are split into fixed blocks, each summed into its own
        // partial row, and the partial rows combined in block order.
        let blocks = (a + rowBlock - 1) / rowBlock
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: blocks * o)
        defer { partial.deallocate() }
        parallelBlocks(a, block: rowBlock) { blockIndex, rows in
            let acc = partial + blockIndex * o
            for j in 0..<o { acc[j] = initial }
            for i in rows {
                let row = px + i * o
                for j in 0..<o { acc[j] = combine(acc[j], row[j]) }
            }
        }
        for j in 0..<o { po[j] = initial }
        for blockIndex in 0..<blocks {
            let acc = partial + blockIndex * o
            for j in 0..<o { po[j] = combine(po[j], acc[j]) }
        }
        return out
    }
    if b == 1 {
        // x viewed as [A, O]: stream rows, combining into the output vector.
        parallelRange(o, grain: 1024) { r in
            for j in r { po[j] = initial }
            for i in 0..<a {
                let row = px + i * o
                for j in r { po[j] = combine(po[j], row[j]) }
            }
        }
    } else {
        // x viewed as [A, O, B]: each output combines A contiguous runs of length B (a spatial
        // mean over [N, C, H, W]). Four outputs at a time, each in its own order (the same
        // floats), so four combinations are in flight where one chain would wait on each.
        parallelRange(o, grain: max(1, 4096 / (a * b))) { r in
            var j = r.lowerBound
            while j + 4 <= r.upperBound {
                var acc0 = initial, acc1 = initial, acc2 = initial, acc3 = initial
                for i in 0..<a {
                    let run0 = px + (i * o + j) * b, run1 = run0 + b, run2 = run1 + b, run3 = run2 + b
                    for k in 0..<b {
                        acc0 = combine(acc0, run0[k]); acc1 = combine(acc1, run1[k])
                        acc2 = combine(acc2, run2[k]); acc3 = combine(acc3, run3[k])
                    }
                }
                po[j] = acc0; po[j + 1] = acc1; po[j + 2] = acc2; po[j + 3] = acc3
                j += 4
            }
            for j in j..<r.upperBound {
                var acc = initial
                for i in 0..<a {
                    let run = px + (i * o + j) * b
                    for k in 0..<b { acc = combine(acc, run[k]) }
                }
                po[j] = acc
            }
        }
    }
    return out
}

/// Repeats `x` along broadcast axes into a new contiguous tensor of `shape` (no tape, no checks).
func broadcastCopy(_ x: Tensor, to shape: [Int]) -> Tensor {
    if x.shape == shape { return x.detached() }
    return stridedCopy(x.pointer, shape: shape, strides: ShapeMath.broadcastStrides(x.shape, to: shape))
}

extension Tensor {
    private func keptShape(_ axes: [Int], keep: Bool) -> [Int] {
        keep ? shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
             : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }

    /// Sum over `axes` (all axes when nil); reduced axes stay as size 1 with `keepingDimensions`.
    public func sum(axes: [Int]? = nil, keepingDimensions keep: Bool = false) throws -> Tensor {
        let ax = try ShapeMath.axes(axes ?? Array(0..<rank), rank: rank, op: "sum")
        let reduced = reduceKernel(self, axes: ax, initial: 0, Adding())
        let inShape = shape
        let out = Tensor(shape: keptShape(ax, keep: keep), storage: reduced.storage)
        return Tensor.result(out, inputs: [self]) { g in
            [broadcastCopy(Tensor(shape: reduced.shape, storage: g.storage), to: inShape)]
        }
    }

    public func sum(axis: Int, keepingDimensions keep: Bool = false) throws -> Tensor {
        try sum(axes: [axis], keepingDimensions: keep)
    }

    public func mean(axes: [Int]? = nil, keepingDimensions keep: Bool = false) throws -> Tensor {
        let ax = try ShapeMath.axes(axes ?? Array(0..<rank), rank: rank, op: "mean")
        let n = ax.reduce(1) { $0 * shape[$1] }
        return try sum(axes: ax, keepingDimensions: keep) * (1 / Float(Swift.max(n, 1)))
    }

    public func mean(axis: Int, keepingDimensions keep: Bool = false) throws -> Tensor {
        try mean(axes: [axis], keepingDimensions: keep)
    }

    /// Maximum over `axes`; the gradient is shared evenly among tied maxima (as PyTorch `amax`).
    public func max(axes: [Int]? = nil, keepingDimensions keep: Bool = false) throws -> Tensor {
        let ax = try ShapeMath.axes(axes ?? Array(0..<rank), rank: rank, op: "max")
        guard ax.allSatisfy({ shape[$0] > 0 }) else { throw TensorError(op: "max", "empty axis in shape \(shape)") }
        let reduced = reduceKernel(self, axes: ax, initial: -.infinity, Maximum())
        let out = Tensor(shape: keptShape(ax, keep: keep), storage: reduced.storage)
        return Tensor.result(out, inputs: [self]) { [self] g in
            let mask = try broadcastBinary("max", self, reduced) { $0 == $1 ? 1 : 0 }
            let ties = reduceKernel(mask, axes: ax, initial: 0, Adding())
            let share = try broadcastBinary("max", Tensor(shape: reduced.shape, storage: g.storage), ties) { $0 / $1 }
            return [try mask * share]
        }
    }

    public func max(axis: Int, keepingDimensions keep: Bool = false) throws -> Tensor {
        try max(axes: [axis], keepingDimensions: keep)
    }

    public func min(axes: [Int]? = nil, keepingDimensions keep: Bool = false) throws -> Tensor {
        -(try (-self).max(axes: axes, keepingDimensions: keep))
    }

    /// Index of the (first) maximum along `axis`, as an integer array in the reduced shape.
    public func argmax(axis: Int) throws -> (shape: [Int], indices: [Int]) {
        let a = try ShapeMath.axis(axis, rank: rank, op: "argmax")
        let n = shape[a]
        guard n > 0 else { throw TensorError(op: "argmax", "empty axis \(axis) in shape \(shape)") }
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
        var idx = [Int](repeating: 0, count: outer * inner)
        let p = pointer
        for o in 0..<outer {
            for i in 0..<inner {
                var best = -Float.infinity, bi = 0
                for k in 0..<n where p[(o * n + k) * inner + i] > best {
                    best = p[(o * n + k) * inner + i]; bi = k
                }
                idx[o * inner + i] = bi
            }
        }
        var s = shape
        s.remove(at: a)
        return (s, idx)
    }

    /// Variance over `axes`; `unbiased` divides by n-1 (PyTorch's default for `var`).
    public func variance(axes: [Int]? = nil, unbiased: Bool = true, keepingDimensions keep: Bool = false) throws -> Tensor {
        let ax = try ShapeMath.axes(axes ?? Array(0..<rank), rank: rank, op: "variance")
        let n = ax.reduce(1) { $0 * shape[$1] }
        let centred = try self - mean(axes: ax, keepingDimensions: true)
        let ss = try centred.squared().sum(axes: ax, keepingDimensions: keep)
        return ss * (1 / Float(Swift.max(unbiased ? n - 1 : n, 1)))
    }
}
