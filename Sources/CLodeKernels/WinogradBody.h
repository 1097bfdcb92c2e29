// Winograd tile transforms (F(2×2, 3×3) and F(4×4, 3×3)), compiled once per path after
// KernelBody.h (same LODE_W, LODE_NAME and no FMA contraction). The tiles of a chunk of columns
// (column = sample·tiles + tile) are first gathered into rows, one per tile element, so the
// transforms are vector arithmetic over LODE_W columns at a time; the results are the same
// floats on every path (the same operations in the same order, no fusing).
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

/// d[(a·t + b)·WINO_CHUNK + j] = x[m·ty − 1 + a][m·tx − 1 + b] (zero outside the h×w plane) for the
/// t×t input tile of columns c0 + j, j < n; planes are planeStride apart. row: w + 2t + 8 floats.
static void LODE_NAME(wino_gather)(int m, int t, const float *x, long planeStride, long h, long w, long tilesWide,
                                   long tiles, long c0, long n, float *d, float *row) {
    for (long i = 0; i < w + 2 * t + 8; i++) row[i] = 0;
    for (long c = c0; c < c0 + n;) {
        WinoRun r = wino_run(c, c0 + n, tilesWide, tiles);
        const float *plane = x + r.s * planeStride;
        long col = c - c0;
        for (int a = 0; a < t; a++) {
            long iy = m * r.ty - 1 + a;
            if (iy < 0 || iy >= h) {
                for (int b = 0; b < t; b++) {
                    float *dst = d + (a * t + b) * WINO_CHUNK + col;
                    for (long i = 0; i < r.run; i++) dst[i] = 0;
                }
                continue;
            }
            // The row with one zero on the left; the zeros after it cover the last tile.
            const float *line = plane + iy * w;
            for (long i = 0; i < w; i++) row[1 + i] = line[i];
            for (int b = 0; b < t; b++) {
                float *dst = d + (a * t + b) * WINO_CHUNK + col;
                const float *src = row + m * r.tx0 + b;
                for (long i = 0; i < r.run; i++) dst[i] = src[m * i];
            }
        }
        c += r.run;
    }
}

/// out[m·ty + a][m·tx + b] = y[(a·m + b)·WINO_CHUNK + j] for columns c0 + j, leaving out what falls
/// outside the h×w plane.
static void LODE_NAME(wino_scatter)(int m, const float *y, long h, long w, long tilesWide, long tiles, long c0, long n,
                                    float *out, long planeStride) {
    for (long c = c0; c < c0 + n;) {
        WinoRun r = wino_run(c, c0 + n, tilesWide, tiles);
        float *plane = out + r.s * planeStride;
        long col = c - c0;
        for (int a = 0; a < m && m * r.ty + a < h; a++) {
            float *dst = plane + (m * r.ty + a) * w + m * r.tx0;
            for (int b = 0; b < m; b++) {
                const float *src = y + (a * m + b) * WINO_CHUNK + col;
                long valid = r.run;
                // The last tile of a row may stick out past the right edge.
                while (valid > 0 && m * (r.tx0 + valid - 1) + b >= w) valid--;
                for (long i = 0; i < valid; i++) dst[m * i + b] = src[i];
            }
        }
        c += r.run;
    }
}

void LODE_NAME(lode_winograd2_input)(const float *x, long planeStride, long count, long h, long w, float *v, long rowStride,
                                     float *scratch) {
    long tilesWide = (w + 1) / 2, tiles = (h + 1) / 2 * tilesWide, total = count * tiles;
    float *d = scratch, *row = scratch + 16 * WINO_CHUNK;
    for (long c0 = 0; c0 < total; c0 += WINO_CHUNK) {
        long n = total - c0 < WINO_CHUNK ? total - c0 : WINO_CHUNK;
        LODE_NAME(wino_gather)(2, 4, x, planeStride, h, w, tilesWide, tiles, c0, n, d, row);
        for (long i = 0; i < n; i += LODE_W) {
            VF r[4][4];
            // ·B along each tile row, then Bᵀ· down each column.
            for (int a = 0; a < 4; a++) {
                VF x0 = wino_load(d + (4 * a) * WINO_CHUNK + i, n - i), x1 = wino_load(d + (4 * a + 1) * WINO_CHUNK + i, n - i);
                VF x2 = wino_load(d + (4 * a + 2) * WINO_CHUNK + i, n - i), x3 = wino_load(d + (4 * a + 3) * WINO_CHUNK + i, n - i);
                r[a][0] = x0 - x2;
                r[a][1] = x1 + x2;
                r[a][2] = x2 - x1;
                r[a][3] = x1 - x3;
            }
            float *q = v + c0 + i;
            for (int j = 0; j < 4; j++) {
                wino_store(q + j * rowStride, r[0][j] - r[2][j], n - i);
                wino_store(q + (4 + j) * rowStride, r[1][j] + r[2][j], n - i);
                wino_store(q + (8 + j) * rowStride, r[2][j] - r[1][j], n - i);
                wino_store(q + (12 + j) * rowStride, r[1][j] - r[3][j], n - i);
            }
        }
    }
}

void LODE_NAME(lode_winograd4_input)(const float *x, long planeStride, long count, long h, long w, float *v, long rowStride,
                                     float *scratch) {
    long tilesWide = (w + 3) / 4, tiles = (h + 3) / 4 * tilesWide, total = count * tiles;
    float *d = scratch, *row = scratch + 36 * WINO_CHUNK;
    for (long c0 = 0; c0 < total; c0 += WINO_CHUNK) {
        long n = total - c0 < WINO_CHUNK ? total - c0 : WINO_CHUNK;
        LODE_NAME(wino_gather)(4, 6, x, planeStride, h, w, tilesWide, tiles, c0, n, d, row);
        for (long i = 0; i < n; i += LODE_W) {
            VF r[6][6];
            for (int a = 0; a < 6; a++) {
                VF x0 = wino_load(d + (6 * a) * WINO_CHUNK + i, n - i), x1 = wino_load(d + (6 * a + 1) * WINO_CHUNK + i, n - i);
                VF x2 = wino_load(d + (6 * a + 2) * WINO_CHUNK + i, n - i), x3 = wino_load(d + (6 * a + 3) * WINO_CHUNK + i, n - i);
                VF x4 = wino_load(d + (6 * a + 4) * WINO_CHUNK + i, n - i), x5 = wino_load(d + (6 * a + 5) * WINO_CHUNK + i, n - i);
                r[a][0] = 4 * x0 - 5 * x2 + x4;
                r[a][1] = -4 * (x1 + x2) + x3 + x4;
                r[a][2] = 4 * (x1 - x2) - x3 + x4;
                r[a][3] = -2 * (x1 - x3) - x2 + x4;
                r[a][4] = 2 * (x1 - x3) - x2 + x4;
                r[a][5] = 4 * x1 - 5 * x3 + x5;
            }
            float *q = v + c0 + i;
            for (int j = 0; j < 6; j++) {
                VF p0 = r[0][j], p1 = r[1][j], p2 = r[2][j], p3 = r[3][j], p4 = r[4][j], p5 = r[5][j];
                wino_store(q + j * rowStride, 4 * p0 - 5 * p2 + p4, n - i);
                wino_store(q + (6 + j) * rowStride, -4 * (p1 + p2) + p3 + p4, n - i);
                wino_store(q + (12 + j) * rowStride, 4 * (p1 - p2) - p3 + p4, n - i);
                wino_store(q + (18 + j) * rowStride, -2 * (p1 - p3) - p2 + p4, n - i);
                wino_store(q + (24 + j) * rowStride, 2 * (p1 - p3) - p2 + p4, n - i);
                wino_store(q + (30 + j) * rowStride, 4 * p1 - 5 * p3 + p5, n - i);
            }
        }
    }
}

void LODE_NAME(lode_winograd2_output)(const float *mm, long rowStride, long count, long h, long w, float bias, float *out,
                                      long planeStride, float *scratch) {
    long tilesWide = (w + 1) / 2, tiles = (h + 1) / 2 * tilesWide, total = count * tiles;
    float *y = scratch;
    for (long c0 = 0; c0 < total; c0 += WINO_CHUNK) {
        long n = total - c0 < WINO_CHUNK ? total - c0 : WINO_CHUNK;
        for (long i = 0; i < n; i += LODE_W) {
            const float *q = mm + c0 + i;
            VF t[4][2];
            // M·A: each row of four becomes two; then Aᵀ· down the two columns.
            for (int a = 0; a < 4; a++) {
                VF m0 = wino_load(q + (4 * a) * rowStride, n - i), m1 = wino_load(q + (4 * a + 1) * rowStride, n - i);
                VF m2 = wino_load(q + (4 * a + 2) * rowStride, n - i), m3 = wino_load(q + (4 * a + 3) * rowStride, n - i);
                t[a][0] = m0 + m1 + m2;
                t[a][1] = m1 - m2 - m3;
            }
            for (int j = 0; j < 2; j++) {
                memcpy(y + j * WINO_CHUNK + i, (VF[]){t[0][j] + t[1][j] + t[2][j] + bias}, sizeof(VF));
                memcpy(y + (2 + j) * WINO_CHUNK + i, (VF[]){t[1][j] - t[2][j] - t[3][j] + bias}, sizeof(VF));
            }
        }
        LODE_NAME(wino_scatter)(2, y, h, w, tilesWide, tiles, c0, n, out, planeStride);
    }
}

void LODE_NAME(lode_winograd4_output)(const float *mm, long rowStride, long count, long h, long w, float bias, float *out,
                                      long planeStride, float *scratch) {
    long tilesWide = (w + 3) / 4, tiles = (h + 3) / 4 * tilesWide, total = count * tiles;
    float *y = scratch;
    for (long c0 = 0; c0 < total; c0 += WINO_CHUNK) {
        long n = total - c0 < WINO_CHUNK ? total - c0 : WINO_CHUNK;
        for (long i = 0; i < n; i += LODE_W) {
            const float *q = mm + c0 + i;
            VF t[6][4];
            for (int a = 0; a < 6; a++) {
                VF m0 = wino_load(q + (6 * a) * rowStride, n - i), m1 = wino_load(q + (6 * a + 1) * rowStride, n - i);
                VF m2 = wino_load(q + (6 * a + 2) * rowStride, n - i), m3 = wino_load(q + (6 * a + 3) * rowStride, n - i);
                VF m4 = wino_load(q + (6 * a + 4) * rowStride, n - i), m5 = wino_load(q + (6 * a + 5) * rowStride, n - i);
                t[a][0] = m0 + m1 + m2 + m3 + m4;
                t[a][1] = m1 - m2 + 2 * (m3 - m4);
                t[a][2] = m1 + m2 + 4 * (m3 + m4);
                t[a][3] = m1 - m2 + 8 * (m3 - m4) + m5;
            }
            for (int j = 0; j < 4; j++) {
                VF c0v = t[0][j], c1 = t[1][j], c2 = t[2][j], c3 = t[3][j], c4 = t[4][j], c5 = t[5][j];
                memcpy(y + j * WINO_CHUNK + i, (VF[]){c0v + c1 + c2 + c3 + c4 + bias}, sizeof(VF));
                memcpy(y + (4 + j) * WINO_CHUNK + i, (VF[]){c1 - c2 + 2 * (c3 - c4) + bias}, sizeof(VF));
                memcpy(y + (8 + j) * WINO_CHUNK + i, (VF[]){c1 + c2 + 4 * (c3 + c4) + bias}, sizeof(VF));
                memcpy(y + (12 + j) * WINO_CHUNK + i, (VF[]){c1 - c2 + 8 * (c3 - c4) + c5 + bias}, sizeof(VF));
            }
        }
        LODE_NAME(wino_scatter)(4, y, h, w, tilesWide, tiles, c0, n, out, planeStride);
    }
}

void LODE_NAME(lode_winograd2_output_gradient)(const float *gy, long planeStride, long count, long h, long w, float *dm,
                                               long rowStride, float *scratch) {
    long tilesWide = (w + 1) / 2, tiles = (h + 1) / 2 * tilesWide, total = count * tiles;
    float *g = scratch, *row = scratch + 16 * WINO_CHUNK;
    for (long c0 = 0; c0 < total; c0 += WINO_CHUNK) {
        long n = total - c0 < WINO_CHUNK ? total - c0 : WINO_CHUNK;
        // The 2×2 blocks of dY, as 4×4 tiles shifted by one so the gather's padding lands
        // outside: element (1 + a, 1 + b) of the tile is dY[2ty + a][2tx + b].
        LODE_NAME(wino_gather)(2, 4, gy, planeStride, h, w, tilesWide, tiles, c0, n, g, row);
        for (long i = 0; i < n; i += LODE_W) {
            VF a = wino_load(g + 5 * WINO_CHUNK + i, n - i), b = wino_load(g + 6 * WINO_CHUNK + i, n - i);
            VF e0 = wino_load(g + 9 * WINO_CHUNK + i, n - i), e1 = wino_load(g + 10 * WINO_CHUNK + i, n - i);
            // Column j of dY·Aᵀ from rows 0 and 1, then A·(dY·Aᵀ): r0, r0 + r1, r0 − r1, −r1.
            VF r0[4] = {a, a + b, a - b, -b}, r1[4] = {e0, e0 + e1, e0 - e1, -e1};
            float *q = dm + c0 + i;
            for (int j = 0; j < 4; j++) {
                wino_store(q + j * rowStride, r0[j], n - i);
                wino_store(q + (4 + j) * rowStride, r0[j] + r1[j], n - i);
                wino_store(q + (8 + j) * rowStride, r0[j] - r1[j], n - i);
                wino_store(q + (12 + j) * rowStride, -r1[j], n - i);
            }
        }
    }
}
