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
    let count = out.count
    return Tensor.result(out, inputs: [body, shortcut]) { g in
        let gx = Tensor(uninitialized: g.shape)
        let pg = g.pointer, py = outStorage.pointer, pd = gx.pointer
        // g · (mask ? 1 : 0), as ReLU's own backward writes it (so a negative g masked gives −0).
        parallelRange(count, grain: 1 << 14) { r in
            for i in r { pd[i] = pg[i] * (py[i] > 0 ? 1 : 0) }
        }
        return [gx, gx]
    }
}
