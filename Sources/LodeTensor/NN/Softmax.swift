import CLodeKernels
import Foundation

/// Row-wise kernel over the last axis: writes softmax (or log-softmax) of each row of `x`.
func softmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int, log: Bool) {
    parallelRange(rows, grain: 64) { r in
        for row in r { softmaxRow(x + row * width, y + row * width, width: width, log: log) }
    }
}

/// Softmax (or log-softmax) of one row of `width` values, on the calling thread (y may equal x
/// for softmax).
@inline(__always)
func softmaxRow(_ p: UnsafePointer<Float>, _ q: UnsafeMutablePointer<Float>, width: Int, log: Bool) {
    var m = -Float.infinity
    for i in 0..<width { m = max(m, p[i]) }
    var s: Float = 0
    if log {
        lode_exp_shifted(p, q, width, m)
        for i in 0..<width { s += q[i] }
        let lse = m + Foundation.log(s)
        for i in 0..<width { q[i] = p[i] - lse }
    } else {
        lode_exp_shifted(p, q, width, m)
        for i in 0..<width { s += q[i] }
        let inv = 1 / s
        for i in 0..<width { q[i] *= inv }
    }
}

extension Tensor {
    /// Softmax along `axis` (fused over the last axis; other axes move there and back).
    public func softmax(axis: Int = -1) throws -> Tensor { try softmaxFamily(axis: axis, log: false) }

    /// log(softmax) along `axis`, computed stably as x − logsumexp(x).
    public func logSoftmax(axis: Int = -1) throws -> Tensor { try softmaxFamily(axis: axis, log: true) }

    private func softmaxFamily(axis: Int, log: Bool) throws -> Tensor {
        let a = try ShapeMath.axis(axis, rank: rank, op: log ? "logSoftmax" : "softmax")
        if a != rank - 1 {
            return try transposed(a, rank - 1).softmaxFamily(axis: -1, log: log).transposed(a, rank - 1)
        }
        let width = shape[a], rows = count / Swift.max(width, 1)
        let out = Tensor(uninitialized: shape)
        softmaxRows(pointer, out.pointer, rows: rows, width: width, log: log)
        let y = out.storage
        return Tensor.result(out, inputs: [self]) { [shape] g in
            let gx = Tensor(uninitialized: shape)
            let pg = g.pointer, py = y.pointer, pd = gx.pointer
            parallelRange(rows, grain: 64) { r in
                for row in r {
                    let q = pg + row * width, s = py + row * width, d = pd + row * width
                    var dot: Float = 0
                    if log {
                        // dx = g − softmax·Σg
                        for i in 0..<width { dot += q[i] }
                        lode_exp(s, d, width)
                        for i in 0..<width { d[i] = q[i] - d[i] * dot }
                    } else {
                        // dx = y·(g − Σ g·y)
                        for i in 0..<width { dot += q[i] * s[i] }
                        for i in 0..<width { d[i] = s[i] * (q[i] - dot) }
                    }
                }
            }
            return [gx]
        }
    }
}
