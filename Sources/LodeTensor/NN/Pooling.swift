/// Max pooling over [N, C, H, W] (no padding; window `kernelSize`, step `stride`, default the
/// window). The winning position of each window is kept for the backward scatter.
public func maxPool2d(_ x: Tensor, kernelSize: Int, stride: Int? = nil) throws -> Tensor {
    let s = stride ?? kernelSize
    guard x.rank == 4 else { throw TensorError.shapes("maxPool2d", "input must be [N, C, H, W]", x.shape) }
    guard kernelSize >= 1, s >= 1, x.shape[2] >= kernelSize, x.shape[3] >= kernelSize else {
        throw TensorError(op: "maxPool2d", "kernel \(kernelSize) / stride \(s) do not fit input \(x.shape)")
    }
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let oh = (h - kernelSize) / s + 1, ow = (w - kernelSize) / s + 1
    let out = Tensor(uninitialized: [n, c, oh, ow])
    let winners = UnsafeMutablePointer<Int32>.allocate(capacity: out.count)
    let indices = WinnerIndices(pointer: winners)
    let px = x.pointer, po = out.pointer
    parallelRange(n * c) { r in
        for plane in r {
            let src = px + plane * h * w
            for y in 0..<oh { for xo in 0..<ow {
                var best = -Float.infinity, at = (y * s) * w + xo * s
                for i in 0..<kernelSize { for j in 0..<kernelSize {
                    let p = (y * s + i) * w + xo * s + j
                    if src[p] > best || src[p].isNaN { best = src[p]; at = p }
                } }
                po[(plane * oh + y) * ow + xo] = best
                winners[(plane * oh + y) * ow + xo] = Int32(at)
            } }
        }
    }
    return Tensor.result(out, inputs: [x]) { g in
        let gx = Tensor.zeros(x.shape)
        let pg = g.pointer, pd = gx.pointer, idx = indices.pointer
        parallelRange(n * c) { r in
            for plane in r {
                for q in 0..<(oh * ow) { pd[plane * h * w + Int(idx[plane * oh * ow + q])] += pg[plane * oh * ow + q] }
            }
        }
        return [gx]
    }
}

/// Owns the argmax buffer of one max-pool result until its tape node is freed.
final class WinnerIndices {
    let pointer: UnsafeMutablePointer<Int32>
    init(pointer: UnsafeMutablePointer<Int32>) { self.pointer = pointer }
    deinit { pointer.deallocate() }
}

/// Mean over the spatial axes: [N, C, H, W] → [N, C].
public func globalAveragePool(_ x: Tensor) throws -> Tensor {
    guard x.rank == 4 else { throw TensorError.shapes("globalAveragePool", "input must be [N, C, H, W]", x.shape) }
    return try x.mean(axes: [2, 3])
}

/// [mean over channels, max over channels] → [N, 2, H, W] (the input of CBAM spatial attention).
public func channelMeanMax(_ x: Tensor) throws -> Tensor {
    guard x.rank == 4 else { throw TensorError.shapes("channelMeanMax", "input must be [N, C, H, W]", x.shape) }
    return try Tensor.concatenated([x.mean(axis: 1, keepingDimensions: true), x.max(axis: 1, keepingDimensions: true)], axis: 1)
}
