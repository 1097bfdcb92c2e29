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
/// The tiling both Winograd sizes share: m×m output blocks from (m+2)×(m+2) input tiles, and the
/// batch cut into groups of samples that run on one core each.
protocol WinogradTiling {
    var n: Int { get }
    var c: Int { get }
    var o: Int { get }
    var h: Int { get }
    var w: Int { get }
    /// m, the side of a tile's block of outputs (2 or 4).
    static var outputTile: Int { get }
    /// U[ξ] = G·g·Gᵀ for the kernels of the (output, input) channel pairs `pairs` (pair index
    /// oc·C + ci); u holds positions·O·C floats.
    func transformKernel(_ g: UnsafePointer<Float>, pairs: Range<Int>, into u: UnsafeMutablePointer<Float>)
    /// V[ξ] = Bᵀ·d·B for the tiles of samples first..<first+count. v points at the first sample's
    /// first tile; a row of V (one position and channel) is `columns` floats long.
    func transformInput(_ x: UnsafePointer<Float>, channels: Int, first: Int, count: Int, into v: UnsafeMutablePointer<Float>,
                        columns: Int)
    /// Y = Aᵀ·M·A (+ bias) for the same samples, m laid out as V.
    func transformOutput(_ m: UnsafePointer<Float>, bias: UnsafePointer<Float>?, first: Int, count: Int,
                         into out: UnsafeMutablePointer<Float>, columns: Int)
}

extension WinogradTiling {
    var tilesHigh: Int { (h + Self.outputTile - 1) / Self.outputTile }
    var tilesWide: Int { (w + Self.outputTile - 1) / Self.outputTile }
    var tiles: Int { tilesHigh * tilesWide }
    /// (m+2)², the tile positions and so the GEMMs per group.
    static var positions: Int { (outputTile + 2) * (outputTile + 2) }

    /// Samples per group: transformed input and output of a group near 16 MB, and at least two
    /// groups per core.
    var groupSize: Int {
        let perSample = Self.positions * (c + o) * tiles
        return max(1, min((1 << 22) / max(1, perSample), (n + 2 * parallelWorkers - 1) / (2 * parallelWorkers)))
    }
    var groupCount: Int { (n + groupSize - 1) / groupSize }

    /// Pairs per chunk of the kernel transform.
    var kernelChunk: Int { 256 }

    /// Runs `body(first pair, count, k, scratch)` over chunks of `pairs`, with k holding the
    /// chunk's 3×3 kernels transposed (k[j·kernelChunk + e] = g[(first + e)·9 + j]) and scratch
    /// `scratchRows` more rows of kernelChunk floats: the transforms then run as long loops over
    /// the pairs, which vectorise, and write each U[ξ] row as one contiguous run.
    func forEachKernelChunk(_ g: UnsafePointer<Float>, pairs: Range<Int>, scratchRows: Int,
                            _ body: (_ first: Int, _ count: Int, _ k: UnsafePointer<Float>, _ scratch: UnsafeMutablePointer<Float>) -> Void) {
        let stride = kernelChunk
        withUnsafeTemporaryAllocation(of: Float.self, capacity: (9 + scratchRows) * stride) { buffer in
            let k = buffer.baseAddress!, scratch = k + 9 * stride
            var lo = pairs.lowerBound
            while lo < pairs.upperBound {
                let count = min(stride, pairs.upperBound - lo)
                for e in 0..<count {
                    let src = g + (lo + e) * 9
                    for j in 0..<9 { k[j * stride + e] = src[j] }
                }
                body(lo, count, k, scratch)
                lo += count
            }
        }
    }

    func forEachGroup(_ body: (_ group: Int, _ first: Int, _ count: Int) -> Void) {
        let size = groupSize
        parallelRange(groupCount) { range in
            for g in range { body(g, g * size, min(size, n - g * size)) }
        }
    }

    /// Whether the whole batch's transformed tiles go into one panel per tile position, so each
    /// position is a single GEMM with n·tiles columns (the positions spread over the cores),
    /// rather than one GEMM per position and group of samples. On small maps a group has few
    /// tiles: its GEMMs are narrow, and every group reads all transformed kernels again
    /// (positions·O·C floats: 16 MB at 512 channels). The panels must fit the scratch budget.
    var batchPanels: Bool {
        let fits = Self.positions * (c + o) * n * tiles <= Convolution.batchPanelBudget
        switch Convolution.panels {
        case .groups: return false
        case .batch: return fits
        case .automatic: return fits && groupSize * tiles < Convolution.batchPanelColumns
        }
    }
}

struct WinogradGeometry: WinogradTiling {
    static let outputTile = 2
    let n, c, o, h, w: Int

    init(_ geo: ConvGeometry) {
        (n, c, o, h, w) = (geo.n, geo.c, geo.o, geo.h, geo.w)
    }

    /// U[ξ, oc, ci] = (G·g·Gᵀ)[ξ] for weight g [O, C, 3, 3]; u holds 16·O·C floats.
    func transformKernel(_ g: UnsafePointer<Float>, pairs: Range<Int>, into u: UnsafeMutablePointer<Float>) {
        let plane = o * c
        forEachKernelChunk(g, pairs: pairs, scratchRows: 12) { lo, count, k, r in
            let stride = kernelChunk
            // G·g: four rows of three.
            for j in 0..<3 {
                let (a, b, d) = (k + j * stride, k + (3 + j) * stride, k + (6 + j) * stride)
                let (r0, r1, r2, r3) = (r + j * stride, r + (3 + j) * stride, r + (6 + j) * stride, r + (9 + j) * stride)
                for e in 0..<count {
                    r0[e] = a[e]
                    r1[e] = 0.5 * (a[e] + b[e] + d[e])
                    r2[e] = 0.5 * (a[e] - b[e] + d[e])
                    r3[e] = d[e]
                }
            }
            // (G·g)·Gᵀ: each row of three becomes four.
            for i in 0..<4 {
                let (a, b, d) = (r + 3 * i * stride, r + (3 * i + 1) * stride, r + (3 * i + 2) * stride)
                let u0 = u + 4 * i * plane + lo, u1 = u0 + plane, u2 = u1 + plane, u3 = u2 + plane
                for e in 0..<count {
                    u0[e] = a[e]
                    u1[e] = 0.5 * (a[e] + b[e] + d[e])
                    u2[e] = 0.5 * (a[e] - b[e] + d[e])
                    u3[e] = d[e]
                }
            }
        }
    }

    /// dg = Gᵀ·dU·G, the adjoint of `transformKernel`: du [16, O, C] → dg [O, C, 3, 3].
    func kernelGradient(_ du: UnsafePointer<Float>, pairs: Range<Int>, into dg: UnsafeMutablePointer<Float>) {
        let plane = o * c
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 12) { buffer in
            let q = buffer.baseAddress!
            for pair in pairs {
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
    ///
    /// Per plane: ·B along every (zero-padded) input row first, kept apart for even and odd
    /// rows; a tile's four rows are then even[k], odd[k], even[k + tilesWide], odd[k + tilesWide]
    /// for tile k, so Bᵀ· down the columns is one long loop over the tiles per column of the tile.
    func transformInput(_ x: UnsafePointer<Float>, channels: Int, first: Int, count: Int,
                        into v: UnsafeMutablePointer<Float>, columns p: Int) {
        let span = 2 * tilesWide + 2, stride16 = channels * p
        let rowsHalf = tilesHigh + 1, phase = rowsHalf * tilesWide  // floats per (j, parity) array
        withUnsafeTemporaryAllocation(of: Float.self, capacity: span + 8 * phase) { buffer in
            let row = buffer.baseAddress!, r = row + span  // r[(2j + parity)·phase + (pr / 2)·tilesWide + tx]
            row.initialize(repeating: 0, count: span)
            for ch in 0..<channels { for s in 0..<count {
                let plane = x + ((first + s) * channels + ch) * h * w
                for pr in 0..<(2 * rowsHalf) {
                    let iy = pr - 1, base = r + (pr % 2) * phase + (pr / 2) * tilesWide
                    let r0 = base, r1 = base + 2 * phase, r2 = base + 4 * phase, r3 = base + 6 * phase
                    guard iy >= 0 && iy < h else {
                        r0.update(repeating: 0, count: tilesWide)
                        r1.update(repeating: 0, count: tilesWide)
                        r2.update(repeating: 0, count: tilesWide)
                        r3.update(repeating: 0, count: tilesWide)
                        continue
                    }
                    // The row with one zero column on the left (row[0] and the tail stay zero).
                    (row + 1).update(from: plane + iy * w, count: w)
                    for tx in 0..<tilesWide {
                        let (a, b, c, d) = (row[2 * tx], row[2 * tx + 1], row[2 * tx + 2], row[2 * tx + 3])
                        r0[tx] = a - c
                        r1[tx] = b + c
                        r2[tx] = c - b
                        r3[tx] = b - d
                    }
                }
                // Bᵀ· down the columns: tile row i of column j goes to V[4i + j].
                let q = v + ch * p + s * tiles
                for j in 0..<4 {
                    let even = r + 2 * j * phase, odd = even + phase, evenNext = even + tilesWide, oddNext = odd + tilesWide
                    let d0 = q + j * stride16, d1 = d0 + 4 * stride16, d2 = d1 + 4 * stride16, d3 = d2 + 4 * stride16
                    for k in 0..<tiles {
                        let (a, b, c, d) = (even[k], odd[k], evenNext[k], oddNext[k])
                        d0[k] = a - c
                        d1[k] = b + c
                        d2[k] = c - b
                        d3[k] = b - d
                    }
                }
            } }
        }
    }

    /// out[first + s, oc] = Aᵀ·M·A per tile (+ bias) for m [16, O, count·tiles].
    ///
    /// A plane's tiles are contiguous in m, so each step is one long loop over them that reads
    /// and writes at most four streams (few enough for the compiler to vectorise); the four
    /// output phases are interleaved into the image at the end.
    func transformOutput(_ m: UnsafePointer<Float>, bias: UnsafePointer<Float>?, first: Int, count: Int,
                         into out: UnsafeMutablePointer<Float>, columns p: Int) {
        let stride16 = o * p, n = tiles
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 8 * n) { buffer in
            let t = buffer.baseAddress!  // t[(2i + j)·n + tile] = (M·A)[i][j]
            for oc in 0..<o { for s in 0..<count {
                let plane = out + ((first + s) * o + oc) * h * w
                let b = bias?[oc] ?? 0
                let q = m + oc * p + s * tiles
                // M·A: each row of four becomes two.
                for i in 0..<4 {
                    let m0 = q + 4 * i * stride16, m1 = m0 + stride16, m2 = m1 + stride16, m3 = m2 + stride16
                    let t0 = t + 2 * i * n, t1 = t0 + n
                    for k in 0..<n {
                        t0[k] = m0[k] + m1[k] + m2[k]
                        t1[k] = m1[k] - m2[k] - m3[k]
                    }
                }
                // Aᵀ·(M·A): rows 0 and 1 of the 2×2 output, in place of t_0j and t_1j.
                for j in 0..<2 {
                    let t0 = t + j * n, t1 = t0 + 2 * n, t2 = t1 + 2 * n, t3 = t2 + 2 * n
                    for k in 0..<n {
                        let (a, c, d, e) = (t0[k], t1[k], t2[k], t3[k])
                        t0[k] = a + c + d + b
                        t1[k] = c - d - e + b
                    }
                }
                scatterPhases(t, into: plane)
            } }
        }
    }

    /// Writes the four 2×2 phases y[(2·dy + dx)·n + tile] (the layout `transformOutput` leaves
    /// them in: (0,0) and (0,1) at 0 and n, (1,0) and (1,1) at 2n and 3n) into the H×W plane,
    /// leaving out what falls outside it.
    private func scatterPhases(_ y: UnsafePointer<Float>, into plane: UnsafeMutablePointer<Float>) {
        let n = tiles
        for ty in 0..<tilesHigh {
            let k0 = ty * tilesWide
            for dy in 0..<2 where 2 * ty + dy < h {
                let row = plane + (2 * ty + dy) * w, even = y + 2 * dy * n + k0, odd = even + n
                for tx in 0..<(w / 2) {
                    row[2 * tx] = even[tx]
                    row[2 * tx + 1] = odd[tx]
                }
                if w % 2 == 1 { row[w - 1] = even[tilesWide - 1] }
            }
        }
    }

    /// dM = A·dY·Aᵀ per tile for dY [N, O, H, W] (zero outside the image): the adjoint of
    /// `transformOutput`; dm holds 16·O·count·tiles floats. The plane's four 2×2 phases are
    /// gathered first, then each column of dM is one long loop over the tiles.
    func transformOutputGradient(_ gy: UnsafePointer<Float>, first: Int, count: Int, into dm: UnsafeMutablePointer<Float>,
                                 columns p: Int) {
        let stride16 = o * p, n = tiles
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * n) { buffer in
            let g = buffer.baseAddress!  // g[(2·dy + dx)·n + tile] = dY[2ty + dy][2tx + dx]
            for oc in 0..<o { for s in 0..<count {
                let plane = gy + ((first + s) * o + oc) * h * w
                for ty in 0..<tilesHigh {
                    let k0 = ty * tilesWide
                    for dy in 0..<2 {
                        let even = g + 2 * dy * n + k0, odd = even + n
                        guard 2 * ty + dy < h else {
                            even.update(repeating: 0, count: tilesWide)
                            odd.update(repeating: 0, count: tilesWide)
                            continue
                        }
                        let row = plane + (2 * ty + dy) * w
                        for tx in 0..<(w / 2) {
                            even[tx] = row[2 * tx]
                            odd[tx] = row[2 * tx + 1]
                        }
                        if w % 2 == 1 {
                            even[tilesWide - 1] = row[w - 1]
                            odd[tilesWide - 1] = 0
                        }
                    }
                }
                // Row 0 of each tile (a, b) and row 1 (e0, e1).
                let (a, b, e0, e1) = (g, g + n, g + 2 * n, g + 3 * n)
                let q = dm + oc * p + s * tiles
                // Column j of dY·Aᵀ from rows 0 and 1 (r0, r1), then A·(dY·Aᵀ): r0, r0 + r1, r0 − r1, −r1
                // go to dM[0][j], dM[1][j], dM[2][j], dM[3][j].
                let d = (q, q + 4 * stride16, q + 8 * stride16, q + 12 * stride16)
                for k in 0..<n { let (r0, r1) = (a[k], e0[k]); d.0[k] = r0; d.1[k] = r0 + r1; d.2[k] = r0 - r1; d.3[k] = -r1 }
                let d1 = (d.0 + stride16, d.1 + stride16, d.2 + stride16, d.3 + stride16)
                for k in 0..<n {
                    let (r0, r1) = (a[k] + b[k], e0[k] + e1[k])
                    d1.0[k] = r0; d1.1[k] = r0 + r1; d1.2[k] = r0 - r1; d1.3[k] = -r1
                }
                let d2 = (d1.0 + stride16, d1.1 + stride16, d1.2 + stride16, d1.3 + stride16)
                for k in 0..<n {
                    let (r0, r1) = (a[k] - b[k], e0[k] - e1[k])
                    d2.0[k] = r0; d2.1[k] = r0 + r1; d2.2[k] = r0 - r1; d2.3[k] = -r1
                }
                let d3 = (d2.0 + stride16, d2.1 + stride16, d2.2 + stride16, d2.3 + stride16)
                for k in 0..<n { let (r0, r1) = (-b[k], -e1[k]); d3.0[k] = r0; d3.1[k] = r0 + r1; d3.2[k] = r0 - r1; d3.3[k] = -r1 }
            } }
        }
    }
}

/// The forward pass by Winograd on raw buffers: out = W ⋆ x + b (3×3, stride 1, padding 1):
/// transform the tiles, one GEMM per tile position, transform back; per group of samples, or
/// over the whole batch at once (`batchPanels`).
func winogradForward<Tiling: WinogradTiling>(_ wg: Tiling, input px: UnsafePointer<Float>, weight pw: UnsafePointer<Float>,
                                             bias pb: UnsafePointer<Float>?, output po: UnsafeMutablePointer<Float>) {
    let (c, o, positions) = (wg.c, wg.o, Tiling.positions)
    let kernel = UnsafeMutablePointer<Float>.allocate(capacity: positions * o * c)
    defer { kernel.deallocate() }
    parallelRange(o * c, grain: 1024) { pairs in wg.transformKernel(pw, pairs: pairs, into: kernel) }
    if wg.batchPanels {
        let p = wg.n * wg.tiles
        ScratchPool.shared.with(positions * (c + o) * p) { scratch in
            let v = scratch, m = scratch + positions * c * p
            wg.forEachGroup { _, first, count in
                wg.transformInput(px, channels: c, first: first, count: count, into: v + first * wg.tiles, columns: p)
            }
            parallelRange(positions) { range in
                for xi in range {
                    GEMM.sgemmSerial(transA: false, transB: false, m: o, n: p, k: c, a: kernel + xi * o * c, lda: c,
                                     b: v + xi * c * p, ldb: p, c: m + xi * o * p, ldc: p)
                }
            }
            wg.forEachGroup { _, first, count in
                wg.transformOutput(m + first * wg.tiles, bias: pb, first: first, count: count, into: po, columns: p)
            }
        }
        return
    }
    wg.forEachGroup { _, first, count in
        let p = count * wg.tiles
        ScratchPool.shared.with(positions * (c + o) * p) { scratch in
            let v = scratch, m = scratch + positions * c * p
            wg.transformInput(px, channels: c, first: first, count: count, into: v, columns: p)
            for xi in 0..<positions {
                GEMM.sgemmSerial(transA: false, transB: false, m: o, n: p, k: c, a: kernel + xi * o * c, lda: c,
                                 b: v + xi * c * p, ldb: p, c: m + xi * o * p, ldc: p)
            }
            wg.transformOutput(m, bias: pb, first: first, count: count, into: po, columns: p)
        }
    }
}

/// The forward pass by F(2×2, 3×3).
func winogradConvolve(_ geo: ConvGeometry, input px: UnsafePointer<Float>, weight pw: UnsafePointer<Float>,
                      bias pb: UnsafePointer<Float>?, output po: UnsafeMutablePointer<Float>) {
    winogradForward(WinogradGeometry(geo), input: px, weight: pw, bias: pb, output: po)
}

/// dW [O, C, 3, 3] of a Winograd-shaped convolution from x and dY, by F(2×2): dU[ξ] = dM[ξ]·V[ξ]ᵀ
/// with dM = A·dY·Aᵀ, then dW = Gᵀ·dU·G. With batch panels each position is one GEMM whose
/// reduction runs over the whole batch; otherwise each group of samples adds a partial dU and the
/// partials are summed in group order (the same floats whichever core ran which group).
func winogradWeightGradient(_ geo: ConvGeometry, input px: UnsafePointer<Float>, outputGradient pg: UnsafePointer<Float>,
                            into gw: UnsafeMutablePointer<Float>) {
    let wg = WinogradGeometry(geo)
    let (c, o) = (wg.c, wg.o)
    let size = 16 * o * c
    if wg.batchPanels {
        let p = wg.n * wg.tiles
        let du = UnsafeMutablePointer<Float>.allocate(capacity: size)
        defer { du.deallocate() }
        ScratchPool.shared.with(16 * (c + o) * p) { scratch in
            let v = scratch, dm = scratch + 16 * c * p
            wg.forEachGroup { _, first, count in
                wg.transformInput(px, channels: c, first: first, count: count, into: v + first * wg.tiles, columns: p)
                wg.transformOutputGradient(pg, first: first, count: count, into: dm + first * wg.tiles, columns: p)
            }
            parallelRange(16) { range in
                for xi in range {
                    GEMM.sgemmSerial(transA: false, transB: true, m: o, n: c, k: p, a: dm + xi * o * p, lda: p,
                                     b: v + xi * c * p, ldb: p, c: du + xi * o * c, ldc: c)
                }
            }
        }
        parallelRange(o * c, grain: 1024) { pairs in wg.kernelGradient(du, pairs: pairs, into: gw) }
        return
    }
    let groups = wg.groupCount
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: groups * size)
    defer { partials.deallocate() }
    wg.forEachGroup { group, first, count in
        let p = count * wg.tiles
        ScratchPool.shared.with(16 * (c + o) * p) { scratch in
            let v = scratch, dm = scratch + 16 * c * p, du = partials + group * size
            wg.transformInput(px, channels: c, first: first, count: count, into: v, columns: p)
            wg.transformOutputGradient(pg, first: first, count: count, into: dm, columns: p)
            for xi in 0..<16 {
                GEMM.sgemmSerial(transA: false, transB: true, m: o, n: c, k: p, a: dm + xi * o * p, lda: p,
                                 b: v + xi * c * p, ldb: p, c: du + xi * o * c, ldc: c)
            }
        }
    }
    // Summed in group order, split over the cores by position in dU.
    parallelRange(size, grain: 1 << 14) { range in
        for g in 1..<max(groups, 1) {
            let src = partials + g * size
            for i in range { partials[i] += src[i] }
        }
    }
    parallelRange(o * c, grain: 1024) { pairs in wg.kernelGradient(partials, pairs: pairs, into: gw) }
}
