/// Winograd F(2×2, 3×3) for 3×3 convolutions with stride 1 and padding 1 (Lavin & Gray 2016).
///
/// Each 2×2 block of outputs comes from a 4×4 input tile: V = Bᵀ·d·B per tile and channel,
/// U = G·g·Gᵀ per kernel, then for each of the 16 tile positions ξ one GEMM
/// M[ξ] (O × tiles) = U[ξ] (O × C) · V[ξ] (C × tiles), and Y = Aᵀ·M·A per tile. That is 16 multiply-adds
/// per channel pair for 4 outputs instead of 36 (2.25× fewer), with no im2col copy (the tile
/// transform reads each input about 4 times instead of 9). The weight gradient runs the same
/// transforms backwards: dU[ξ] = dM[ξ]·V[ξ]ᵀ with dM = A·dY·Aᵀ, then dg = Gᵀ·dU·G. The
/// transforms' coefficients are 0, ±1 and ±½, so the results differ from im2col's only by the
/// order of the additions.
struct WinogradGeometry {
    let n, c, o, h, w: Int
    var tilesHigh: Int { (h + 1) / 2 }
    var tilesWide: Int { (w + 1) / 2 }
    var tiles: Int { tilesHigh * tilesWide }

    init(_ geo: ConvGeometry) {
        (n, c, o, h, w) = (geo.n, geo.c, geo.o, geo.h, geo.w)
    }

    /// Samples per group: transformed input and output of a group near 16 MB, and at least two
    /// groups per core.
    var groupSize: Int {
        let perSample = 16 * (c + o) * tiles
        return max(1, min((1 << 22) / max(1, perSample), (n + 2 * parallelWorkers - 1) / (2 * parallelWorkers)))
    }
    var groupCount: Int { (n + groupSize - 1) / groupSize }

    func forEachGroup(_ body: (_ group: Int, _ first: Int, _ count: Int) -> Void) {
        let size = groupSize
        parallelRange(groupCount) { range in
            for g in range { body(g, g * size, min(size, n - g * size)) }
        }
    }

    /// U[ξ, oc, ci] = (G·g·Gᵀ)[ξ] for weight g [O, C, 3, 3]; u holds 16·O·C floats.
    func transformKernel(_ g: UnsafePointer<Float>, into u: UnsafeMutablePointer<Float>) {
        let plane = o * c
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 12) { buffer in
            let r = buffer.baseAddress!
            for pair in 0..<plane {
                let k = g + pair * 9
                // G·g: four rows of three.
                for j in 0..<3 {
                    let (a, b, d) = (k[j], k[3 + j], k[6 + j])
                    r[j] = a
                    r[3 + j] = 0.5 * (a + b + d)
                    r[6 + j] = 0.5 * (a - b + d)
                    r[9 + j] = d
                }
                // (G·g)·Gᵀ: each row of three becomes four.
                for i in 0..<4 {
                    let (a, b, d) = (r[3 * i], r[3 * i + 1], r[3 * i + 2])
                    u[(4 * i) * plane + pair] = a
                    u[(4 * i + 1) * plane + pair] = 0.5 * (a + b + d)
                    u[(4 * i + 2) * plane + pair] = 0.5 * (a - b + d)
                    u[(4 * i + 3) * plane + pair] = d
                }
            }
        }
    }

    /// dg = Gᵀ·dU·G, the adjoint of `transformKernel`: du [16, O, C] → dg [O, C, 3, 3].
    func kernelGradient(_ du: UnsafePointer<Float>, into dg: UnsafeMutablePointer<Float>) {
        let plane = o * c
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 12) { buffer in
            let q = buffer.baseAddress!
            for pair in 0..<plane {
                // dU·G: each row of four becomes three.
                for i in 0..<4 {
                    let (a, b, d, e) = (du[(4 * i) * plane + pair], du[(4 * i + 1) * plane + pair],
                                        du[(4 * i + 2) * plane + pair], du[(4 * i + 3) * plane + pair])
                    q[3 * i] = a + 0.5 * (b + d)
                    q[3 * i + 1] = 0.5 * (b - d)
                    q[3 * i + 2] = 0.5 * (b + d) + e
                }
                // Gᵀ·(dU·G): columns of four become three.
                let k = dg + pair * 9
                for j in 0..<3 {
                    let (a, b, d, e) = (q[j], q[3 + j], q[6 + j], q[9 + j])
                    k[j] = a + 0.5 * (b + d)
                    k[3 + j] = 0.5 * (b - d)
                    k[6 + j] = 0.5 * (b + d) + e
                }
            }
        }
    }

    /// V[ξ, ch, s·tiles + t] = (Bᵀ·d·B)[ξ] for every 4×4 tile d of samples first..<first+count
    /// of x [N, channels, H, W] (zero outside the image); v holds 16·channels·count·tiles floats.
    func transformInput(_ x: UnsafePointer<Float>, channels: Int, first: Int, count: Int,
                        into v: UnsafeMutablePointer<Float>) {
        let p = count * tiles, span = 2 * tilesWide + 2, stride16 = channels * p
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * span) { buffer in
            let rows = buffer.baseAddress!
            for ch in 0..<channels { for s in 0..<count {
                let plane = x + ((first + s) * channels + ch) * h * w
                for ty in 0..<tilesHigh {
                    // The tile row's four input rows, padded by one zero column on the left.
                    for r in 0..<4 {
                        let row = rows + r * span, iy = 2 * ty - 1 + r
                        row.update(repeating: 0, count: span)
                        if iy >= 0 && iy < h { (row + 1).update(from: plane + iy * w, count: w) }
                    }
                    // Bᵀ·d down the columns, all tiles of the row at once.
                    let (r0, r1, r2, r3) = (rows, rows + span, rows + 2 * span, rows + 3 * span)
                    for xx in 0..<span {
                        let (a, b, d, e) = (r0[xx], r1[xx], r2[xx], r3[xx])
                        r0[xx] = a - d
                        r1[xx] = b + d
                        r2[xx] = d - b
                        r3[xx] = b - e
                    }
                    // ·B along each row of each tile.
                    let column = v + ch * p + s * tiles + ty * tilesWide
                    for i in 0..<4 {
                        let u = rows + i * span
                        let d0 = column + (4 * i) * stride16, d1 = d0 + stride16, d2 = d1 + stride16, d3 = d2 + stride16
                        for tx in 0..<tilesWide {
                            let t = u + 2 * tx
                            let (a, b, d, e) = (t[0], t[1], t[2], t[3])
                            d0[tx] = a - d
                            d1[tx] = b + d
                            d2[tx] = d - b
                            d3[tx] = b - e
                        }
                    }
                }
            } }
        }
    }

    /// out[first + s, oc] = Aᵀ·M·A per tile (+ bias) for m [16, O, count·tiles].
    func transformOutput(_ m: UnsafePointer<Float>, bias: UnsafePointer<Float>?, first: Int, count: Int,
                         into out: UnsafeMutablePointer<Float>) {
        let p = count * tiles, stride16 = o * p
        for oc in 0..<o { for s in 0..<count {
            let plane = out + ((first + s) * o + oc) * h * w
            let b = bias?[oc] ?? 0
            for ty in 0..<tilesHigh {
                let column = m + oc * p + s * tiles + ty * tilesWide
                let y0 = plane + 2 * ty * w, lastRow = 2 * ty + 1 >= h
                for tx in 0..<tilesWide {
                    // M·A: each row of four becomes two (t_i0, t_i1); then Aᵀ·(M·A) down the columns.
                    let q = column + tx
                    let (m00, m01, m02, m03) = (q[0], q[stride16], q[2 * stride16], q[3 * stride16])
                    let (m10, m11, m12, m13) = (q[4 * stride16], q[5 * stride16], q[6 * stride16], q[7 * stride16])
                    let (m20, m21, m22, m23) = (q[8 * stride16], q[9 * stride16], q[10 * stride16], q[11 * stride16])
                    let (m30, m31, m32, m33) = (q[12 * stride16], q[13 * stride16], q[14 * stride16], q[15 * stride16])
                    let t = (m00 + m01 + m02, m01 - m02 - m03, m10 + m11 + m12, m11 - m12 - m13,
                             m20 + m21 + m22, m21 - m22 - m23, m30 + m31 + m32, m31 - m32 - m33)
                    let x0 = 2 * tx
                    y0[x0] = t.0 + t.2 + t.4 + b
                    let lastColumn = x0 + 1 >= w
                    if !lastColumn { y0[x0 + 1] = t.1 + t.3 + t.5 + b }
                    if !lastRow {
                        y0[w + x0] = t.2 - t.4 - t.6 + b
                        if !lastColumn { y0[w + x0 + 1] = t.3 - t.5 - t.7 + b }
                    }
                }
            }
        } }
    }

    /// dM = A·dY·Aᵀ per tile for dY [N, O, H, W] (zero outside the image): the adjoint of
    /// `transformOutput`; dm holds 16·O·count·tiles floats.
    func transformOutputGradient(_ gy: UnsafePointer<Float>, first: Int, count: Int, into dm: UnsafeMutablePointer<Float>) {
        let p = count * tiles, stride16 = o * p
        for oc in 0..<o { for s in 0..<count {
            let plane = gy + ((first + s) * o + oc) * h * w
            for ty in 0..<tilesHigh {
                let column = dm + oc * p + s * tiles + ty * tilesWide
                let y0 = plane + 2 * ty * w, lastRow = 2 * ty + 1 >= h
                for tx in 0..<tilesWide {
                    let x0 = 2 * tx, lastColumn = x0 + 1 >= w
                    let a = y0[x0], b = lastColumn ? 0 : y0[x0 + 1]
                    let d = lastRow ? 0 : y0[w + x0], e = lastRow || lastColumn ? 0 : y0[w + x0 + 1]
                    // dY·Aᵀ: each row of two becomes four.
                    let (r00, r01, r02, r03) = (a, a + b, a - b, -b)
                    let (r10, r11, r12, r13) = (d, d + e, d - e, -e)
                    // A·(dY·Aᵀ): rows r0, r0 + r1, r0 − r1, −r1.
                    let q = column + tx
                    q[0] = r00; q[stride16] = r01; q[2 * stride16] = r02; q[3 * stride16] = r03
                    let q1 = q + 4 * stride16
                    q1[0] = r00 + r10; q1[stride16] = r01 + r11; q1[2 * stride16] = r02 + r12; q1[3 * stride16] = r03 + r13
                    let q2 = q + 8 * stride16
                    q2[0] = r00 - r10; q2[stride16] = r01 - r11; q2[2 * stride16] = r02 - r12; q2[3 * stride16] = r03 - r13
                    let q3 = q + 12 * stride16
                    q3[0] = -r10; q3[stride16] = -r11; q3[2 * stride16] = -r12; q3[3 * stride16] = -r13
                }
            }
        } }
    }
}

/// The forward pass by Winograd on raw buffers: out = W ⋆ x + b (3×3, stride 1, padding 1).
func winogradConvolve(_ geo: ConvGeometry, input px: UnsafePointer<Float>, weight pw: UnsafePointer<Float>,
                      bias pb: UnsafePointer<Float>?, output po: UnsafeMutablePointer<Float>) {
    let wg = WinogradGeometry(geo)
    let (c, o) = (wg.c, wg.o)
    let kernel = UnsafeMutablePointer<Float>.allocate(capacity: 16 * o * c)
    defer { kernel.deallocate() }
    wg.transformKernel(pw, into: kernel)
    wg.forEachGroup { _, first, count in
        let p = count * wg.tiles
        ScratchPool.shared.with(16 * (c + o) * p) { scratch in
            let v = scratch, m = scratch + 16 * c * p
            wg.transformInput(px, channels: c, first: first, count: count, into: v)
            for xi in 0..<16 {
                GEMM.sgemmSerial(transA: false, transB: false, m: o, n: p, k: c, a: kernel + xi * o * c, lda: c,
                                 b: v + xi * c * p, ldb: p, c: m + xi * o * p, ldc: p)
            }
            wg.transformOutput(m, bias: pb, first: first, count: count, into: po)
        }
    }
}

/// dW [O, C, 3, 3] of a Winograd-shaped convolution from x and dY: per group of samples
/// dU[ξ] += dM[ξ]·V[ξ]ᵀ, the groups' dU summed in group order (the same floats whichever core
/// ran which group), then dW = Gᵀ·dU·G.
func winogradWeightGradient(_ geo: ConvGeometry, input px: UnsafePointer<Float>, outputGradient pg: UnsafePointer<Float>,
                            into gw: UnsafeMutablePointer<Float>) {
    let wg = WinogradGeometry(geo)
    let (c, o) = (wg.c, wg.o)
    let size = 16 * o * c, groups = wg.groupCount
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: groups * size)
    defer { partials.deallocate() }
    wg.forEachGroup { group, first, count in
        let p = count * wg.tiles
        ScratchPool.shared.with(16 * (c + o) * p) { scratch in
            let v = scratch, dm = scratch + 16 * c * p, du = partials + group * size
            wg.transformInput(px, channels: c, first: first, count: count, into: v)
            wg.transformOutputGradient(pg, first: first, count: count, into: dm)
            for xi in 0..<16 {
                GEMM.sgemmSerial(transA: false, transB: true, m: o, n: c, k: p, a: dm + xi * o * p, lda: p,
                                 b: v + xi * c * p, ldb: p, c: du + xi * o * c, ldc: c)
            }
        }
    }
    for g in 1..<max(groups, 1) {
        let src = partials + g * size
        for i in 0..<size { partials[i] += src[i] }
    }
    wg.kernelGradient(partials, into: gw)
}
