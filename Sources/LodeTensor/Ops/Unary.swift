import CLodeKernels
import Foundation

extension Tensor {
    /// Applies `forward` elementwise and records `derivative(x, y)` = dy/dx for the backward pass.
    /// The building block of every pointwise op: one fused loop forward, one fused loop backward.
    @inline(__always)
    func mapped(forward: @escaping (Float) -> Float, derivative: @escaping (Float, Float) -> Float) -> Tensor {
        let out = Tensor(uninitialized: shape)
        let px = pointer, po = out.pointer
        parallelRange(count, grain: 1 << 14) { r in
            for i in r { po[i] = forward(px[i]) }
        }
        let outStorage = out.storage
        return Tensor.result(out, inputs: [self]) { [self] g in
            let gx = Tensor(uninitialized: shape)
            let pg = g.pointer, py = outStorage.pointer, pd = gx.pointer, px = pointer
            parallelRange(count, grain: 1 << 14) { r in
                for i in r { pd[i] = pg[i] * derivative(px[i], py[i]) }
            }
            return [gx]
        }
    }

    /// Like `mapped`, with the forward pass done by a vector kernel from CLodeKernels over each
    /// parallel chunk, and the backward by `backward(x, y, g, gx, n)` over each chunk.
    @inline(__always)
    func kernelMapped(forward: @escaping (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
                      backward: @escaping (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
                                           UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
        let out = Tensor(uninitialized: shape)
        let px = pointer, po = out.pointer
        parallelRange(count, grain: 1 << 14) { r in
            forward(px + r.lowerBound, po + r.lowerBound, r.count)
        }
        let outStorage = out.storage
        return Tensor.result(out, inputs: [self]) { [self] g in
            let gx = Tensor(uninitialized: shape)
            let pg = g.pointer, py = outStorage.pointer, pd = gx.pointer, px = pointer
            parallelRange(count, grain: 1 << 14) { r in
                let i = r.lowerBound
                backward(px + i, py + i, pg + i, pd + i, r.count)
            }
            return [gx]
        }
    }

    public func exp() -> Tensor {
        kernelMapped(forward: { lode_exp($0, $1, $2) },
                     backward: { _, y, g, d, n in for i in 0..<n { d[i] = g[i] * y[i] } })
    }
    public func log() -> Tensor { mapped(forward: { Foundation.log($0) }, derivative: { x, _ in 1 / x }) }
    public func sqrt() -> Tensor { mapped(forward: { $0.squareRoot() }, derivative: { _, y in 0.5 / y }) }
    public func abs() -> Tensor { mapped(forward: { Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }) }
    public func squared() -> Tensor { mapped(forward: { $0 * $0 }, derivative: { x, _ in 2 * x }) }

    public func pow(_ exponent: Float) -> Tensor {
        mapped(forward: { Foundation.pow($0, exponent) },
               derivative: { x, _ in exponent == 0 ? 0 : exponent * Foundation.pow(x, exponent - 1) })
    }

    /// Limits values to [min, max]; the gradient passes where the input lies inside (inclusive).
    public func clamped(min lo: Float = -.infinity, max hi: Float = .infinity) -> Tensor {
        mapped(forward: { Swift.min(Swift.max($0, lo), hi) }, derivative: { x, _ in x >= lo && x <= hi ? 1 : 0 })
    }

    /// max(x, 0), written out (not through `mapped`, whose per-element closure call is not
    /// inlined): the most frequent activation of the residual branch.
    public func relu() -> Tensor {
        let out = Tensor(uninitialized: shape)
        let px = pointer, po = out.pointer
        parallelRange(count, grain: 1 << 14) { r in
            for i in r { po[i] = px[i] > 0 ? px[i] : 0 }
        }
        return Tensor.result(out, inputs: [self]) { [self] g in
            let gx = Tensor(uninitialized: shape)
            let pg = g.pointer, pd = gx.pointer, px = pointer
            parallelRange(count, grain: 1 << 14) { r in
                for i in r { pd[i] = pg[i] * (px[i] > 0 ? 1 : 0) }
            }
            return [gx]
        }
    }

    public func sigmoid() -> Tensor {
        kernelMapped(forward: { lode_sigmoid($0, $1, $2) },
                     backward: { _, y, g, d, n in for i in 0..<n { d[i] = g[i] * (y[i] * (1 - y[i])) } })
    }

    public func tanh() -> Tensor {
        kernelMapped(forward: { lode_tanh($0, $1, $2) },
                     backward: { _, y, g, d, n in for i in 0..<n { d[i] = g[i] * (1 - y[i] * y[i]) } })
    }

    /// GELU in its exact form x·Φ(x) with Φ the standard normal CDF (PyTorch `approximate="none"`);
    /// the kernels work in double and round once, so they are as exact as float allows.
    public func gelu() -> Tensor {
        kernelMapped(forward: { lode_gelu($0, $1, $2) },
                     backward: { x, _, g, d, n in lode_gelu_backward(x, g, d, n) })
    }
}

public func relu(_ x: Tensor) -> Tensor { x.relu() }
public func gelu(_ x: Tensor) -> Tensor { x.gelu() }
public func sigmoid(_ x: Tensor) -> Tensor { x.sigmoid() }
public func tanh(_ x: Tensor) -> Tensor { x.tanh() }
public func exp(_ x: Tensor) -> Tensor { x.exp() }
public func log(_ x: Tensor) -> Tensor { x.log() }
public func sqrt(_ x: Tensor) -> Tensor { x.sqrt() }
public func abs(_ x: Tensor) -> Tensor { x.abs() }
