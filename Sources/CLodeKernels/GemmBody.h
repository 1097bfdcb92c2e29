// Single-precision GEMM with a packed B, compiled per path (included after KernelBody.h, which
// defines VF, LODE_W and LODE_NAME): C = alpha·op(A)·op(B) + beta·C, row-major, on the calling
// thread.
//
// Why Lode has its own: where OpenBLAS is held to its AVX2 kernels on a CPU whose AVX-512 units
// are full width (OPENBLAS_CORETYPE=Haswell, as an OpenBLAS older than the CPU needs), they reach
// half the machine's multiply-add peak; this one reaches most of it. op(B) is cut into
// GEMM_KC × GEMM_NC blocks packed as micro-panels of GEMM_NR columns (one panel stays in the
// first-level cache while the rows of A pass over it); a register tile of GEMM_MR × GEMM_NR sums
// runs down GEMM_KC of depth at a time, reading op(A) in place, one broadcast load per entry
// (packing A cost more than it saved: a scalar transpose, for products as shallow as
// Winograd's and the ViT's).
//
// Each entry of C is summed in order of depth, one GEMM_KC block after the other, with fused
// multiply-adds: how a caller splits C among threads does not change a single float, and the
// AVX2 and AVX-512 paths give the same floats.
#include "GemmKernels.h"

#if LODE_W == 16
#define GEMM_MR 12
#define GEMM_NV 2
#else
#define GEMM_MR 6
#define GEMM_NV 2
#endif
#define GEMM_NR (GEMM_NV * LODE_W)
// Fused where the CPU has it; the portable path multiplies and adds (a library fmaf per lane
// would be ten times slower), so its floats differ from the AVX paths' in the last bits.
#ifdef LODE_FMA
#define GEMM_MULTIPLY_ADD(a, b, c) __builtin_elementwise_fma(a, b, c)
#else
#define GEMM_MULTIPLY_ADD(a, b, c) ((c) + (a) * (b))
#endif
#define GEMM_KC 256
#define GEMM_MC (GEMM_MR * 16)
#define GEMM_NC (GEMM_NR * 32)

/// Packs depth p0..<p0+depth, columns j0..<j0+columns of op(B) as micro-panels of GEMM_NR
/// columns, each depth-major (GEMM_NR floats per step of depth), columns past the end zero.
static void LODE_NAME(gemm_pack_b)(int transB, const float *b, long ldb, long p0, long depth, long j0, long columns,
                                   float *out) {
    for (long c = 0; c < columns; c += GEMM_NR) {
        long valid = columns - c < GEMM_NR ? columns - c : GEMM_NR;
        float *panel = out + c * depth;
        if (!transB) {
            for (long p = 0; p < depth; p++) {
                const float *src = b + (p0 + p) * ldb + j0 + c;
                float *dst = panel + p * GEMM_NR;
                if (valid == GEMM_NR) {
                    memcpy(dst, src, GEMM_NR * sizeof(float));
                } else {
                    long j = 0;
                    for (; j < valid; j++) dst[j] = src[j];
                    for (; j < GEMM_NR; j++) dst[j] = 0;
                }
            }
        } else {
            // op(B)[p, j] = b[j·ldb + p]: read along b's rows, write down the panel.
            for (long j = 0; j < valid; j++) {
                const float *src = b + (j0 + c + j) * ldb + p0;
                for (long p = 0; p < depth; p++) panel[p * GEMM_NR + j] = src[p];
            }
            for (long j = valid; j < GEMM_NR; j++) {
                for (long p = 0; p < depth; p++) panel[p * GEMM_NR + j] = 0;
            }
        }
    }
}

/// The register tile: acc[i][j] = Σ_p A(i, p)·b[p·NR + j] over `depth` steps, A(i, p) =
/// a[i·aRow + p·aDepth] read in place (one broadcast load each; rows past `rows` repeat the last
/// row) and b a packed panel, then for the whole GEMM_MR × GEMM_NR tile C = alpha·acc + beta·C
/// (first depth block; beta 0 never reads C) or C += alpha·acc.
static inline __attribute__((always_inline)) void LODE_NAME(gemm_tile)(long depth, const float *a, long aRow,
                                                                      long aDepth, long rows, const float *b, float *c,
                                                                      long ldc, float alpha, float beta, int first) {
    VF acc[GEMM_MR][GEMM_NV];
    const float *row[GEMM_MR];
#pragma clang loop unroll(full)
    for (int i = 0; i < GEMM_MR; i++) {
        row[i] = a + (i < rows ? i : rows - 1) * aRow;
#pragma clang loop unroll(full)
        for (int j = 0; j < GEMM_NV; j++) acc[i][j] = splatf(0);
    }
#pragma clang loop unroll(disable)
    for (long p = 0; p < depth; p++) {
        VF bv[GEMM_NV];
#pragma clang loop unroll(full)
        for (int j = 0; j < GEMM_NV; j++) memcpy(&bv[j], b + p * GEMM_NR + j * LODE_W, sizeof(VF));
#pragma clang loop unroll(full)
        for (int i = 0; i < GEMM_MR; i++) {
            VF av = splat_load(row[i] + p * aDepth);
#pragma clang loop unroll(full)
            for (int j = 0; j < GEMM_NV; j++) acc[i][j] = GEMM_MULTIPLY_ADD(av, bv[j], acc[i][j]);
        }
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < GEMM_MR; i++) {
#pragma clang loop unroll(full)
        for (int j = 0; j < GEMM_NV; j++) {
            float *cp = c + i * ldc + j * LODE_W;
            VF r = acc[i][j] * alpha, old;
            if (!first || beta != 0) {
                memcpy(&old, cp, sizeof(VF));
                r = first ? r + old * beta : r + old;
            }
            memcpy(cp, &r, sizeof(VF));
        }
    }
}

/// The tile with A's rows contiguous in depth (op(A) = A) and with A's columns so (op(A) = Aᵀ):
/// one function each, so each keeps its sums in registers.
static __attribute__((noinline)) void LODE_NAME(gemm_tile_by_rows)(long depth, const float *a, long lda, long rows,
                                                                    const float *b, float *c, long ldc, float alpha,
                                                                    float beta, int first) {
    LODE_NAME(gemm_tile)(depth, a, lda, 1, rows, b, c, ldc, alpha, beta, first);
}

static __attribute__((noinline)) void LODE_NAME(gemm_tile_by_columns)(long depth, const float *a, long lda, long rows,
                                                                       const float *b, float *c, long ldc, float alpha,
                                                                       float beta, int first) {
    LODE_NAME(gemm_tile)(depth, a, 1, lda, rows, b, c, ldc, alpha, beta, first);
}

/// One tile of C at (a, c): whole, or, where C's edge cuts it, the whole tile of sums into a
/// scratch tile (alpha 1: the sums themselves) and its `rows` × `columns` entries into C as the
/// whole tile would have written them.
static inline __attribute__((always_inline)) void LODE_NAME(gemm_place_tile)(int transA, long depth, const float *a,
                                                                            long lda, const float *b, float *c,
                                                                            long ldc, long rows, long columns,
                                                                            float alpha, float beta, int first) {
    void (*tile)(long, const float *, long, long, const float *, float *, long, float, float, int) =
        transA ? LODE_NAME(gemm_tile_by_columns) : LODE_NAME(gemm_tile_by_rows);
    if (rows == GEMM_MR && columns == GEMM_NR) {
        tile(depth, a, lda, rows, b, c, ldc, alpha, beta, first);
        return;
    }
    float sums[GEMM_MR * GEMM_NR] __attribute__((aligned(64)));
    tile(depth, a, lda, rows, b, sums, GEMM_NR, 1, 0, 1);
    for (long i = 0; i < rows; i++) {
        for (long j = 0; j < columns; j++) {
            float r = sums[i * GEMM_NR + j] * alpha;
            float *cp = c + i * ldc + j;
            if (!first) r = r + *cp;
            else if (beta != 0) r = r + *cp * beta;
            *cp = r;
        }
    }
}

/// Returns 0, or -1 when the packing buffers could not be had (C untouched).
int LODE_NAME(lode_sgemm)(int transA, int transB, long m, long n, long k, float alpha, const float *a, long lda,
                          const float *b, long ldb, float beta, float *c, long ldc) {
    if (m <= 0 || n <= 0) return 0;
    if (k <= 0) {
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j];
        return 0;
    }
    const long ncMax = ((n < GEMM_NC ? n : GEMM_NC) + GEMM_NR - 1) / GEMM_NR * GEMM_NR;
    float *packedB = lode_gemm_scratch(ncMax * (k < GEMM_KC ? k : GEMM_KC));
    if (!packedB) return -1;
    for (long j0 = 0; j0 < n; j0 += GEMM_NC) {
        long nc = n - j0 < GEMM_NC ? n - j0 : GEMM_NC;
        for (long p0 = 0; p0 < k; p0 += GEMM_KC) {
            long kc = k - p0 < GEMM_KC ? k - p0 : GEMM_KC;
            int first = p0 == 0;
            LODE_NAME(gemm_pack_b)(transB, b, ldb, p0, kc, j0, nc, packedB);
            for (long i0 = 0; i0 < m; i0 += GEMM_MC) {
                long mc = m - i0 < GEMM_MC ? m - i0 : GEMM_MC;
                for (long jr = 0; jr < nc; jr += GEMM_NR) {
                    long columns = nc - jr < GEMM_NR ? nc - jr : GEMM_NR;
                    const float *bp = packedB + jr * kc;
                    for (long ir = 0; ir < mc; ir += GEMM_MR) {
                        long rows = mc - ir < GEMM_MR ? mc - ir : GEMM_MR;
                        float *cp = c + (i0 + ir) * ldc + j0 + jr;
                        const float *ap = transA ? a + p0 * lda + i0 + ir : a + (i0 + ir) * lda + p0;
                        LODE_NAME(gemm_place_tile)(transA, kc, ap, lda, bp, cp, ldc, rows, columns, alpha, beta,
                                                   first);
                    }
                }
            }
        }
    }
    return 0;
}

long LODE_NAME(lode_sgemm_tile_rows)(void) { return GEMM_MR; }
long LODE_NAME(lode_sgemm_tile_columns)(void) { return GEMM_NR; }

#undef GEMM_MR
#undef GEMM_NV
#undef GEMM_NR
#undef GEMM_KC
#undef GEMM_MC
#undef GEMM_NC
#undef GEMM_MULTIPLY_ADD
