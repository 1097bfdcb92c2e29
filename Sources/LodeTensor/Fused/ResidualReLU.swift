/// relu(body + shortcut), the end of a residual block, in one pass: the sum is never stored
/// apart (the two ops in turn write it, then read it back to clip it). The backward pass reads
/// the ReLU's mask from the output (y > 0 exactly where the sum is) and hands the one masked
/// gradient to both inputs, as the sum's backward does. Same values and gradients as
/// `(body + shortcut).relu()`.
public func residualReLU(_ body: Tensor, _ shortcut: Tensor) throws -> Tensor {
    guard body.shape == shortcut.shape else { return try (body + shortcut).relu() }
    let out = Tensor(uninitialized: body.shape)
    let pa = body.pointer, pb = shortcut.pointer, po = out.pointer
    parallelRange(out.count, grain: 1 << 14) { r in
        for i in r { let v = pa[i] + pb[i]; po[i] = v > 0 ? v : 0 }
    }
    let outStorage = out.storage  // the storage, not the result: no cycle through the tape
    return Tensor.result(out, inputs: [body, shortcut]) { g in
        let masked = reluBackward(g, output: outStorage.pointer)
        return [masked, masked]
    }
}

/// relu(x · map + shortcut) with x [N, C, H, W] and map [N, 1, H, W] (CBAM spatial attention
/// closing a residual block), in one pass: neither the scaled x nor the sum is stored. Same
/// values and gradients as `(x.scaledPerPixel(map) + shortcut).relu()`, op by op.
public func residualReLU(_ x: Tensor, scaledPerPixelBy map: Tensor, _ shortcut: Tensor) throws -> Tensor {
    guard x.rank == 4, map.shape == [x.shape[0], 1, x.shape[2], x.shape[3]], shortcut.shape == x.shape else {
        return try residualReLU(x.scaledPerPixel(map), shortcut)
    }
    let (n, c, hw) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
    let out = Tensor(uninitialized: x.shape)
    let px = x.pointer, pa = map.pointer, ps = shortcut.pointer, po = out.pointer
    parallelRange(n * c, grain: Swift.max(1, 4096 / Swift.max(hw, 1))) { r in
        for plane in r {
            let m = pa + (plane / c) * hw, src = px + plane * hw, add = ps + plane * hw, dst = po + plane * hw
            for i in 0..<hw { let v = src[i] * m[i] + add[i]; dst[i] = v > 0 ? v : 0 }
        }
    }
    let outStorage = out.storage
    return Tensor.result(out, inputs: [x, map, shortcut]) { g in
        let masked = reluBackward(g, output: outStorage.pointer)
        let (gx, gm) = perPixelScalingGradients(masked, x: x, map: map)
        return [gx, gm, masked]
    }
}

/// g · (y > 0 ? 1 : 0) for a ReLU's output y, as ReLU's own backward writes it (a negative g
/// masked gives −0, so results match the unfused ops bit for bit).
func reluBackward(_ g: Tensor, output py: UnsafePointer<Float>) -> Tensor {
    let gx = Tensor(uninitialized: g.shape)
    let pg = g.pointer, pd = gx.pointer
    parallelRange(g.count, grain: 1 << 14) { r in
        for i in r { pd[i] = pg[i] * (py[i] > 0 ? 1 : 0) }
    }
    return gx
}
