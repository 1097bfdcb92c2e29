// Winograd tile transforms (F(2×2, 3×3) and F(4×4, 3×3)) and the weight gradient's products,
// compiled once per path after KernelBody.h (same LODE_W, LODE_NAME and no FMA contraction), so
// the results are the same floats on every path: the same operations in the same order, the
// transforms unfused and the products fused explicitly on every path. The input transform and
// the output gradient's put LODE_W channels in the vector lanes (each sample's block of channels
// first copied pixel-major); so does the output transform (its pixel-major block then
// transposed into the planes).
#include "WinogradKernels.h"

// Whole vectors when `valid` covers a vector (a fixed-size copy the compiler turns into one
// load or store); a partial tail element by element.
static inline __attribute__((always_inline)) VF wino_load(const float *p, long valid) {
    VF v = {0};
    if (valid >= LODE_W) {
        memcpy(&v, p, sizeof v);
    } else {
        for (long i = 0; i < valid; i++) v[i] = p[i];
    }
    return v;
}
static inline __attribute__((always_inline)) void wino_store(float *p, VF v, long valid) {
    if (valid >= LODE_W) {
        memcpy(p, &v, sizeof v);
    } else {
        for (long i = 0; i < valid; i++) p[i] = v[i];
    }
}

// Interleaves of two vectors' first and second halves: lo = a0 b0 a1 b1 ..., hi the same from
// the middle on. log2(LODE_W) rounds of "rows 2i, 2i + 1 = lo, hi of rows i and i + LODE_W/2"
// transpose a LODE_W × LODE_W block (each round rotates the row and lane bits of an element's
// index by one).
#if LODE_W == 16
#define WINO_LO 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23
#define WINO_HI 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31
#define WINO_ROUNDS 4
#elif LODE_W == 8
#define WINO_LO 0, 8, 1, 9, 2, 10, 3, 11
#define WINO_HI 4, 12, 5, 13, 6, 14, 7, 15
#define WINO_ROUNDS 3
#else
#define WINO_LO 0, 4, 1, 5
#define WINO_HI 2, 6, 3, 7
#define WINO_ROUNDS 2
#endif

/// r[l][i] becomes r[i][l] (a pure permutation: the floats are unchanged).
static inline __attribute__((always_inline)) void wino_transpose(VF r[LODE_W]) {
    for (int round = 0; round < WINO_ROUNDS; round++) {
        VF t[LODE_W];
        for (int i = 0; i < LODE_W / 2; i++) {
            t[2 * i] = __builtin_shufflevector(r[i], r[i + LODE_W / 2], WINO_LO);
            t[2 * i + 1] = __builtin_shufflevector(r[i], r[i + LODE_W / 2], WINO_HI);
        }
        for (int i = 0; i < LODE_W; i++) r[i] = t[i];
    }
}

/// Copies channels c0..<c0 + lanes of one sample (planes of h×w, x at channel 0) into pad, LODE_W
/// channels per pixel, with `border` zero pixels above and left and enough below and right for
/// every tile: pad[((y + border)·pw + x + border)·LODE_W + l] = x[c0 + l][y][x]; unused lanes zero.
/// Runs of LODE_W pixels go through an in-register transpose (LODE_W loads and stores instead of
/// LODE_W² single-float stores); only the border, never the interior, is zeroed first.
static void LODE_NAME(wino_block)(const float *x, long c0, long lanes, long h, long w, long ph, long pw, long border,
                                  float *pad) {
    const VF zero = {0};
    for (long y = 0; y < ph; y++) {
        float *row = pad + y * pw * LODE_W;
        int interior = y >= border && y < h + border;
        long from = interior ? border + w : 0;
        for (long i = 0; i < (interior ? border : 0); i++) memcpy(row + i * LODE_W, &zero, sizeof zero);
        for (long i = from; i < pw; i++) memcpy(row + i * LODE_W, &zero, sizeof zero);
    }
    // Pixels taken in plane order (a plane is one run of h·w floats), LODE_W at a time whatever
    // the row width, so 8×8 and 4×4 maps transpose whole runs too; each pixel's vector then goes
    // to its own place in pad.
    const float *planes = x + c0 * h * w;
    long total = h * w, whole = total / LODE_W * LODE_W, y = 0, col = 0;
    for (long q0 = 0; q0 < total; q0 += LODE_W) {
        VF r[LODE_W];
        long run = q0 < whole ? LODE_W : total - q0;
        if (run == LODE_W) {
            for (long l = 0; l < LODE_W; l++) {
                if (l < lanes) {
                    memcpy(&r[l], planes + l * total + q0, sizeof(VF));
                } else {
                    r[l] = zero;
                }
            }
            wino_transpose(r);
        } else {
            for (long i = 0; i < run; i++) {
                r[i] = zero;
                for (long l = 0; l < lanes; l++) r[i][l] = planes[l * total + q0 + i];
            }
        }
        for (long i = 0; i < run; i++) {
            memcpy(pad + ((y + border) * pw + col + border) * LODE_W, &r[i], sizeof(VF));
            if (++col == w) {
                col = 0;
                y++;
            }
        }
    }
}

/// One tile's transform with the channels in the vector lanes: reads the (m+2)×(m+2) or m×m block
/// at base (rows rowStride floats apart, LODE_W channels a pixel) and writes its positions' values
/// at q + ξ·positionStride (the valid lanes only).
typedef void (*WinoTileTransform)(const float *base, long rowStride, float *q, long positionStride, long lanes);

/// Runs `tile` over every tile of `count` samples of x [count, channels, h, w], LODE_W channels at
/// a time: each block of channels copied pixel-major into pad (with `border` zero pixels above and
/// left, tiles of side m starting every m pixels), then tile k of sample s written to column
/// s·tiles + k: v[ξ·positionStride + column·channels + channel]. Inlined with `tile`, so each
/// transform compiles to one loop nest.
static inline __attribute__((always_inline)) void LODE_NAME(wino_each_tile)(
    const float *x, long channels, long count, long h, long w, int m, long border, float *v, long positionStride,
    float *pad, WinoTileTransform tile) {
    long tilesHigh = (h + m - 1) / m, tilesWide = (w + m - 1) / m, tiles = tilesHigh * tilesWide;
    long ph = m * tilesHigh + 2 * border, pw = m * tilesWide + 2 * border;
    for (long s = 0; s < count; s++) {
        for (long c0 = 0; c0 < channels; c0 += LODE_W) {
            long lanes = channels - c0 < LODE_W ? channels - c0 : LODE_W;
            LODE_NAME(wino_block)(x + s * channels * h * w, c0, lanes, h, w, ph, pw, border, pad);
            for (long ty = 0; ty < tilesHigh; ty++) {
                for (long tx = 0; tx < tilesWide; tx++) {
                    tile(pad + (m * ty * pw + m * tx) * LODE_W, pw * LODE_W,
                         v + (s * tiles + ty * tilesWide + tx) * channels + c0, positionStride, lanes);
                }
            }
        }
    }
}

/// A one-dimensional transform of n values into k (in and out LODE_W channels each); a tile's
/// transform is separable: the same one along each row of the block, then down each column.
typedef void (*WinoLine)(const VF *x, VF *y);

/// Bᵀ of F(2×2), 4 values into 4.
static inline __attribute__((always_inline)) void wino_input2_line(const VF *x, VF *y) {
    y[0] = x[0] - x[2];
    y[1] = x[1] + x[2];
    y[2] = x[2] - x[1];
    y[3] = x[1] - x[3];
}

/// Bᵀ of F(4×4), 6 values into 6.
static inline __attribute__((always_inline)) void wino_input4_line(const VF *x, VF *y) {
    y[0] = 4 * x[0] - 5 * x[2] + x[4];
    y[1] = -4 * (x[1] + x[2]) + x[3] + x[4];
    y[2] = 4 * (x[1] - x[2]) - x[3] + x[4];
    y[3] = -2 * (x[1] - x[3]) - x[2] + x[4];
    y[4] = 2 * (x[1] - x[3]) - x[2] + x[4];
    y[5] = 4 * x[1] - 5 * x[3] + x[5];
}

/// A of F(2×2) (for dM = A·dY·Aᵀ), 2 values into 4: y0, y0 + y1, y0 − y1, −y1.
static inline __attribute__((always_inline)) void wino_gradient2_line(const VF *x, VF *y) {
    y[0] = x[0];
    y[1] = x[0] + x[1];
    y[2] = x[0] - x[1];
    y[3] = -x[1];
}

/// A of F(4×4), 4 values into 6: y0, y0+y1+y2+y3, y0−y1+y2−y3, y0+2y1+4y2+8y3, y0−2y1+4y2−8y3, y3.
static inline __attribute__((always_inline)) void wino_gradient4_line(const VF *x, VF *y) {
    VF even = x[0] + x[2], odd = x[1] + x[3], even4 = x[0] + 4 * x[2], odd2 = 2 * x[1] + 8 * x[3];
    y[0] = x[0];
    y[1] = even + odd;
    y[2] = even - odd;
    y[3] = even4 + odd2;
    y[4] = even4 - odd2;
    y[5] = x[3];
}

/// What a separable tile does to each value before storing it (constant after inlining).
enum { WINO_PLAIN, WINO_BIAS, WINO_BIAS_RELU };

/// One tile, separably: `line` (n values into k) along each of the n rows of the n×n block of
/// vectors read at in + a·inRow + j·inColumn (loadLanes of each valid), then down each of the k
/// columns; value (i, j), plus bias (and then max(·, 0) as Tensor.relu: NaN to 0) as `epilogue`
/// says, written at out + i·outRow + j·outColumn (storeLanes of it).
static inline __attribute__((always_inline)) void wino_separable(const float *in, long inRow, long inColumn, long loadLanes,
                                                                 float *out, long outRow, long outColumn, long storeLanes,
                                                                 int n, int k, WinoLine line, int epilogue, VF bias) {
    VF r[6][6];
    for (int a = 0; a < n; a++) {
        VF x[6];
        for (int j = 0; j < n; j++) x[j] = wino_load(in + a * inRow + j * inColumn, loadLanes);
        line(x, r[a]);
    }
    for (int j = 0; j < k; j++) {
        VF x[6], y[6];
        for (int a = 0; a < n; a++) x[a] = r[a][j];
        line(x, y);
        for (int i = 0; i < k; i++) {
            VF v = epilogue == WINO_PLAIN ? y[i] : y[i] + bias;
            if (epilogue == WINO_BIAS_RELU) v = selectf((VI)(v > 0), v, splatf(0));
            wino_store(out + i * outRow + j * outColumn, v, storeLanes);
        }
    }
}

/// One tile of a pixel-major block at base (rows rowStride floats apart, LODE_W channels a pixel):
/// position i·k + j written at q + (i·k + j)·positionStride (the valid lanes).
static inline __attribute__((always_inline)) void wino_separable_tile(const float *base, long rowStride, float *q,
                                                                      long positionStride, long lanes, int n, int k,
                                                                      WinoLine line) {
    wino_separable(base, rowStride, LODE_W, LODE_W, q, k * positionStride, positionStride, lanes, n, k, line, WINO_PLAIN,
                   splatf(0));
}

static inline __attribute__((always_inline)) void LODE_NAME(wino_input2_tile)(const float *base, long rowStride, float *q,
                                                                           long positionStride, long lanes) {
    wino_separable_tile(base, rowStride, q, positionStride, lanes, 4, 4, wino_input2_line);
}

static inline __attribute__((always_inline)) void LODE_NAME(wino_input4_tile)(const float *base, long rowStride, float *q,
                                                                           long positionStride, long lanes) {
    wino_separable_tile(base, rowStride, q, positionStride, lanes, 6, 6, wino_input4_line);
}

/// F(2×2) input transform with the channels in the vector lanes: for each sample s < count and
/// tile k, V[ξ][column s·tiles + k][channel] goes to v[ξ·positionStride + column·channels + ch].
/// pad: lode_winograd_block_scratch(h, w) floats.
void LODE_NAME(lode_winograd2_input)(const float *x, long channels, long count, long h, long w, float *v,
                                     long positionStride, float *pad) {
    LODE_NAME(wino_each_tile)(x, channels, count, h, w, 2, 1, v, positionStride, pad, LODE_NAME(wino_input2_tile));
}

/// F(4×4) input transform, laid out as lode_winograd2_input's.
void LODE_NAME(lode_winograd4_input)(const float *x, long channels, long count, long h, long w, float *v,
                                     long positionStride, float *pad) {
    LODE_NAME(wino_each_tile)(x, channels, count, h, w, 4, 1, v, positionStride, pad, LODE_NAME(wino_input4_tile));
}

/// Aᵀ of F(2×2) (for Y = Aᵀ·M·A), 4 values into 2.
static inline __attribute__((always_inline)) void wino_output2_line(const VF *x, VF *y) {
    y[0] = x[0] + x[1] + x[2];
    y[1] = x[1] - x[2] - x[3];
}

/// Aᵀ of F(4×4), 6 values into 4.
static inline __attribute__((always_inline)) void wino_output4_line(const VF *x, VF *y) {
    y[0] = x[0] + x[1] + x[2] + x[3] + x[4];
    y[1] = x[1] - x[2] + 2 * (x[3] - x[4]);
    y[2] = x[1] + x[2] + 4 * (x[3] + x[4]);
    y[3] = x[1] - x[2] + 8 * (x[3] - x[4]) + x[5];
}

/// The inverse of wino_block (no border): out[l·planeStride + y·w + x] = pad[(y·pw + x)·LODE_W + l]
/// for l < lanes, y < h, x < w. Runs of LODE_W pixels in plane order go through the in-register
/// transpose and are stored whole.
static void LODE_NAME(wino_unblock)(const float *pad, long pw, long h, long w, long lanes, float *out, long planeStride) {
    long total = h * w, y = 0, col = 0;
    for (long q0 = 0; q0 < total; q0 += LODE_W) {
        VF r[LODE_W];
        long run = total - q0 < LODE_W ? total - q0 : LODE_W;
        for (long i = 0; i < run; i++) {
            memcpy(&r[i], pad + (y * pw + col) * LODE_W, sizeof(VF));
            if (++col == w) {
                col = 0;
                y++;
            }
        }
        if (run == LODE_W) {
            wino_transpose(r);
            for (long l = 0; l < lanes; l++) memcpy(out + l * planeStride + q0, &r[l], sizeof(VF));
        } else {
            for (long l = 0; l < lanes; l++) {
                for (long i = 0; i < run; i++) out[l * planeStride + q0 + i] = r[i][l];
            }
        }
    }
}

/// Y = Aᵀ·M·A + bias per tile (then ReLU when `relu`) with the output channels in the vector lanes, from
/// mm[ξ·positionStride + column·channels + channel] (column s·tiles + tile, as the input
/// transform's V) into out [count, channels, h, w]: for each sample and block of LODE_W channels
/// the tiles' m×m outputs go pixel-major into pad, which is then transposed into the planes.
static inline __attribute__((always_inline)) void LODE_NAME(wino_output_channels)(
    int m, const float *mm, long channels, long count, long h, long w, const float *bias, float *out,
    long positionStride, float *pad, int relu, WinoLine line) {
    long tilesHigh = (h + m - 1) / m, tilesWide = (w + m - 1) / m, tiles = tilesHigh * tilesWide;
    long pw = m * tilesWide, n = m + 2;
    for (long s = 0; s < count; s++) {
        for (long o0 = 0; o0 < channels; o0 += LODE_W) {
            long lanes = channels - o0 < LODE_W ? channels - o0 : LODE_W;
            VF b = bias ? wino_load(bias + o0, lanes) : splatf(0);
            for (long ty = 0; ty < tilesHigh; ty++) {
                for (long tx = 0; tx < tilesWide; tx++) {
                    const float *q = mm + (s * tiles + ty * tilesWide + tx) * channels + o0;
                    float *block = pad + (m * ty * pw + m * tx) * LODE_W;
                    if (relu) {
                        wino_separable(q, n * positionStride, positionStride, lanes, block, pw * LODE_W, LODE_W, LODE_W, n,
                                       m, line, WINO_BIAS_RELU, b);
                    } else {
                        wino_separable(q, n * positionStride, positionStride, lanes, block, pw * LODE_W, LODE_W, LODE_W, n,
                                       m, line, WINO_BIAS, b);
                    }
                }
            }
            LODE_NAME(wino_unblock)(pad, pw, h, w, lanes, out + (s * channels + o0) * h * w, h * w);
        }
    }
}

void LODE_NAME(lode_winograd2_output)(const float *mm, long channels, long count, long h, long w, const float *bias,
                                      float *out, long positionStride, float *pad, int relu) {
    LODE_NAME(wino_output_channels)(2, mm, channels, count, h, w, bias, out, positionStride, pad, relu, wino_output2_line);
}

void LODE_NAME(lode_winograd4_output)(const float *mm, long channels, long count, long h, long w, const float *bias,
                                      float *out, long positionStride, float *pad, int relu) {
    LODE_NAME(wino_output_channels)(4, mm, channels, count, h, w, bias, out, positionStride, pad, relu, wino_output4_line);
}

static inline __attribute__((always_inline)) void LODE_NAME(wino_gradient2_tile)(const float *base, long rowStride, float *q,
                                                                              long positionStride, long lanes) {
    wino_separable_tile(base, rowStride, q, positionStride, lanes, 2, 4, wino_gradient2_line);
}

static inline __attribute__((always_inline)) void LODE_NAME(wino_gradient4_tile)(const float *base, long rowStride, float *q,
                                                                              long positionStride, long lanes) {
    wino_separable_tile(base, rowStride, q, positionStride, lanes, 4, 6, wino_gradient4_line);
}

/// F(2×2) dM = A·dY·Aᵀ per tile with the output channels in the vector lanes, laid out as the
/// input transform's V: dm[ξ·positionStride + column·channels + channel].
void LODE_NAME(lode_winograd2_output_gradient)(const float *gy, long channels, long count, long h, long w, float *dm,
                                               long positionStride, float *pad) {
    LODE_NAME(wino_each_tile)(gy, channels, count, h, w, 2, 0, dm, positionStride, pad, LODE_NAME(wino_gradient2_tile));
}

/// F(4×4) dM = A·dY·Aᵀ per tile (4×4 blocks of dY become 6×6), laid out as
/// lode_winograd2_output_gradient's.
void LODE_NAME(lode_winograd4_output_gradient)(const float *gy, long channels, long count, long h, long w, float *dm,
                                               long positionStride, float *pad) {
    LODE_NAME(wino_each_tile)(gy, channels, count, h, w, 4, 0, dm, positionStride, pad, LODE_NAME(wino_gradient4_tile));
}

// The products of both passes, read as the transforms lay them out (one tile's values for all
// channels contiguous), so no packing copy is made: the forward pass's M[ξ] = V[ξ]·U[ξ] (tiles ×
// input channels times input × output channels) and the weight gradient's dU[ξ] = dM[ξ]ᵀ·V[ξ]. A
// register block of WINO_GP_ROWS rows × WINO_GP_VECTORS vectors of columns runs down the whole
// depth, each entry summed in order of depth with a fused multiply-add on every path (the
// portable path's is the correctly rounded library one), so every path gives the same floats.
#if LODE_W == 16
#define WINO_GP_ROWS 6
#define WINO_GP_VECTORS 4
#else
#define WINO_GP_ROWS 3
#define WINO_GP_VECTORS 3
#endif

/// One block: out[i·ldo + j] = Σ_p a[i·aRow + p·aDepth]·b[p·ldb + j] for i < rows, j < valid (rows ≤
/// WINO_GP_ROWS; rows past `rows` repeat the last valid one and are not stored, so a is never
/// read outside its rows). `full`: valid covers every vector (constant after inlining, as are
/// the strides of a that are 1).
static inline __attribute__((always_inline)) void LODE_NAME(wino_gp_block)(const float *a, long aRow, long aDepth,
                                                                          const float *b, long ldb, long depth, float *out,
                                                                          long ldo, long rows, long valid, int full,
                                                                          int resume) {
    VF acc[WINO_GP_ROWS][WINO_GP_VECTORS];
    for (int i = 0; i < WINO_GP_ROWS; i++) {
        for (int j = 0; j < WINO_GP_VECTORS; j++) {
            if (!resume || i >= rows) {
                acc[i][j] = splatf(0);
            } else if (full) {
                memcpy(&acc[i][j], out + i * ldo + j * LODE_W, sizeof(VF));
            } else {
                acc[i][j] = wino_load(out + i * ldo + j * LODE_W, valid - j * LODE_W);
            }
        }
    }
    const float *row[WINO_GP_ROWS];
    for (int i = 0; i < WINO_GP_ROWS; i++) row[i] = a + (i < rows ? i : rows - 1) * aRow;
    for (long p = 0; p < depth; p++) {
        const float *bp = b + p * ldb;
        VF bv[WINO_GP_VECTORS];
        for (int j = 0; j < WINO_GP_VECTORS; j++) {
            if (full) {
                memcpy(&bv[j], bp + j * LODE_W, sizeof(VF));
            } else {
                bv[j] = wino_load(bp + j * LODE_W, valid - j * LODE_W);
            }
        }
        for (int i = 0; i < WINO_GP_ROWS; i++) {
            VF av = splat_load(row[i] + p * aDepth);
            for (int j = 0; j < WINO_GP_VECTORS; j++) acc[i][j] = __builtin_elementwise_fma(av, bv[j], acc[i][j]);
        }
    }
    for (int i = 0; i < WINO_GP_ROWS && i < rows; i++) {
        for (int j = 0; j < WINO_GP_VECTORS; j++) {
            if (full) {
                memcpy(out + i * ldo + j * LODE_W, &acc[i][j], sizeof(VF));
            } else {
                wino_store(out + i * ldo + j * LODE_W, acc[i][j], valid - j * LODE_W);
            }
        }
    }
}

/// Depth per pass over a block of columns: b's block (WINO_DEPTH_BLOCK × the block's columns,
/// 16 KB on AVX-512) then stays in the first-level cache while every row block passes over it.
/// The sums carry on in `out` from one pass to the next in the same order, so the floats are
/// those of one pass over the whole depth.
#define WINO_DEPTH_BLOCK 64

/// out[i·ldo + j] = Σ_p a[i·aRow + p·aDepth]·b[p·ldb + j]: column blocks outermost, then depth
/// blocks, then row blocks.
static inline __attribute__((always_inline)) void LODE_NAME(wino_products)(const float *a, long aRow, long aDepth,
                                                                          const float *b, long ldb, long rows, long columns,
                                                                          long depth, float *out, long ldo) {
    const long width = WINO_GP_VECTORS * LODE_W;
    for (long j0 = 0; j0 < columns; j0 += width) {
        long valid = columns - j0;
        for (long p0 = 0; p0 < depth || p0 == 0; p0 += WINO_DEPTH_BLOCK) {
            long span = depth - p0 < WINO_DEPTH_BLOCK ? depth - p0 : WINO_DEPTH_BLOCK;
            const float *ap = a + p0 * aDepth, *bp = b + p0 * ldb + j0;
            for (long i0 = 0; i0 < rows; i0 += WINO_GP_ROWS) {
                long n = rows - i0 < WINO_GP_ROWS ? rows - i0 : WINO_GP_ROWS;
                if (valid >= width) {
                    LODE_NAME(wino_gp_block)(ap + i0 * aRow, aRow, aDepth, bp, ldb, span, out + i0 * ldo + j0, ldo, n,
                                             width, 1, p0 > 0);
                } else {
                    LODE_NAME(wino_gp_block)(ap + i0 * aRow, aRow, aDepth, bp, ldb, span, out + i0 * ldo + j0, ldo, n,
                                             valid, 0, p0 > 0);
                }
            }
        }
    }
}

void LODE_NAME(lode_winograd_gradient_product)(const float *a, long lda, const float *b, long ldb, long rows, long columns,
                                               long depth, float *out, long ldo) {
    LODE_NAME(wino_products)(a, 1, lda, b, ldb, rows, columns, depth, out, ldo);
}

void LODE_NAME(lode_winograd_product)(const float *a, long lda, const float *b, long ldb, long rows, long columns,
                                      long depth, float *out, long ldo) {
    LODE_NAME(wino_products)(a, lda, 1, b, ldb, rows, columns, depth, out, ldo);
}

// The kernel transforms, 3×3 kernels of LODE_W channel pairs in the vector lanes: U = G·g·Gᵀ
// (down the kernel's columns, then along its rows) and its adjoint dg = Gᵀ·dU·G (along dU's
// rows, then down its columns), with the expressions and order of the transforms as first
// written, so the floats are those.
typedef void (*WinoKernelLine)(VF a, VF b, VF d, VF *y);
typedef void (*WinoAdjointLine)(const VF *x, VF *y);

/// G of F(2×2): 3 values into 4.
static inline __attribute__((always_inline)) void wino_kernel2_line(VF a, VF b, VF d, VF *y) {
    y[0] = a;
    y[1] = 0.5f * (a + b + d);
    y[2] = 0.5f * (a - b + d);
    y[3] = d;
}

/// G of F(4×4): 3 values into 6.
static inline __attribute__((always_inline)) void wino_kernel4_line(VF a, VF b, VF d, VF *y) {
    const float quarter = 0.25f, sixth = 1.0f / 6.0f, twelfth = 1.0f / 12.0f, twentyFourth = 1.0f / 24.0f;
    y[0] = a * quarter;
    y[1] = -(a + b + d) * sixth;
    y[2] = -(a - b + d) * sixth;
    y[3] = a * twentyFourth + b * twelfth + d * sixth;
    y[4] = a * twentyFourth - b * twelfth + d * sixth;
    y[5] = d;
}

/// Gᵀ of F(2×2): 4 values into 3.
static inline __attribute__((always_inline)) void wino_adjoint2_line(const VF *x, VF *y) {
    VF half = 0.5f * (x[1] + x[2]);
    y[0] = x[0] + half;
    y[1] = 0.5f * (x[1] - x[2]);
    y[2] = half + x[3];
}

/// Gᵀ of F(4×4): 6 values into 3.
static inline __attribute__((always_inline)) void wino_adjoint4_line(const VF *x, VF *y) {
    const float quarter = 0.25f, sixth = 1.0f / 6.0f, twelfth = 1.0f / 12.0f, twentyFourth = 1.0f / 24.0f;
    VF s12 = x[1] + x[2], s34 = x[3] + x[4];
    y[0] = x[0] * quarter - s12 * sixth + s34 * twentyFourth;
    y[1] = (x[2] - x[1]) * sixth + (x[3] - x[4]) * twelfth;
    y[2] = (s34 - s12) * sixth + x[5];
}

/// U[ξ] rows r0..<r1: u[ξ·positionStride + r·lanesTotal + l] = (G·k·Gᵀ)[ξ] for the kernel k at
/// g + (r·rowStride + l·laneStride)·9, 180° rotated when `flip` (constant after inlining).
/// LODE_W kernels (consecutive l) are loaded as rows and transposed, so their 9 values each fill
/// a vector; each position's result is one store, and each row of U[ξ] is written from start to
/// end before the next (whole runs of memory, where U exceeds the caches).
static inline __attribute__((always_inline)) void LODE_NAME(wino_kernel)(int n, const float *g, long rowStride,
                                                                        long lanesTotal, long laneStride, long r0, long r1,
                                                                        long total, float *u, long positionStride,
                                                                        int flip, WinoKernelLine line) {
    for (long r = r0; r < r1; r++) {
        for (long ob = 0; ob < lanesTotal; ob += LODE_W) {
            long lanes = lanesTotal - ob < LODE_W ? lanesTotal - ob : LODE_W;
            VF k[9];
            for (long j0 = 0; j0 < 9; j0 += LODE_W) {
                VF t[LODE_W];
                for (long l = 0; l < LODE_W; l++) {
                    long at = (r * rowStride + (ob + (l < lanes ? l : 0)) * laneStride) * 9 + j0;
                    t[l] = wino_load(g + at, total - at);
                }
                wino_transpose(t);
                for (long j = 0; j < LODE_W && j0 + j < 9; j++) k[j0 + j] = t[j];
            }
            if (flip) {
                for (int j = 0; j < 4; j++) {
                    VF swap = k[j];
                    k[j] = k[8 - j];
                    k[8 - j] = swap;
                }
            }
            VF t[6][3];
            for (int b = 0; b < 3; b++) {
                VF y[6];
                line(k[b], k[3 + b], k[6 + b], y);
                for (int i = 0; i < n; i++) t[i][b] = y[i];
            }
            float *q = u + r * lanesTotal + ob;
            for (int i = 0; i < n; i++) {
                VF y[6];
                line(t[i][0], t[i][1], t[i][2], y);
                for (int j = 0; j < n; j++) wino_store(q + (i * n + j) * positionStride, y[j], lanes);
            }
        }
    }
}

/// U for g [o, c, 3, 3] (rows: input channels ci0..<ci1; lanes: output channels), or with `flip`
/// for the input gradient's full convolution, whose kernel is g's transposed and rotated: rows
/// are g's output channels ci0..<ci1 (< o) and the lanes its input channels, read contiguously.
static inline __attribute__((always_inline)) void LODE_NAME(wino_kernel_of)(int n, const float *g, long o, long c, long ci0,
                                                                           long ci1, float *u, long positionStride,
                                                                           int flip, WinoKernelLine line) {
    if (flip) {
        LODE_NAME(wino_kernel)(n, g, c, c, 1, ci0, ci1, o * c * 9, u, positionStride, 1, line);
    } else {
        LODE_NAME(wino_kernel)(n, g, 1, o, c, ci0, ci1, o * c * 9, u, positionStride, 0, line);
    }
}

void LODE_NAME(lode_winograd2_kernel)(const float *g, long o, long c, long ci0, long ci1, float *u, long positionStride,
                                      int flip) {
    LODE_NAME(wino_kernel_of)(4, g, o, c, ci0, ci1, u, positionStride, flip, wino_kernel2_line);
}

void LODE_NAME(lode_winograd4_kernel)(const float *g, long o, long c, long ci0, long ci1, float *u, long positionStride,
                                      int flip) {
    LODE_NAME(wino_kernel_of)(6, g, o, c, ci0, ci1, u, positionStride, flip, wino_kernel4_line);
}

/// dg[pair·9 + j] for pairs pair0..<pair1 from du[ξ·positionStride + pair] (pair oc·C + ci):
/// LODE_W consecutive pairs in the lanes, their 9 results transposed so each pair's 9 floats
/// are one store (each store's spare lanes overwritten by the next pair's; the block's last
/// pair stores its 9 only, so no store crosses pair1).
static inline __attribute__((always_inline)) void LODE_NAME(wino_kernel_gradient)(int n, const float *du,
                                                                                 long positionStride, long pair0,
                                                                                 long pair1, float *dg,
                                                                                 WinoAdjointLine line) {
    for (long p0 = pair0; p0 < pair1; p0 += LODE_W) {
        long lanes = pair1 - p0 < LODE_W ? pair1 - p0 : LODE_W;
        VF q[6][3];
        for (int i = 0; i < n; i++) {
            VF x[6];
            for (int j = 0; j < n; j++) x[j] = wino_load(du + (i * n + j) * positionStride + p0, lanes);
            line(x, q[i]);
        }
        VF k[9];
        for (int j = 0; j < 3; j++) {
            VF x[6], y[3];
            for (int i = 0; i < n; i++) x[i] = q[i][j];
            line(x, y);
            for (int i = 0; i < 3; i++) k[i * 3 + j] = y[i];
        }
        for (long j0 = 0; j0 < 9; j0 += LODE_W) {
            VF r[LODE_W];
            for (long j = 0; j < LODE_W; j++) r[j] = j0 + j < 9 ? k[j0 + j] : splatf(0);
            wino_transpose(r);
            long width = 9 - j0 < LODE_W ? 9 - j0 : LODE_W;
            for (long l = 0; l < lanes; l++) {
                // A whole vector when one block holds all 9 and it only spills into the next
                // pair's 9 floats (written after it).
                long valid = j0 == 0 && width < LODE_W && l + 1 < lanes ? LODE_W : width;
                wino_store(dg + (p0 + l) * 9 + j0, r[l], valid);
            }
        }
    }
}

void LODE_NAME(lode_winograd2_kernel_gradient)(const float *du, long positionStride, long pair0, long pair1, float *dg) {
    LODE_NAME(wino_kernel_gradient)(4, du, positionStride, pair0, pair1, dg, wino_adjoint2_line);
}

void LODE_NAME(lode_winograd4_kernel_gradient)(const float *du, long positionStride, long pair0, long pair1, float *dg) {
    LODE_NAME(wino_kernel_gradient)(6, du, positionStride, pair0, pair1, dg, wino_adjoint4_line);
}
