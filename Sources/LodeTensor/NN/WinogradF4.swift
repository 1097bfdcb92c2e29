/// Winograd F(4×4, 3×3) for the forward pass (and so the input gradient, a forward pass with the
/// flipped kernel) of 3×3 stride-1 padding-1 convolutions: 6×6 input tiles with stride 4,
/// 36 GEMMs, 36 multiply-adds per channel pair for 16 outputs (4× fewer than direct, against
/// 2.25× for F(2×2)). The transforms' coefficients reach 8 (Aᵀ) and 1/24 (G), so rounding grows
/// a little over F(2×2); WinogradTests holds both to the same bound against a double-precision
/// direct convolution.
///
///   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
///   G  = [1/4 0 0; −1/6 −1/6 −1/6; −1/6 1/6 −1/6; 1/24 1/12 1/6; 1/24 −1/12 1/6; 0 0 1]
///   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
struct WinogradF4Geometry: WinogradTiling {
    static let outputTile = 4
    let n, c, o, h, w: Int

    init(_ geo: ConvGeometry) {
        (n, c, o, h, w) = (geo.n, geo.c, geo.o, geo.h, geo.w)
    }

    /// U[ξ, oc, ci] = (G·g·Gᵀ)[ξ] for weight g [O, C, 3, 3]; u holds 36·O·C floats.
    func transformKernel(_ g: UnsafePointer<Float>, pairs: Range<Int>, into u: UnsafeMutablePointer<Float>) {
        let plane = o * c
        // Products with the reciprocals (no divisions in the loop).
        let (quarter, sixth, twelfth, twentyFourth): (Float, Float, Float, Float) = (0.25, 1 / 6, 1 / 12, 1 / 24)
        forEachKernelChunk(g, pairs: pairs, scratchRows: 18) { lo, count, k, r in
            let stride = kernelChunk
            // G·g: six rows of three.
            for j in 0..<3 {
                let (a, b, d) = (k + j * stride, k + (3 + j) * stride, k + (6 + j) * stride)
                let r0 = r + j * stride, r1 = r0 + 3 * stride, r2 = r1 + 3 * stride
                let r3 = r2 + 3 * stride, r4 = r3 + 3 * stride, r5 = r4 + 3 * stride
                for e in 0..<count {
                    r0[e] = a[e] * quarter
                    r1[e] = -(a[e] + b[e] + d[e]) * sixth
                    r2[e] = -(a[e] - b[e] + d[e]) * sixth
                    r3[e] = a[e] * twentyFourth + b[e] * twelfth + d[e] * sixth
                    r4[e] = a[e] * twentyFourth - b[e] * twelfth + d[e] * sixth
                    r5[e] = d[e]
                }
            }
            // (G·g)·Gᵀ: each row of three becomes six.
            for i in 0..<6 {
                let (a, b, d) = (r + 3 * i * stride, r + (3 * i + 1) * stride, r + (3 * i + 2) * stride)
                let u0 = u + 6 * i * plane + lo, u1 = u0 + plane, u2 = u1 + plane
                let u3 = u2 + plane, u4 = u3 + plane, u5 = u4 + plane
                for e in 0..<count {
                    u0[e] = a[e] * quarter
                    u1[e] = -(a[e] + b[e] + d[e]) * sixth
                    u2[e] = -(a[e] - b[e] + d[e]) * sixth
                    u3[e] = a[e] * twentyFourth + b[e] * twelfth + d[e] * sixth
                    u4[e] = a[e] * twentyFourth - b[e] * twelfth + d[e] * sixth
                    u5[e] = d[e]
                }
            }
        }
    }

    /// V[ξ, ch, s·tiles + t] = (Bᵀ·d·B)[ξ] for every 6×6 tile d (zero outside the image); v holds
    /// 36·channels·count·tiles floats. As in F(2×2): ·B along every padded input row first, kept
    /// in four phases by row mod 4, so a tile's six rows are p0[k], p1[k], p2[k], p3[k],
    /// p0[k + tilesWide], p1[k + tilesWide] and each column's Bᵀ· is a long loop over the tiles.
    func transformInput(_ x: UnsafePointer<Float>, channels: Int, first: Int, count: Int,
                        into v: UnsafeMutablePointer<Float>, columns p: Int) {
        let span = 4 * tilesWide + 2, stride36 = channels * p
        let rowsQuarter = tilesHigh + 1, phase = rowsQuarter * tilesWide  // floats per (j, phase) array
        withUnsafeTemporaryAllocation(of: Float.self, capacity: span + 24 * phase) { buffer in
            let row = buffer.baseAddress!, r = row + span  // r[(4j + pr % 4)·phase + (pr / 4)·tilesWide + tx]
            row.initialize(repeating: 0, count: span)
            for ch in 0..<channels { for s in 0..<count {
                let plane = x + ((first + s) * channels + ch) * h * w
                for pr in 0..<(4 * rowsQuarter) {
                    let iy = pr - 1, base = r + (pr % 4) * phase + (pr / 4) * tilesWide
                    guard iy >= 0 && iy < h else {
                        for j in 0..<6 { (base + 4 * j * phase).update(repeating: 0, count: tilesWide) }
                        continue
                    }
                    (row + 1).update(from: plane + iy * w, count: w)
                    let (r0, r1, r2) = (base, base + 4 * phase, base + 8 * phase)
                    let (r3, r4, r5) = (base + 12 * phase, base + 16 * phase, base + 20 * phase)
                    for tx in 0..<tilesWide {
                        let t = row + 4 * tx
                        let (x0, x1, x2, x3, x4, x5) = (t[0], t[1], t[2], t[3], t[4], t[5])
                        r0[tx] = 4 * x0 - 5 * x2 + x4
                        r1[tx] = -4 * (x1 + x2) + x3 + x4
                        r2[tx] = 4 * (x1 - x2) - x3 + x4
                        r3[tx] = -2 * (x1 - x3) - x2 + x4
                        r4[tx] = 2 * (x1 - x3) - x2 + x4
                        r5[tx] = 4 * x1 - 5 * x3 + x5
                    }
                }
                // Bᵀ· down the columns: tile row i of column j goes to V[6i + j].
                let q = v + ch * p + s * tiles
                for j in 0..<6 {
                    let p0 = r + 4 * j * phase, p1 = p0 + phase, p2 = p1 + phase, p3 = p2 + phase
                    let p4 = p0 + tilesWide, p5 = p1 + tilesWide
                    let d = q + j * stride36
                    for k in 0..<tiles { d[k] = 4 * p0[k] - 5 * p2[k] + p4[k] }
                    let d1 = d + 6 * stride36
                    for k in 0..<tiles { d1[k] = -4 * (p1[k] + p2[k]) + p3[k] + p4[k] }
                    let d2 = d1 + 6 * stride36
                    for k in 0..<tiles { d2[k] = 4 * (p1[k] - p2[k]) - p3[k] + p4[k] }
                    let d3 = d2 + 6 * stride36
                    for k in 0..<tiles { d3[k] = -2 * (p1[k] - p3[k]) - p2[k] + p4[k] }
                    let d4 = d3 + 6 * stride36
                    for k in 0..<tiles { d4[k] = 2 * (p1[k] - p3[k]) - p2[k] + p4[k] }
                    let d5 = d4 + 6 * stride36
                    for k in 0..<tiles { d5[k] = 4 * p1[k] - 5 * p3[k] + p5[k] }
                }
            } }
        }
    }

    /// out[first + s, oc] = Aᵀ·M·A per tile (+ bias) for m [36, O, count·tiles].
    func transformOutput(_ m: UnsafePointer<Float>, bias: UnsafePointer<Float>?, first: Int, count: Int,
                         into out: UnsafeMutablePointer<Float>, columns p: Int) {
        let stride36 = o * p, n = tiles
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 40 * n) { buffer in
            let t = buffer.baseAddress!      // t[(4i + a)·n + tile] = (M·A)[i][a], i < 6
            let y = t + 24 * n               // y[(4b + a)·n + tile] = output (b, a) of the tile
            for oc in 0..<o { for s in 0..<count {
                let plane = out + ((first + s) * o + oc) * h * w
                let shift = bias?[oc] ?? 0
                let q = m + oc * p + s * tiles
                // M·A: each row of six becomes four.
                for i in 0..<6 {
                    let m0 = q + 6 * i * stride36, m1 = m0 + stride36, m2 = m1 + stride36
                    let m3 = m2 + stride36, m4 = m3 + stride36, m5 = m4 + stride36
                    let t0 = t + 4 * i * n, t1 = t0 + n, t2 = t1 + n, t3 = t2 + n
                    for k in 0..<n { t0[k] = m0[k] + m1[k] + m2[k] + m3[k] + m4[k] }
                    for k in 0..<n { t1[k] = m1[k] - m2[k] + 2 * (m3[k] - m4[k]) }
                    for k in 0..<n { t2[k] = m1[k] + m2[k] + 4 * (m3[k] + m4[k]) }
                    for k in 0..<n { t3[k] = m1[k] - m2[k] + 8 * (m3[k] - m4[k]) + m5[k] }
                }
                // Aᵀ·(M·A): the six rows of each column a become four.
                for a in 0..<4 {
                    let c0 = t + a * n, c1 = c0 + 4 * n, c2 = c1 + 4 * n, c3 = c2 + 4 * n, c4 = c3 + 4 * n, c5 = c4 + 4 * n
                    let y0 = y + a * n, y1 = y0 + 4 * n, y2 = y1 + 4 * n, y3 = y2 + 4 * n
                    for k in 0..<n { y0[k] = c0[k] + c1[k] + c2[k] + c3[k] + c4[k] + shift }
                    for k in 0..<n { y1[k] = c1[k] - c2[k] + 2 * (c3[k] - c4[k]) + shift }
                    for k in 0..<n { y2[k] = c1[k] + c2[k] + 4 * (c3[k] + c4[k]) + shift }
                    for k in 0..<n { y3[k] = c1[k] - c2[k] + 8 * (c3[k] - c4[k]) + c5[k] + shift }
                }
                // Interleave the sixteen phases into the plane, leaving out what falls outside it.
                for ty in 0..<tilesHigh {
                    for b in 0..<4 where 4 * ty + b < h {
                        let dst = plane + (4 * ty + b) * w, src = y + 4 * b * n + ty * tilesWide
                        for tx in 0..<tilesWide {
                            let x0 = 4 * tx
                            for a in 0..<min(4, w - x0) { dst[x0 + a] = src[a * n + tx] }
                        }
                    }
                }
            } }
        }
    }
}

/// The forward pass by F(4×4, 3×3) on raw buffers: out = W ⋆ x + b (3×3, stride 1, padding 1).
func winogradF4Convolve(_ geo: ConvGeometry, input px: UnsafePointer<Float>, weight pw: UnsafePointer<Float>,
                        bias pb: UnsafePointer<Float>?, output po: UnsafeMutablePointer<Float>) {
    winogradForward(WinogradF4Geometry(geo), input: px, weight: pw, bias: pb, output: po)
}
