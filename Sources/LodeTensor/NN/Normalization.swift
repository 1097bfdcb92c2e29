import Foundation

/// Batch normalisation over [N, C, H, W] per channel, fused forward and backward.
///
/// Training normalises with the batch statistics (biased variance) and moves the running
/// statistics in place: running = (1 − momentum)·running + momentum·batch, using the UNBIASED
/// batch variance (as PyTorch). Evaluation normalises with the running statistics.
public func batchNorm2d(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVariance: Tensor?,
                        training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5) throws -> Tensor {
    try batchNormalized(x, weight: weight, bias: bias, runningMean: runningMean, runningVariance: runningVariance,
                        training: training, momentum: momentum, epsilon: epsilon, thenReLU: false)
}

/// relu(batchNorm2d(x, ...)) in one pass forward and one backward: the normalised values are
/// never stored apart, and the ReLU's mask is read from the output (y > 0 exactly where the
/// normalised value is). Same values and gradients as the two ops in turn.
public func batchNorm2dReLU(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVariance: Tensor?,
                            training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5) throws -> Tensor {
    try batchNormalized(x, weight: weight, bias: bias, runningMean: runningMean, runningVariance: runningVariance,
                        training: training, momentum: momentum, epsilon: epsilon, thenReLU: true)
}

private func batchNormalized(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVariance: Tensor?,
                             training: Bool, momentum: Float, epsilon: Float, thenReLU: Bool) throws -> Tensor {
    guard x.rank == 4 else { throw TensorError.shapes("batchNorm2d", "input must be [N, C, H, W]", x.shape) }
    let (n, c) = (x.shape[0], x.shape[1])
    let hw = x.shape[2] * x.shape[3], m = n * hw
    for (name, t) in [("weight", weight), ("bias", bias), ("runningMean", runningMean), ("runningVariance", runningVariance)] {
        if let t, t.shape != [c] { throw TensorError.shapes("batchNorm2d", "\(name) must be [\(c)] for input", t.shape, x.shape) }
    }
    if training && m < 2 { throw TensorError.shapes("batchNorm2d", "training needs more than one value per channel", x.shape) }
    if !training && (runningMean == nil || runningVariance == nil) {
        throw TensorError(op: "batchNorm2d", "evaluation needs running statistics")
    }
    let mean = UnsafeMutableBufferPointer<Float>.allocate(capacity: c)
    let invStd = UnsafeMutableBufferPointer<Float>.allocate(capacity: c)
    let stats = ChannelStatistics(mean: mean, invStd: invStd)
    let px = x.pointer
    if training {
        parallelRange(c) { r in
            for ch in r {
                var sum = 0.0
                for s in 0..<n { let p = px + (s * c + ch) * hw; var a: Float = 0; for i in 0..<hw { a += p[i] }; sum += Double(a) }
                let mu = sum / Double(m)
                var ss = 0.0
                for s in 0..<n {
                    let p = px + (s * c + ch) * hw
                    var a: Float = 0
                    let muf = Float(mu)
                    for i in 0..<hw { let d = p[i] - muf; a += d * d }
                    ss += Double(a)
                }
                let variance = ss / Double(m)
                mean[ch] = Float(mu)
                invStd[ch] = Float(1 / (variance + Double(epsilon)).squareRoot())
                if let rm = runningMean?.pointer, let rv = runningVariance?.pointer {
                    rm[ch] = (1 - momentum) * rm[ch] + momentum * Float(mu)
                    rv[ch] = (1 - momentum) * rv[ch] + momentum * Float(ss / Double(m - 1))
                }
            }
        }
    } else if let rm = runningMean?.pointer, let rv = runningVariance?.pointer {
        for ch in 0..<c { mean[ch] = rm[ch]; invStd[ch] = 1 / (rv[ch] + epsilon).squareRoot() }
    }
    let out = Tensor(uninitialized: x.shape)
    let po = out.pointer, pw = weight?.pointer, pb = bias?.pointer
    parallelRange(n * c) { r in
        for plane in r {
            let ch = plane % c
            let scale = invStd[ch] * (pw?[ch] ?? 1), shift = (pb?[ch] ?? 0) - mean[ch] * scale
            let src = px + plane * hw, dst = po + plane * hw
            if thenReLU {
                for i in 0..<hw { let v = src[i] * scale + shift; dst[i] = v > 0 ? v : 0 }
            } else {
                for i in 0..<hw { dst[i] = src[i] * scale + shift }
            }
        }
    }
    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    let outStorage = out.storage  // the storage, not the result: no cycle through the tape
    return Tensor.result(out, inputs: inputs) { upstream in
        // Through the ReLU first: its gradient is zero where the output is.
        let g = thenReLU ? reluMasked(upstream, by: outStorage.pointer) : upstream
        let pg = g.pointer
        let gx = x.tracksGradient ? Tensor(uninitialized: x.shape) : nil
        let gw = weight.map { _ in Tensor(uninitialized: [c]) }, gb = bias.map { _ in Tensor(uninitialized: [c]) }
        let gxp = gx?.pointer, gwp = gw?.pointer, gbp = gb?.pointer
        parallelRange(c) { r in
            for ch in r {
                let mu = stats.mean[ch], istd = stats.invStd[ch]
                var sg = 0.0, sgx = 0.0
                for s in 0..<n {
                    let p = px + (s * c + ch) * hw, q = pg + (s * c + ch) * hw
                    var a: Float = 0, b: Float = 0
                    for i in 0..<hw { a += q[i]; b += q[i] * (p[i] - mu) }
                    sg += Double(a); sgx += Double(b)
                }
                let sgxhat = Float(sgx) * istd
                gwp?[ch] = sgxhat
                gbp?[ch] = Float(sg)
                guard let gxp else { continue }
                let wch = pw?[ch] ?? 1
                if training {
                    // dx = w·istd/M · (M·g − Σg − x̂·Σ(g·x̂))
                    let k = wch * istd, meanG = Float(sg) / Float(m), meanGX = sgxhat / Float(m)
                    for s in 0..<n {
                        let p = px + (s * c + ch) * hw, q = pg + (s * c + ch) * hw, d = gxp + (s * c + ch) * hw
                        for i in 0..<hw { d[i] = k * (q[i] - meanG - (p[i] - mu) * istd * meanGX) }
                    }
                } else {
                    let k = wch * istd
                    for s in 0..<n {
                        let q = pg + (s * c + ch) * hw, d = gxp + (s * c + ch) * hw
                        for i in 0..<hw { d[i] = k * q[i] }
                    }
                }
            }
        }
        var grads: [Tensor?] = [gx]
        if weight != nil { grads.append(gw) }
        if bias != nil { grads.append(gb) }
        return grads
    }
}

/// g where y > 0, else 0 (the ReLU's backward, read from its output).
private func reluMasked(_ g: Tensor, by py: UnsafePointer<Float>) -> Tensor {
    let out = Tensor(uninitialized: g.shape)
    let pg = g.pointer, po = out.pointer
    parallelRange(g.count, grain: 1 << 14) { r in
        for i in r { po[i] = py[i] > 0 ? pg[i] : 0 }
    }
    return out
}

/// Per-channel statistics saved for the backward pass; freed with the tape node.
final class ChannelStatistics {
    let mean: UnsafeMutableBufferPointer<Float>
    let invStd: UnsafeMutableBufferPointer<Float>
    init(mean: UnsafeMutableBufferPointer<Float>, invStd: UnsafeMutableBufferPointer<Float>) {
        self.mean = mean
        self.invStd = invStd
    }
    deinit { mean.deallocate(); invStd.deallocate() }
}

/// Layer normalisation over the last axis (size D), with optional affine weight/bias [D].
public func layerNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, epsilon: Float = 1e-5) throws -> Tensor {
    guard let d = x.shape.last, d > 0 else { throw TensorError.shapes("layerNorm", "input needs a non-empty last axis", x.shape) }
    for (name, t) in [("weight", weight), ("bias", bias)] {
        if let t, t.shape != [d] { throw TensorError.shapes("layerNorm", "\(name) must be [\(d)]", t.shape, x.shape) }
    }
    let rows = x.count / d
    let stats = ChannelStatistics(mean: .allocate(capacity: rows), invStd: .allocate(capacity: rows))
    let out = Tensor(uninitialized: x.shape)
    let px = x.pointer, po = out.pointer
    // Without an affine part the weight is 1 and the bias 0 (the same floats): one loop body,
    // free of optionals, that the compiler vectorises.
    let affine = AffineVectors(weight: weight, bias: bias, count: d)
    let pw = affine.weight, pb = affine.bias
    parallelRange(rows, grain: 16) { r in
        // Sums in 16 lanes (a fixed order: the floats depend on D only), then the tail.
        let whole = d / Lanes.scalarCount * Lanes.scalarCount
        for row in r {
            let p = px + row * d, q = po + row * d
            var sv = Lanes()
            for i in stride(from: 0, to: whole, by: Lanes.scalarCount) { sv += lanes(p, i) }
            var s = sv.sum()
            for i in whole..<d { s += p[i] }
            let mu = s / Float(d)
            var vv = Lanes()
            for i in stride(from: 0, to: whole, by: Lanes.scalarCount) { let t = lanes(p, i) - mu; vv += t * t }
            var v = vv.sum()
            for i in whole..<d { let t = p[i] - mu; v += t * t }
            let istd = 1 / (v / Float(d) + epsilon).squareRoot()
            stats.mean[row] = mu; stats.invStd[row] = istd
            for i in stride(from: 0, to: whole, by: Lanes.scalarCount) {
                store((lanes(p, i) - mu) * istd * lanes(pw, i) + lanes(pb, i), q, i)
            }
            for i in whole..<d { q[i] = (p[i] - mu) * istd * pw[i] + pb[i] }
        }
    }
    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    return Tensor.result(out, inputs: inputs) { g in
        let pg = g.pointer, pw = affine.weight
        let gx = Tensor(uninitialized: x.shape)
        let gxp = gx.pointer
        // Partial sums for the affine gradients per fixed block of rows, combined in block order
        // afterwards: the same floats on any number of cores.
        let rowBlock = 32, whole = d / Lanes.scalarCount * Lanes.scalarCount
        let partial = Tensor.zeros([(rows + rowBlock - 1) / rowBlock, 2, d])
        let pp = partial.pointer
        parallelBlocks(rows, block: rowBlock) { blockIndex, r in
            let gwAcc = pp + blockIndex * 2 * d, gbAcc = gwAcc + d
            for row in r {
                let p = px + row * d, q = pg + row * d, o = gxp + row * d
                let mu = stats.mean[row], istd = stats.invStd[row]
                var av = Lanes(), bv = Lanes()
                for i in stride(from: 0, to: whole, by: Lanes.scalarCount) {
                    let qv = lanes(q, i), xhat = (lanes(p, i) - mu) * istd, gh = qv * lanes(pw, i)
                    av += gh; bv += gh * xhat
                    store(lanes(gwAcc, i) + qv * xhat, gwAcc, i); store(lanes(gbAcc, i) + qv, gbAcc, i)
                }
                var a = av.sum(), b = bv.sum()
                for i in whole..<d {
                    let xhat = (p[i] - mu) * istd, gh = q[i] * pw[i]
                    a += gh; b += gh * xhat
                    gwAcc[i] += q[i] * xhat; gbAcc[i] += q[i]
                }
                let ma = a / Float(d), mb = b / Float(d)
                for i in stride(from: 0, to: whole, by: Lanes.scalarCount) {
                    let xhat = (lanes(p, i) - mu) * istd
                    store(istd * (lanes(q, i) * lanes(pw, i) - ma - xhat * mb), o, i)
                }
                for i in whole..<d {
                    let xhat = (p[i] - mu) * istd
                    o[i] = istd * (q[i] * pw[i] - ma - xhat * mb)
                }
            }
        }
        let sums = columnSums(pp, rows: partial.shape[0], columns: 2 * d)
        var grads: [Tensor?] = [gx]
        if weight != nil { grads.append(Tensor(shape: [d], storage: TensorStorage(copying: sums.pointer, count: d))) }
        if bias != nil { grads.append(Tensor(shape: [d], storage: TensorStorage(copying: sums.pointer + d, count: d))) }
        return grads
    }
}

/// A layer norm's weight and bias as plain vectors (1s and 0s when absent), alive as long as
/// the tape node that reads them.
final class AffineVectors {
    let weight: UnsafeMutablePointer<Float>
    let bias: UnsafeMutablePointer<Float>
    private let owned: [Tensor]

    init(weight: Tensor?, bias: Tensor?, count: Int) {
        let w = weight ?? Tensor.ones([count]), b = bias ?? Tensor.zeros([count])
        self.weight = w.pointer
        self.bias = b.pointer
        owned = [w, b]
    }
}

/// Sixteen floats, for row loops whose sums the compiler may not reorder (and so never
/// vectorises by itself).
typealias Lanes = SIMD16<Float>

@inline(__always)
func lanes(_ p: UnsafePointer<Float>, _ i: Int) -> Lanes { UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self) }

@inline(__always)
func lanes(_ p: UnsafeMutablePointer<Float>, _ i: Int) -> Lanes { lanes(UnsafePointer(p), i) }

@inline(__always)
func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: Lanes.self)
}
