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
        // Eight channels at a time, one lane each: every lane adds its channel's values in the
        // order a single loop would (the same floats), but eight independent additions are in
        // flight where one chain of additions would wait on each.
        parallelRange(c) { r in
            for first in stride(from: r.lowerBound, to: r.upperBound, by: ChannelLanes.scalarCount) {
                let group = ChannelGroup(first: first, end: r.upperBound, planeSize: hw)
                var sums = [Double](repeating: 0, count: ChannelLanes.scalarCount)
                for s in 0..<n {
                    let p = px + (s * c + first) * hw
                    var a = ChannelLanes()
                    for i in 0..<hw { a += group.load(p, i) }
                    for lane in 0..<group.count { sums[lane] += Double(a[lane]) }
                }
                var muLanes = ChannelLanes()
                for lane in 0..<group.count { muLanes[lane] = Float(sums[lane] / Double(m)) }
                var squares = [Double](repeating: 0, count: ChannelLanes.scalarCount)
                for s in 0..<n {
                    let p = px + (s * c + first) * hw
                    var a = ChannelLanes()
                    for i in 0..<hw { let d = group.load(p, i) - muLanes; a += d * d }
                    for lane in 0..<group.count { squares[lane] += Double(a[lane]) }
                }
                for lane in 0..<group.count {
                    let ch = first + lane, mu = sums[lane] / Double(m), ss = squares[lane]
                    let variance = ss / Double(m)
                    mean[ch] = Float(mu)
                    invStd[ch] = Float(1 / (variance + Double(epsilon)).squareRoot())
                    if let rm = runningMean?.pointer, let rv = runningVariance?.pointer {
                        rm[ch] = (1 - momentum) * rm[ch] + momentum * Float(mu)
                        rv[ch] = (1 - momentum) * rv[ch] + momentum * Float(ss / Double(m - 1))
                    }
                }
            }
        }
    } else if let rm = runningMean?.pointer, let rv = runningVariance?.pointer {
        for ch in 0..<c { mean[ch] = rm[ch]; invStd[ch] = 1 / (rv[ch] + epsilon).squareRoot() }
    }
    let out = Tensor(uninitialized: x.shape)
    let po = out.pointer, pw = weight?.pointer, pb = bias?.pointer
    // y = x·scale + shift per channel; kept for the backward pass, which finds the ReLU's mask
    // from x the same way (y > 0 exactly where x·scale + shift > 0) instead of reading y.
    let affine = ChannelAffine(count: c)
    let scales = affine.scale, shifts = affine.shift
    for ch in 0..<c {
        scales[ch] = invStd[ch] * (pw?[ch] ?? 1)
        shifts[ch] = (pb?[ch] ?? 0) - mean[ch] * scales[ch]
    }
    parallelRange(n * c) { r in
        for plane in r {
            let ch = plane % c
            let scale = scales[ch], shift = shifts[ch]
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
    return Tensor.result(out, inputs: inputs) { upstream in
        // Through the ReLU first: its gradient is zero where the output is, i.e. where
        // x·scale + shift ≤ 0. The mask is applied where the gradient is read, never stored.
        let pg = upstream.pointer, scales = affine.scale, shifts = affine.shift
        let gx = x.tracksGradient ? Tensor(uninitialized: x.shape) : nil
        let gw = weight.map { _ in Tensor(uninitialized: [c]) }, gb = bias.map { _ in Tensor(uninitialized: [c]) }
        let gxp = gx?.pointer, gwp = gw?.pointer, gbp = gb?.pointer
        parallelRange(c) { r in
            for first in stride(from: r.lowerBound, to: r.upperBound, by: ChannelLanes.scalarCount) {
                // Σg and Σg·(x − μ) per channel, eight channels in lanes (as the statistics).
                let group = ChannelGroup(first: first, end: r.upperBound, planeSize: hw)
                var muLanes = ChannelLanes(), scaleLanes = ChannelLanes(), shiftLanes = ChannelLanes()
                for lane in 0..<group.count {
                    muLanes[lane] = stats.mean[first + lane]
                    scaleLanes[lane] = scales[first + lane]; shiftLanes[lane] = shifts[first + lane]
                }
                var sg = [Double](repeating: 0, count: ChannelLanes.scalarCount), sgx = sg
                for s in 0..<n {
                    let offset = (s * c + first) * hw
                    let p = px + offset, q = pg + offset
                    var a = ChannelLanes(), b = ChannelLanes()
                    if thenReLU {
                        for i in 0..<hw {
                            let xi = group.load(p, i)
                            let g = ChannelLanes().replacing(with: group.load(q, i), where: xi * scaleLanes + shiftLanes .> 0)
                            a += g; b += g * (xi - muLanes)
                        }
                    } else {
                        for i in 0..<hw { let g = group.load(q, i); a += g; b += g * (group.load(p, i) - muLanes) }
                    }
                    for lane in 0..<group.count { sg[lane] += Double(a[lane]); sgx[lane] += Double(b[lane]) }
                }
                for lane in 0..<group.count {
                    let ch = first + lane
                    let mu = stats.mean[ch], istd = stats.invStd[ch]
                    let sgxhat = Float(sgx[lane]) * istd
                    gwp?[ch] = sgxhat
                    gbp?[ch] = Float(sg[lane])
                    guard let gxp else { continue }
                    let wch = pw?[ch] ?? 1
                    // Training: dx = w·istd/M · (M·g − Σg − x̂·Σ(g·x̂)); evaluation: dx = w·istd·g.
                    let k = wch * istd, meanG = Float(sg[lane]) / Float(m), meanGX = sgxhat / Float(m)
                    let scale = scales[ch], shift = shifts[ch]
                    for s in 0..<n {
                        let offset = (s * c + ch) * hw
                        let p = px + offset, q = pg + offset, d = gxp + offset
                        switch (training, thenReLU) {
                        case (true, true):
                            // Both values loaded first: a select, not a branch, so the loop vectorises.
                            for i in 0..<hw { let g = q[i], keep = p[i] * scale + shift > 0; d[i] = k * ((keep ? g : 0) - meanG - (p[i] - mu) * istd * meanGX) }
                        case (true, false):
                            for i in 0..<hw { d[i] = k * (q[i] - meanG - (p[i] - mu) * istd * meanGX) }
                        case (false, true):
                            for i in 0..<hw { let g = q[i], keep = p[i] * scale + shift > 0; d[i] = k * (keep ? g : 0) }
                        case (false, false):
                            for i in 0..<hw { d[i] = k * q[i] }
                        }
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

/// One float per channel of a group of neighbouring channels (see `ChannelGroup`).
typealias ChannelLanes = SIMD8<Float>

/// Up to eight neighbouring channels of an [N, C, H, W] tensor read side by side: lane k holds
/// channel first + k; lanes past the last channel repeat it (and are ignored).
struct ChannelGroup {
    let count: Int
    let offsets: SIMD8<Int>

    init(first: Int, end: Int, planeSize: Int) {
        count = Swift.min(ChannelLanes.scalarCount, end - first)
        var o = SIMD8<Int>()
        for lane in 0..<ChannelLanes.scalarCount { o[lane] = Swift.min(lane, count - 1) * planeSize }
        offsets = o
    }

    /// Element i of each channel's plane, the planes starting at `p` (the first channel's).
    @inline(__always)
    func load(_ p: UnsafePointer<Float>, _ i: Int) -> ChannelLanes {
        let q = p + i
        return ChannelLanes(q[offsets[0]], q[offsets[1]], q[offsets[2]], q[offsets[3]],
                            q[offsets[4]], q[offsets[5]], q[offsets[6]], q[offsets[7]])
    }

    @inline(__always)
    func load(_ p: UnsafeMutablePointer<Float>, _ i: Int) -> ChannelLanes { load(UnsafePointer(p), i) }
}

/// Each channel's y = x·scale + shift, saved for the backward pass; freed with the tape node.
final class ChannelAffine {
    let scale: UnsafeMutableBufferPointer<Float>
    let shift: UnsafeMutableBufferPointer<Float>
    init(count: Int) {
        scale = .allocate(capacity: count)
        shift = .allocate(capacity: count)
    }
    deinit { scale.deallocate(); shift.deallocate() }
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
