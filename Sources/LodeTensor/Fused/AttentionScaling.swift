/// Fused kernels for the dual attention of SSGSNet's residual blocks (squeeze-excitation and
/// CBAM spatial attention). The generic broadcasting product makes several full-size passes
/// and temporaries per scaling, forward and backward; these loops make one, on all cores.

extension Tensor {
    /// x [N, C, H, W] · s [N, C] (each channel plane scaled by its own factor).
    public func scaledPerChannel(_ s: Tensor) throws -> Tensor {
        guard rank == 4, s.shape == [shape[0], shape[1]] else {
            throw TensorError.shapes("scaledPerChannel", "needs x [N, C, H, W] and scales [N, C]", shape, s.shape)
        }
        let planes = shape[0] * shape[1], hw = shape[2] * shape[3]
        let out = Tensor(uninitialized: shape)
        let px = pointer, ps = s.pointer, po = out.pointer
        parallelRange(planes, grain: Swift.max(1, 4096 / Swift.max(hw, 1))) { r in
            for plane in r {
                let f = ps[plane], src = px + plane * hw, dst = po + plane * hw
                for i in 0..<hw { dst[i] = src[i] * f }
            }
        }
        return Tensor.result(out, inputs: [self, s]) { [self] g in
            let needX = self.tracksGradient, needS = s.tracksGradient
            let gx = needX ? Tensor(uninitialized: self.shape) : nil
            let gs = needS ? Tensor(uninitialized: s.shape) : nil
            let pg = g.pointer, pgx = gx?.pointer, pgs = gs?.pointer
            parallelRange(planes, grain: Swift.max(1, 4096 / Swift.max(hw, 1))) { r in
                if let pgx {
                    for plane in r {
                        let f = ps[plane], gp = pg + plane * hw, d = pgx + plane * hw
                        for i in 0..<hw { d[i] = gp[i] * f }
                    }
                }
                guard let pgs else { return }
                // Eight planes' dot products side by side, each in plain order (the same floats).
                for first in stride(from: r.lowerBound, to: r.upperBound, by: ChannelLanes.scalarCount) {
                    let group = ChannelGroup(first: first, end: r.upperBound, planeSize: hw)
                    let gp = pg + first * hw, xp = px + first * hw
                    var acc = ChannelLanes()
                    for i in 0..<hw { acc += group.load(gp, i) * group.load(xp, i) }
                    for lane in 0..<group.count { pgs[first + lane] = acc[lane] }
                }
            }
            return [gx, gs]
        }
    }

    /// x [N, C, H, W] · a [N, 1, H, W] (every channel scaled by the same pixel map).
    public func scaledPerPixel(_ a: Tensor) throws -> Tensor {
        guard rank == 4, a.shape == [shape[0], 1, shape[2], shape[3]] else {
            throw TensorError.shapes("scaledPerPixel", "needs x [N, C, H, W] and map [N, 1, H, W]", shape, a.shape)
        }
        let (n, c, hw) = (shape[0], shape[1], shape[2] * shape[3])
        let out = Tensor(uninitialized: shape)
        let px = pointer, pa = a.pointer, po = out.pointer
        parallelRange(n * c, grain: Swift.max(1, 4096 / Swift.max(hw, 1))) { r in
            for plane in r {
                let m = pa + (plane / c) * hw, src = px + plane * hw, dst = po + plane * hw
                for i in 0..<hw { dst[i] = src[i] * m[i] }
            }
        }
        return Tensor.result(out, inputs: [self, a]) { [self] g in
            let (gx, ga) = perPixelScalingGradients(g, x: self, map: a)
            return [gx, ga]
        }
    }
}

/// The gradients of x [N, C, H, W] · map [N, 1, H, W] (nil where the tape does not follow): dx =
/// g·map, dmap = Σ over channels g·x. One sample per task, its map gradient summed over the
/// channels in order (the same floats on any thread count).
func perPixelScalingGradients(_ g: Tensor, x: Tensor, map: Tensor) -> (Tensor?, Tensor?) {
    let (n, c, hw) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
    let gx = x.tracksGradient ? Tensor(uninitialized: x.shape) : nil
    let gm = map.tracksGradient ? Tensor.zeros(map.shape) : nil
    let pg = g.pointer, px = x.pointer, pa = map.pointer, pgx = gx?.pointer, pgm = gm?.pointer
    parallelRange(n) { r in
        for s in r {
            let m = pa + s * hw
            for ch in 0..<c {
                let plane = s * c + ch, gp = pg + plane * hw, xp = px + plane * hw
                if let pgx { let d = pgx + plane * hw; for i in 0..<hw { d[i] = gp[i] * m[i] } }
                if let pgm { let d = pgm + s * hw; for i in 0..<hw { d[i] += gp[i] * xp[i] } }
            }
        }
    }
    return (gx, gm)
}

/// [mean over channels, max over channels] of x [N, C, H, W] → [N, 2, H, W] in one pass (the
/// input of CBAM spatial attention). The max gradient is shared evenly among tied channels,
/// as PyTorch's amax.
public func fusedChannelMeanMax(_ x: Tensor) throws -> Tensor {
    guard x.rank == 4, x.shape[1] > 0 else { throw TensorError.shapes("channelMeanMax", "input must be [N, C, H, W] with C > 0", x.shape) }
    let (n, c, hw) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
    let out = Tensor(uninitialized: [n, 2, x.shape[2], x.shape[3]])
    let px = x.pointer, po = out.pointer
    let inverse = 1 / Float(c)
    parallelRange(n) { r in
        for s in r {
            let mean = po + s * 2 * hw, best = mean + hw, xs = px + s * c * hw
            mean.update(from: xs, count: hw)
            best.update(from: xs, count: hw)
            for ch in 1..<c {
                let p = xs + ch * hw
                for i in 0..<hw { mean[i] += p[i]; best[i] = Swift.max(best[i], p[i]) }
            }
            for i in 0..<hw { mean[i] *= inverse }
        }
    }
    return Tensor.result(out, inputs: [x]) { g in
        let gx = Tensor(uninitialized: x.shape)
        let pg = g.pointer, pd = gx.pointer
        parallelRange(n) { r in
            // Per pixel: how many channels tie for the maximum, then each one's share of its
            // gradient (computed once, not once per channel). Selects, not branches, so the
            // loops vectorise.
            let share = UnsafeMutablePointer<Float>.allocate(capacity: hw)
            defer { share.deallocate() }
            for s in r {
                let best = po + (s * 2 + 1) * hw, gmean = pg + s * 2 * hw, gmax = gmean + hw, xs = px + s * c * hw
                share.update(repeating: 0, count: hw)
                for ch in 0..<c { let p = xs + ch * hw; for i in 0..<hw { share[i] += p[i] == best[i] ? 1 : 0 } }
                for i in 0..<hw { share[i] = gmax[i] / share[i] }
                for ch in 0..<c {
                    let p = xs + ch * hw, d = pd + (s * c + ch) * hw
                    for i in 0..<hw { let g = share[i], tied = p[i] == best[i]; d[i] = gmean[i] * inverse + (tied ? g : 0) }
                }
            }
        }
        return [gx]
    }
}
