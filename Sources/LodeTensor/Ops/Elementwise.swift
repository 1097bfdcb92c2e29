/// Binary elementwise ops with NumPy broadcasting. Every op here is a primitive with its own
/// backward rule; gradients of broadcast inputs are summed back to the input's shape.

/// A binary elementwise operation as a type: `broadcastBinary` is compiled once per kernel with
/// the operation inlined into its loops, which then vectorise. (A closure passed down through
/// the row walker stays a call per element, which costs more than the memory traffic.)
protocol BinaryKernel {
    func callAsFunction(_ a: Float, _ b: Float) -> Float
}

struct Adding: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b } }
struct Subtracting: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b } }
struct Multiplying: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b } }
struct Dividing: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b } }
struct Maximum: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { Swift.max(a, b) } }
struct Minimum: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { Swift.min(a, b) } }

/// A comparison giving 1 where it holds, else 0.
struct Comparing: BinaryKernel {
    let holds: (Float, Float) -> Bool
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { holds(a, b) ? 1 : 0 }
}

/// Any closure as a kernel, for the rare ops that have no type of their own.
struct ClosureKernel: BinaryKernel {
    let body: (Float, Float) -> Float
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { body(a, b) }
}

/// out[i] = f(a[i], b[i]) over the broadcast shape of `a` and `b` (no tape).
func broadcastBinary(_ op: String, _ a: Tensor, _ b: Tensor, _ f: @escaping (Float, Float) -> Float) throws -> Tensor {
    try broadcastBinary(op, a, b, ClosureKernel(body: f))
}

/// out[i] = f(a[i], b[i]) over the broadcast shape of `a` and `b` (no tape). Equal shapes take
/// one flat loop; broadcasts are walked a row at a time (a scalar, a per-channel factor and a
/// trailing vector all become plain rows once the layout merges contiguous axes).
func broadcastBinary<K: BinaryKernel>(_ op: String, _ a: Tensor, _ b: Tensor, _ f: K) throws -> Tensor {
    let shape = a.shape == b.shape ? a.shape : try ShapeMath.broadcast(a.shape, b.shape, op: op)
    let out = Tensor(uninitialized: shape)
    let pa = a.pointer, pb = b.pointer, po = out.pointer
    if a.shape == b.shape {
        parallelRange(out.count, grain: 1 << 15) { r in
            for i in r { po[i] = f(pa[i], pb[i]) }
        }
        return out
    }
    let layout = StridedLayout(shape: shape, strides: [ShapeMath.strides(shape),
                                                       ShapeMath.broadcastStrides(a.shape, to: shape),
                                                       ShapeMath.broadcastStrides(b.shape, to: shape)])
    layout.forEachRow(parallel: true) { oo, oa, ob, n, so, sa, sb in
        let d = po + oo, x = pa + oa, y = pb + ob
        if sa == 1 && sb == 1 {
            for j in 0..<n { d[j] = f(x[j], y[j]) }
        } else if sa == 1 && sb == 0 {
            let v = y[0]
            for j in 0..<n { d[j] = f(x[j], v) }
        } else if sa == 0 && sb == 1 {
            let v = x[0]
            for j in 0..<n { d[j] = f(v, y[j]) }
        } else {
            for j in 0..<n { d[j * so] = f(x[j * sa], y[j * sb]) }
        }
    }
    return out
}

extension Tensor {
    /// Sums a broadcast gradient back to `target` (the shape an input had before broadcasting).
    public func summed(toShape target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let extra = rank - target.count
        guard extra >= 0 else { throw TensorError.shapes("sumToShape", "target has higher rank", shape, target) }
        var axes = Array(0..<extra)
        for (i, d) in target.enumerated() where d == 1 && shape[i + extra] != 1 { axes.append(i + extra) }
        return try sum(axes: axes, keepingDimensions: true).reshaped(target)
    }

    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        // Equal shapes (residual sums) take the plain loop: the closure is not inlined there.
        let out = a.shape == b.shape ? added(a, b) : try broadcastBinary("add", a, b, Adding())
        return result(out, inputs: [a, b]) { g in [try g.summed(toShape: a.shape), try g.summed(toShape: b.shape)] }
    }

    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try broadcastBinary("sub", a, b, Subtracting())
        return result(out, inputs: [a, b]) { g in [try g.summed(toShape: a.shape), try (-g).summed(toShape: b.shape)] }
    }

    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try broadcastBinary("mul", a, b, Multiplying())
        return result(out, inputs: [a, b]) { g in
            [a.tracksGradient ? try (g * b).summed(toShape: a.shape) : nil,
             b.tracksGradient ? try (g * a).summed(toShape: b.shape) : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try broadcastBinary("div", a, b, Dividing())
        return result(out, inputs: [a, b]) { g in
            [a.tracksGradient ? try (g / b).summed(toShape: a.shape) : nil,
             b.tracksGradient ? try broadcastBinary("div", try g * a, b) { -$0 / ($1 * $1) }.summed(toShape: b.shape) : nil]
        }
    }

    /// Elementwise maximum; where both are equal the gradient is split evenly (as PyTorch).
    public static func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try extremum("maximum", a, b, greater: true)
    }

    /// Elementwise minimum; where both are equal the gradient is split evenly (as PyTorch).
    public static func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try extremum("minimum", a, b, greater: false)
    }

    private static func extremum(_ op: String, _ a: Tensor, _ b: Tensor, greater: Bool) throws -> Tensor {
        let out = greater ? try broadcastBinary(op, a, b, Maximum()) : try broadcastBinary(op, a, b, Minimum())
        return result(out, inputs: [a, b]) { g in
            // Weight of `a` in the result: 1 where it wins, 0.5 on ties, 0 where it loses.
            let wa = try broadcastBinary(op, a, b) { x, y in x == y ? 0.5 : ((x > y) == greater ? 1 : 0) }
            let ga = try g * wa
            return [try ga.summed(toShape: a.shape), try (g - ga).summed(toShape: b.shape)]
        }
    }

    /// `condition` (nonzero = true) picks from `a`, otherwise from `b`; all three broadcast.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let shape = try ShapeMath.broadcast(try ShapeMath.broadcast(condition.shape, a.shape, op: "where"), b.shape, op: "where")
        let m = broadcastCopy(condition, to: shape), x = broadcastCopy(a, to: shape), y = broadcastCopy(b, to: shape)
        let out = Tensor(uninitialized: shape)
        let pm = m.pointer, px = x.pointer, py = y.pointer, po = out.pointer
        for i in 0..<out.count { po[i] = pm[i] != 0 ? px[i] : py[i] }
        return result(out, inputs: [a, b]) { g in
            [try broadcastBinary("where", g, m) { $1 != 0 ? $0 : 0 }.summed(toShape: a.shape),
             try broadcastBinary("where", g, m) { $1 != 0 ? 0 : $0 }.summed(toShape: b.shape)]
        }
    }

    // Comparisons give 1 or 0 and are not differentiable.
    public static func .> (a: Tensor, b: Tensor) throws -> Tensor { try broadcastBinary("greater", a, b, Comparing { $0 > $1 }) }
    public static func .< (a: Tensor, b: Tensor) throws -> Tensor { try broadcastBinary("less", a, b, Comparing { $0 < $1 }) }
    public static func .>= (a: Tensor, b: Tensor) throws -> Tensor { try broadcastBinary("greaterEqual", a, b, Comparing { $0 >= $1 }) }
    public static func .<= (a: Tensor, b: Tensor) throws -> Tensor { try broadcastBinary("lessEqual", a, b, Comparing { $0 <= $1 }) }
    public static func .== (a: Tensor, b: Tensor) throws -> Tensor { try broadcastBinary("equal", a, b, Comparing { $0 == $1 }) }
}

// Scalar forms: a tensor with a Float never fails, so these do not throw.
extension Tensor {
    public static func + (a: Tensor, s: Float) -> Tensor { a.mapped(forward: { $0 + s }, derivative: { _, _ in 1 }) }
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
    public static func - (s: Float, a: Tensor) -> Tensor { a.mapped(forward: { s - $0 }, derivative: { _, _ in -1 }) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.mapped(forward: { $0 * s }, derivative: { _, _ in s }) }
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }
    public static func / (s: Float, a: Tensor) -> Tensor { a.mapped(forward: { s / $0 }, derivative: { x, _ in -s / (x * x) }) }
    public static prefix func - (a: Tensor) -> Tensor { a.mapped(forward: { -$0 }, derivative: { _, _ in -1 }) }
}

infix operator .>: ComparisonPrecedence
infix operator .<: ComparisonPrecedence
infix operator .>=: ComparisonPrecedence
infix operator .<=: ComparisonPrecedence
infix operator .==: ComparisonPrecedence
