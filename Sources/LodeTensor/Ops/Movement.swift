/// Movement ops: reshape shares storage; the rest copy into a new contiguous tensor through a
/// strided view. Each records the inverse movement as its backward rule.
extension Tensor {
    /// Same values in a new shape; one dimension may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var target = newShape
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        guard unknown.count <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw TensorError.shapes("reshape", "invalid target shape", shape, newShape)
        }
        if let u = unknown.first {
            guard known > 0, count % known == 0 else {
                throw TensorError.shapes("reshape", "cannot infer -1", shape, newShape)
            }
            target[u] = count / known
        }
        guard ShapeMath.count(target) == count else {
            throw TensorError.shapes("reshape", "element counts differ", shape, newShape)
        }
        if target == shape { return self }
        let inShape = shape
        return Tensor.result(target, storage, inputs: [self]) { g in
            [Tensor(shape: inShape, storage: g.storage)]
        }
    }

    public func reshaped(_ dims: Int...) throws -> Tensor { try reshaped(dims) }

    /// Merges axes from `startAxis` on into one.
    public func flattened(startAxis: Int = 1) throws -> Tensor {
        let s = try ShapeMath.axis(startAxis, rank: rank, op: "flatten")
        return try reshaped(Array(shape[..<s]) + [shape[s...].reduce(1, *)])
    }

    /// Inserts a size-1 axis at `axis` (0...rank).
    public func unsqueezed(axis: Int) throws -> Tensor {
        let a = try ShapeMath.axis(axis < 0 ? axis + rank + 1 : axis, rank: rank + 1, op: "unsqueeze")
        var s = shape
        s.insert(1, at: a)
        return try reshaped(s)
    }

    /// Reorders axes: result axis i is input axis `axes[i]`.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        let ax = try axes.map { try ShapeMath.axis($0, rank: rank, op: "permute") }
        guard ax.count == rank, Set(ax).count == rank else {
            throw TensorError(op: "permute", "axes \(axes) are not a permutation for shape \(shape)")
        }
        if ax == Array(0..<rank) { return self }
        let st = strides
        let out = stridedCopy(pointer, shape: ax.map { shape[$0] }, strides: ax.map { st[$0] })
        var inverse = [Int](repeating: 0, count: rank)
        for (i, a) in ax.enumerated() { inverse[a] = i }
        return Tensor.result(out, inputs: [self]) { g in [try g.permuted(inverse)] }
    }

    public func permuted(_ axes: Int...) throws -> Tensor { try permuted(axes) }

    /// Swaps two axes (default: the last two).
    public func transposed(_ a: Int = -2, _ b: Int = -1) throws -> Tensor {
        guard rank >= 2 else { throw TensorError(op: "transpose", "needs rank ≥ 2, got shape \(shape)") }
        var axes = Array(0..<rank)
        axes.swapAt(try ShapeMath.axis(a, rank: rank, op: "transpose"), try ShapeMath.axis(b, rank: rank, op: "transpose"))
        return try permuted(axes)
    }

    /// Repeats size-1 (or missing leading) axes to reach `target` (NumPy broadcasting).
    public func expanded(to target: [Int]) throws -> Tensor {
        let b = try ShapeMath.broadcast(shape, target, op: "expand")
        guard b == target else { throw TensorError.shapes("expand", "cannot expand", shape, target) }
        if target == shape { return self }
        let inShape = shape
        return Tensor.result(broadcastCopy(self, to: target), inputs: [self]) { g in [try g.summed(toShape: inShape)] }
    }

    /// Joins tensors along `axis`; all other sizes must agree.
    public static func concatenated(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError(op: "concat", "no tensors to join") }
        let a = try ShapeMath.axis(axis, rank: first.rank, op: "concat")
        for t in tensors {
            var s1 = t.shape, s0 = first.shape
            guard s1.count == s0.count else { throw TensorError.shapes("concat", "ranks differ", s0, s1) }
            s1[a] = 0; s0[a] = 0
            guard s1 == s0 else { throw TensorError.shapes("concat", "sizes differ off axis \(axis)", first.shape, t.shape) }
        }
        var outShape = first.shape
        outShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        let out = Tensor(uninitialized: outShape)
        let outer = outShape[..<a].reduce(1, *), inner = outShape[(a + 1)...].reduce(1, *)
        let outRow = outShape[a] * inner
        var start = 0
        for t in tensors {
            let run = t.shape[a] * inner
            let src = t.pointer, dst = out.pointer + start * inner
            for o in 0..<outer { (dst + o * outRow).update(from: src + o * run, count: run) }
            start += t.shape[a]
        }
        let sizes = tensors.map { $0.shape[a] }
        return result(out, inputs: tensors) { g in
            var s = 0
            return try sizes.map { n in
                defer { s += n }
                return try g.sliced(axis: a, range: s..<(s + n))
            }
        }
    }

    /// Stacks equally shaped tensors along a new axis (e.g. windows into a batch).
    public static func stacked(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError(op: "stack", "no tensors to stack") }
        for t in tensors where t.shape != first.shape {
            throw TensorError.shapes("stack", "all tensors need the same shape", first.shape, t.shape)
        }
        let a = try ShapeMath.axis(axis < 0 ? axis + first.rank + 1 : axis, rank: first.rank + 1, op: "stack")
        return try concatenated(tensors.map { try $0.unsqueezed(axis: a) }, axis: a)
    }

    /// The sub-range `range` of `axis` (step 1).
    public func sliced(axis: Int, range: Range<Int>) throws -> Tensor {
        let a = try ShapeMath.axis(axis, rank: rank, op: "slice")
        guard range.lowerBound >= 0, range.upperBound <= shape[a] else {
            throw TensorError(op: "slice", "range \(range) is outside axis \(axis) of size \(shape[a]) (shape \(shape))")
        }
        var outShape = shape
        outShape[a] = range.count
        if outShape == shape { return self }
        let st = strides
        let out = stridedCopy(pointer, offset: range.lowerBound * st[a], shape: outShape, strides: st)
        var pad = [(Int, Int)](repeating: (0, 0), count: rank)
        pad[a] = (range.lowerBound, shape[a] - range.upperBound)
        return Tensor.result(out, inputs: [self]) { g in [try g.padded(pad)] }
    }

    /// Adds `padding[i] = (before, after)` elements of `value` on each axis.
    public func padded(_ padding: [(Int, Int)], value: Float = 0) throws -> Tensor {
        guard padding.count == rank, padding.allSatisfy({ $0.0 >= 0 && $0.1 >= 0 }) else {
            throw TensorError(op: "pad", "needs one non-negative (before, after) pair per axis of shape \(shape), got \(padding)")
        }
        let outShape = zip(shape, padding).map { $0 + $1.0 + $1.1 }
        if outShape == shape { return self }
        let out = Tensor.full(outShape, value: value)
        let os = out.strides
        let offset = zip(padding, os).reduce(0) { $0 + $1.0.0 * $1.1 }
        let dst = out.pointer + offset, src = pointer
        StridedLayout(shape: shape, strides: [os, strides]).forEachRow(parallel: true) { o0, o1, _, n, i0, i1, _ in
            for j in 0..<n { dst[o0 + j * i0] = src[o1 + j * i1] }
        }
        return Tensor.result(out, inputs: [self]) { [shape] g in
            var t = g
            for (axis, p) in padding.enumerated() where p != (0, 0) {
                t = try t.sliced(axis: axis, range: p.0..<(p.0 + shape[axis]))
            }
            return [t]
        }
    }

    /// Reverses the order along `axes`.
    public func flipped(axes: [Int]) throws -> Tensor {
        let ax = try ShapeMath.axes(axes, rank: rank, op: "flip")
        var st = strides
        var offset = 0
        for a in ax {
            offset += (shape[a] - 1) * st[a]
            st[a] = -st[a]
        }
        let out = stridedCopy(pointer, offset: offset, shape: shape, strides: st)
        return Tensor.result(out, inputs: [self]) { g in [try g.flipped(axes: ax)] }
    }

    /// Rotates by 90° `times` times in the plane of `axes` (numpy.rot90: from the first axis
    /// towards the second). Composed of flips and a transpose.
    public func rotated90(times: Int = 1, axes: (Int, Int) = (-2, -1)) throws -> Tensor {
        let a = try ShapeMath.axis(axes.0, rank: rank, op: "rot90"), b = try ShapeMath.axis(axes.1, rank: rank, op: "rot90")
        guard a != b else { throw TensorError(op: "rot90", "axes must differ") }
        switch ((times % 4) + 4) % 4 {
        case 0: return self
        case 1: return try flipped(axes: [b]).transposed(a, b)
        case 2: return try flipped(axes: [a, b])
        default: return try transposed(a, b).flipped(axes: [b])
        }
    }
}
