// Winograd tile transforms (F(2×2, 3×3) and F(4×4, 3×3)) and the weight gradient's products,
// compiled once per path after KernelBody.h (same LODE_W, LODE_NAME and no FMA contraction), so
// the results are the same floats on every path: the same operations in the same order, the
// transforms unfused and the products fused explicitly on every path. The input transform and
// the output gradient's put LODE_W channels in the vector lanes (each sample's block of channels
// first copied pixel-major); the output transform puts LODE_W columns (tiles) in them.
#include "WinogradKernels.h"

#define WINO_CHUNK LODE_WINOGRAD_CHUNK

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

/// The tile row a column starts in: sample s, tile row ty, first tile tx0, and how many tiles of
/// that row lie in [c, end).
typedef struct { long s, ty, tx0, run; } WinoRun;
static inline __attribute__((always_inline)) WinoRun wino_run(long c, long end, long tilesWide, long tiles) {
    WinoRun r;
    r.s = c / tiles;
    long k = c % tiles;
    r.ty = k / tilesWide;
    r.tx0 = k % tilesWide;
    r.run = tilesWide - r.tx0 < end - c ? tilesWide - r.tx0 : end - c;
    return r;
}

/// One output row of `run` tiles: dst[M·i + b] = src[b·WINO_CHUNK + i] for the tiles wholly inside
/// (all M members of each store in one loop body, so the compiler interleaves whole vectors with
/// shuffles instead of scattering element by element), then the last tile's columns inside `w`.
#define WINO_SCATTER_ROW(M)                                                                                  \
    static inline __attribute__((always_inline)) void LODE_NAME(wino_scatter_row##M)(                        \
        const float *src, long run, long inside, float *dst) {                                               \
        const float *s0 = src, *s1 = src + WINO_CHUNK, *s2 = src + 2 * WINO_CHUNK, *s3 = src + 3 * WINO_CHUNK; \
        (void)s2; (void)s3;                                                                                  \
        long whole = inside / M < run ? inside / M : run;                                                    \
        for (long i = 0; i < whole; i++) {                                                                   \
            dst[M * i] = s0[i];                                                                              \
            dst[M * i + 1] = s1[i];                                                                          \
            if (M == 4) {                                                                                    \
                dst[M * i + 2] = s2[i];                                                                      \
                dst[M * i + 3] = s3[i];                                                                      \
            }                                                                                                \
        }                                                                                                    \
        for (long i = whole; i < run; i++) {                                                                 \
            for (long b = 0; b < M && M * i + b < inside; b++) dst[M * i + b] = src[b * WINO_CHUNK + i];     \
        }                                                                                                    \
    }
WINO_SCATTER_ROW(2)
WINO_SCATTER_ROW(4)

/// out[m·ty + a][m·tx + b] = y[(a·m + b)·WINO_CHUNK + j] for columns c0 + j, leaving out what falls
/// outside the h×w plane.
static void LODE_NAME(wino_scatter)(int m, const float *y, long h, long w, long tilesWide, long tiles, long c0, long n,
                                    float *out, long planeStride) {
    for (long c = c0; c < c0 + n;) {
        WinoRun r = wino_run(c, c0 + n, tilesWide, tiles);
        float *plane = out + r.s * planeStride;
        long col = c - c0;
        // Output columns of this row from the run's first tile on that lie inside the plane.
        long inside = w - m * r.tx0;
        for (int a = 0; a < m && m * r.ty + a < h; a++) {
            float *dst = plane + (m * r.ty + a) * w + m * r.tx0;
            const float *src = y + a * m * WINO_CHUNK + col;
            if (m == 4) {
                LODE_NAME(wino_scatter_row4)(src, r.run, inside, dst);
            } else {
                LODE_NAME(wino_scatter_row2)(src, r.run, inside, dst);
            }
        }
        c += r.run;
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

/// Stores the valid lanes of v at p (a whole vector when all are valid).
static inline __attribute__((always_inline)) void wino_store_lanes(float *p, VF v, long lanes) { wino_store(p, v, lanes); }

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

/// The row of a tile block at a, column j (LODE_W channels).
static inline __attribute__((always_inline)) VF wino_pixel(const float *base, long rowStride, int a, int j) {
    VF v;
    memcpy(&v, base + a * rowStride + j * LODE_W, sizeof v);
    return v;
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

/// One tile: `line` (n values into k) along each of the n rows of the n×n block at base, then down
/// each of the k columns; position i·k + j written at q + (i·k + j)·positionStride (valid lanes).
static inline __attribute__((always_inline)) void wino_separable_tile(const float *base, long rowStride, float *q,
                                                                      long positionStride, long lanes, int n, int k,
                                                                      WinoLine line) {
    VF r[6][6];
    for (int a = 0; a < n; a++) {
        VF x[6];
        for (int j = 0; j < n; j++) x[j] = wino_pixel(base, rowStride, a, j);
        line(x, r[a]);
    }
    for (int j = 0; j < k; j++) {
        VF x[6], y[6];
        for (int a = 0; a < n; a++) x[a] = r[a][j];
        line(x, y);
        for (int i = 0; i < k; i++) wino_store_lanes(q + (i * k + j) * positionStride, y[i], lanes);
    }
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

/// Output transform of LODE_W columns (tiles) starting at q (valid of them; M[ξ] rows rowStride
/// floats apart) into y, m·m rows WINO_CHUNK floats apart, adding bias.
typedef void (*WinoColumnsTransform)(const float *q, long rowStride, long valid, float bias, float *y);

/// F(2×2): M·A (each row of four becomes two), then Aᵀ· down the two columns.
static inline __attribute__((always_inline)) void LODE_NAME(wino_output2_columns)(const float *q, long rowStride, long valid,
                                                                               float bias, float *y) {
    VF t[4][2];
    for (int a = 0; a < 4; a++) {
        VF m0 = wino_load(q + (4 * a) * rowStride, valid), m1 = wino_load(q + (4 * a + 1) * rowStride, valid);
        VF m2 = wino_load(q + (4 * a + 2) * rowStride, valid), m3 = wino_load(q + (4 * a + 3) * rowStride, valid);
        t[a][0] = m0 + m1 + m2;
        t[a][1] = m1 - m2 - m3;
    }
    for (int j = 0; j < 2; j++) {
        memcpy(y + j * WINO_CHUNK, (VF[]){t[0][j] + t[1][j] + t[2][j] + bias}, sizeof(VF));
        memcpy(y + (2 + j) * WINO_CHUNK, (VF[]){t[1][j] - t[2][j] - t[3][j] + bias}, sizeof(VF));
    }
}

/// F(4×4): the same with the 4×6 Aᵀ.
static inline __attribute__((always_inline)) void LODE_NAME(wino_output4_columns)(const float *q, long rowStride, long valid,
                                                                               float bias, float *y) {
    VF t[6][4];
    for (int a = 0; a < 6; a++) {
        VF m0 = wino_load(q + (6 * a) * rowStride, valid), m1 = wino_load(q + (6 * a + 1) * rowStride, valid);
        VF m2 = wino_load(q + (6 * a + 2) * rowStride, valid), m3 = wino_load(q + (6 * a + 3) * rowStride, valid);
        VF m4 = wino_load(q + (6 * a + 4) * rowStride, valid), m5 = wino_load(q + (6 * a + 5) * rowStride, valid);
        t[a][0] = m0 + m1 + m2 + m3 + m4;
        t[a][1] = m1 - m2 + 2 * (m3 - m4);
        t[a][2] = m1 + m2 + 4 * (m3 + m4);
        t[a][3] = m1 - m2 + 8 * (m3 - m4) + m5;
    }
    for (int j = 0; j < 4; j++) {
        VF c0 = t[0][j], c1 = t[1][j], c2 = t[2][j], c3 = t[3][j], c4 = t[4][j], c5 = t[5][j];
        memcpy(y + j * WINO_CHUNK, (VF[]){c0 + c1 + c2 + c3 + c4 + bias}, sizeof(VF));
        memcpy(y + (4 + j) * WINO_CHUNK, (VF[]){c1 - c2 + 2 * (c3 - c4) + bias}, sizeof(VF));
        memcpy(y + (8 + j) * WINO_CHUNK, (VF[]){c1 + c2 + 4 * (c3 + c4) + bias}, sizeof(VF));
        memcpy(y + (12 + j) * WINO_CHUNK, (VF[]){c1 - c2 + 8 * (c3 - c4) + c5 + bias}, sizeof(VF));
    }
}

/// One output channel of `count` samples: columns (tiles) in chunks of WINO_CHUNK, LODE_W at a
/// time in the vector lanes through `columns` into scratch, then scattered into the planes.
static inline __attribute__((always_inline)) void LODE_NAME(wino_output)(int m, const float *mm, long rowStride, long count,
                                                                      long h, long w, float bias, float *out,
                                                                      long planeStride, float *scratch,
                                                                      WinoColumnsTransform columns) {
    long tilesWide = (w + m - 1) / m, tiles = (h + m - 1) / m * tilesWide, total = count * tiles;
    for (long c0 = 0; c0 < total; c0 += WINO_CHUNK) {
        long n = total - c0 < WINO_CHUNK ? total - c0 : WINO_CHUNK;
        for (long i = 0; i < n; i += LODE_W) columns(mm + c0 + i, rowStride, n - i, bias, scratch + i);
        LODE_NAME(wino_scatter)(m, scratch, h, w, tilesWide, tiles, c0, n, out, planeStride);
    }
}

void LODE_NAME(lode_winograd2_output)(const float *mm, long rowStride, long count, long h, long w, float bias, float *out,
                                      long planeStride, float *scratch) {
    LODE_NAME(wino_output)(2, mm, rowStride, count, h, w, bias, out, planeStride, scratch, LODE_NAME(wino_output2_columns));
}

void LODE_NAME(lode_winograd4_output)(const float *mm, long rowStride, long count, long h, long w, float bias, float *out,
                                      long planeStride, float *scratch) {
    LODE_NAME(wino_output)(4, mm, rowStride, count, h, w, bias, out, planeStride, scratch, LODE_NAME(wino_output4_columns));
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

// The weight gradient's products dU[ξ] = dM[ξ]ᵀ·V[ξ], read as the transforms lay them out (one
// tile's values for all channels contiguous), so no packing copy is made: a register block of
// WINO_GP_ROWS output channels × WINO_GP_VECTORS vectors of input channels runs down all the
// columns (tiles), each entry summed in column order with a fused multiply-add on every path
// (the portable path's is the correctly rounded library one), so every path gives the same floats.
#if LODE_W == 16
#define WINO_GP_ROWS 6
#define WINO_GP_VECTORS 4
#else
#define WINO_GP_ROWS 3
#define WINO_GP_VECTORS 3
#endif

/// One block: out[i·ldo + j] = Σ_p a[p·lda + i]·b[p·ldb + j] for i < rows, j < valid (rows ≤
/// WINO_GP_ROWS; rows past `rows` repeat the last valid one and are not stored, so a is never
/// read outside its rows). `full`: valid covers every vector (constant after inlining).
static inline __attribute__((always_inline)) void LODE_NAME(wino_gp_block)(const float *a, long lda, const float *b,
                                                                          long ldb, long depth, float *out, long ldo,
                                                                          long rows, long valid, int full) {
    VF acc[WINO_GP_ROWS][WINO_GP_VECTORS];
    for (int i = 0; i < WINO_GP_ROWS; i++) {
        for (int j = 0; j < WINO_GP_VECTORS; j++) acc[i][j] = splatf(0);
    }
    long row[WINO_GP_ROWS];
    for (int i = 0; i < WINO_GP_ROWS; i++) row[i] = i < rows ? i : rows - 1;
    for (long p = 0; p < depth; p++) {
        const float *ap = a + p * lda, *bp = b + p * ldb;
        VF bv[WINO_GP_VECTORS];
        for (int j = 0; j < WINO_GP_VECTORS; j++) {
            if (full) {
                memcpy(&bv[j], bp + j * LODE_W, sizeof(VF));
            } else {
                bv[j] = wino_load(bp + j * LODE_W, valid - j * LODE_W);
            }
        }
        for (int i = 0; i < WINO_GP_ROWS; i++) {
            VF av = splatf(ap[row[i]]);
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

void LODE_NAME(lode_winograd_gradient_product)(const float *a, long lda, const float *b, long ldb, long rows, long columns,
                                               long depth, float *out, long ldo) {
    const long width = WINO_GP_VECTORS * LODE_W;
    for (long j0 = 0; j0 < columns; j0 += width) {
        long valid = columns - j0;
        for (long i0 = 0; i0 < rows; i0 += WINO_GP_ROWS) {
            long n = rows - i0 < WINO_GP_ROWS ? rows - i0 : WINO_GP_ROWS;
            if (valid >= width) {
                LODE_NAME(wino_gp_block)(a + i0, lda, b + j0, ldb, depth, out + i0 * ldo + j0, ldo, n, width, 1);
            } else {
                LODE_NAME(wino_gp_block)(a + i0, lda, b + j0, ldb, depth, out + i0 * ldo + j0, ldo, n, valid, 0);
            }
        }
    }
}
