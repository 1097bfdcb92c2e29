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

    public func exp() -> Tensor { mapped(forward: { Foundation.exp($0) }, derivative: { _, y in y }) }
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

    public func relu() -> Tensor { mapped(forward: { $0 > 0 ? $0 : 0 }, derivative: { x, _ in x > 0 ? 1 : 0 }) }

    public func sigmoid() -> Tensor {
        mapped(forward: { x in x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x)) },
               derivative: { _, y in y * (1 - y) })
    }

    public func tanh() -> Tensor { mapped(forward: { Foundation.tanh($0) }, derivative: { _, y in 1 - y * y }) }

    /// GELU in its exact form x·Φ(x) with Φ the standard normal CDF (PyTorch `approximate="none"`).
    public func gelu() -> Tensor {
        mapped(forward: { x in 0.5 * x * (1 + Foundation.erf(x * 0.70710678)) },
               derivative: { x, _ in
            0.5 * (1 + Foundation.erf(x * 0.70710678)) + x * Foundation.exp(-0.5 * x * x) * 0.39894228
        })
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
