// Packed single-precision GEMM, compiled per path (included after KernelBody.h, which defines
// VF, LODE_W and LODE_NAME): C = alpha·op(A)·op(B) + beta·C, row-major, on the calling thread.
//
// Why Lode has its own: where OpenBLAS is held to its AVX2 kernels on a CPU whose AVX-512 units
// are full width (OPENBLAS_CORETYPE=Haswell, as an OpenBLAS older than the CPU needs), they reach
// half the machine's multiply-add peak; this one reaches most of it. The layout is the usual
// one of packed GEMMs: op(B) cut into GEMM_KC × GEMM_NC blocks packed as micro-panels of
// GEMM_NR columns (one panel stays in the first-level cache), op(A) into GEMM_MC × GEMM_KC blocks
// packed as micro-panels of GEMM_MR rows (the block stays in the second-level cache), and a
// register tile of GEMM_MR × GEMM_NR sums run down GEMM_KC of depth at a time.
//
// Each entry of C is summed in order of depth, one GEMM_KC block after the other, with fused
// multiply-adds: how a caller splits C among threads does not change a single float, and the
// AVX2 and AVX-512 paths give the same floats.
#include "GemmKernels.h"

#if LODE_W == 16
#define GEMM_MR 14
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
#define GEMM_NC (GEMM_NR * 64)

/// Packs rows i0..<i0+rows, depth p0..<p0+depth of op(A) as micro-panels of GEMM_MR rows, each
/// depth-major (GEMM_MR floats per step of depth), rows past the end zero.
static void LODE_NAME(gemm_pack_a)(int transA, const float *a, long lda, long i0, long rows, long p0, long depth,
                                   float *out) {
    for (long r = 0; r < rows; r += GEMM_MR) {
        long valid = rows - r < GEMM_MR ? rows - r : GEMM_MR;
        float *panel = out + r * depth;
        if (transA) {
            // op(A)[i, p] = a[p·lda + i]: each step of depth reads GEMM_MR contiguous floats.
            for (long p = 0; p < depth; p++) {
                const float *src = a + (p0 + p) * lda + i0 + r;
                float *dst = panel + p * GEMM_MR;
                long i = 0;
                for (; i < valid; i++) dst[i] = src[i];
                for (; i < GEMM_MR; i++) dst[i] = 0;
            }
        } else {
            for (long i = 0; i < valid; i++) {
                const float *src = a + (i0 + r + i) * lda + p0;
                for (long p = 0; p < depth; p++) panel[p * GEMM_MR + i] = src[p];
            }
            for (long i = valid; i < GEMM_MR; i++) {
                for (long p = 0; p < depth; p++) panel[p * GEMM_MR + i] = 0;
            }
        }
    }
}

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

/// The register tile: acc = Σ_p a[p·MR + i]·b[p·NR + j] over `depth` steps of packed panels, then
/// for the whole GEMM_MR × GEMM_NR tile C = alpha·acc + beta·C (first depth block; beta 0 never
/// reads C) or C += alpha·acc.
static inline __attribute__((always_inline)) void LODE_NAME(gemm_tile)(long depth, const float *a, const float *b,
                                                                      float *c, long ldc, float alpha, float beta,
                                                                      int first) {
    VF acc[GEMM_MR][GEMM_NV];
#pragma clang loop unroll(full)
    for (int i = 0; i < GEMM_MR; i++)
#pragma clang loop unroll(full)
        for (int j = 0; j < GEMM_NV; j++) acc[i][j] = splatf(0);
    for (long p = 0; p < depth; p++) {
        VF bv[GEMM_NV];
#pragma clang loop unroll(full)
        for (int j = 0; j < GEMM_NV; j++) memcpy(&bv[j], b + p * GEMM_NR + j * LODE_W, sizeof(VF));
        const float *ap = a + p * GEMM_MR;
#pragma clang loop unroll(full)
        for (int i = 0; i < GEMM_MR; i++) {
            VF av = splat_load(ap + i);
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

/// A tile cut by C's edge: the whole tile into `tile` (alpha 1, so the sums themselves), then
/// its `rows` × `columns` entries into C as gemm_tile would have written them.
static void LODE_NAME(gemm_edge_tile)(long depth, const float *a, const float *b, float *c, long ldc, long rows,
                                      long columns, float alpha, float beta, int first) {
    float tile[GEMM_MR * GEMM_NR] __attribute__((aligned(64)));
    LODE_NAME(gemm_tile)(depth, a, b, tile, GEMM_NR, 1, 0, 1);
    for (long i = 0; i < rows; i++) {
        for (long j = 0; j < columns; j++) {
            float r = tile[i * GEMM_NR + j] * alpha;
            float *cp = c + i * ldc + j;
            if (!first) r = r + *cp;
            else if (beta != 0) r = r + *cp * beta;
            *cp = r;
        }
    }
}

/// The packing buffers of the calling thread, grown on demand and kept (every thread that runs
/// GEMMs keeps about 1.2 MB).
static _Thread_local float *LODE_NAME(gemm_buffer);
static _Thread_local long LODE_NAME(gemm_buffer_floats);

static float *LODE_NAME(gemm_scratch)(long floats) {
    if (LODE_NAME(gemm_buffer_floats) < floats) {
        free(LODE_NAME(gemm_buffer));
        LODE_NAME(gemm_buffer) = aligned_alloc(64, (size_t)((floats * sizeof(float) + 63) / 64 * 64));
        LODE_NAME(gemm_buffer_floats) = LODE_NAME(gemm_buffer) ? floats : 0;
    }
    return LODE_NAME(gemm_buffer);
}

/// Returns 0, or -1 when the packing buffers could not be had (C untouched).
int LODE_NAME(lode_sgemm)(int transA, int transB, long m, long n, long k, float alpha, const float *a, long lda,
                          const float *b, long ldb, float beta, float *c, long ldc) {
    if (m <= 0 || n <= 0) return 0;
    const long ncMax = ((n < GEMM_NC ? n : GEMM_NC) + GEMM_NR - 1) / GEMM_NR * GEMM_NR;
    const long mcMax = ((m < GEMM_MC ? m : GEMM_MC) + GEMM_MR - 1) / GEMM_MR * GEMM_MR;
    const long kcMax = k < GEMM_KC ? (k > 0 ? k : 1) : GEMM_KC;
    float *packedB = LODE_NAME(gemm_scratch)(ncMax * kcMax + mcMax * kcMax);
    if (!packedB) return -1;
    float *packedA = packedB + ncMax * kcMax;
    if (k <= 0) {
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j];
        return 0;
    }
    for (long j0 = 0; j0 < n; j0 += GEMM_NC) {
        long nc = n - j0 < GEMM_NC ? n - j0 : GEMM_NC;
        for (long p0 = 0; p0 < k; p0 += GEMM_KC) {
            long kc = k - p0 < GEMM_KC ? k - p0 : GEMM_KC;
            int first = p0 == 0;
            LODE_NAME(gemm_pack_b)(transB, b, ldb, p0, kc, j0, nc, packedB);
            for (long i0 = 0; i0 < m; i0 += GEMM_MC) {
                long mc = m - i0 < GEMM_MC ? m - i0 : GEMM_MC;
                LODE_NAME(gemm_pack_a)(transA, a, lda, i0, mc, p0, kc, packedA);
                for (long jr = 0; jr < nc; jr += GEMM_NR) {
                    long columns = nc - jr < GEMM_NR ? nc - jr : GEMM_NR;
                    const float *bp = packedB + jr * kc;
                    for (long ir = 0; ir < mc; ir += GEMM_MR) {
                        long rows = mc - ir < GEMM_MR ? mc - ir : GEMM_MR;
                        float *cp = c + (i0 + ir) * ldc + j0 + jr;
                        if (rows == GEMM_MR && columns == GEMM_NR) {
                            LODE_NAME(gemm_tile)(kc, packedA + ir * kc, bp, cp, ldc, alpha, beta, first);
                        } else {
                            LODE_NAME(gemm_edge_tile)(kc, packedA + ir * kc, bp, cp, ldc, rows, columns, alpha, beta,
                                                      first);
                        }
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
