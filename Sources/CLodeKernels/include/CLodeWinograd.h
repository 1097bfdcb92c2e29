// Winograd tile transforms on the path lode_cpu_path() names. The output transforms take one
// channel of `count` samples (planes h×w, planeStride floats apart). Columns are sample·tiles + tile (tiles of m×m
// outputs, row-major); a transformed row (one tile position ξ) is rowStride floats after the
// previous one. scratch: lode_winograd_scratch(w) floats. m = 2: F(2×2, 3×3) with 4×4 tiles and
// 16 positions; m = 4: F(4×4, 3×3) with 6×6 tiles and 36 positions (the matrices are written out
// in Sources/LodeTensor/NN/Winograd.swift and WinogradF4.swift).
#ifndef CLODEWINOGRAD_H
#define CLODEWINOGRAD_H

/// Columns per gathered chunk (a multiple of every path's lane count).
#define LODE_WINOGRAD_CHUNK 128

/// Scratch floats the transforms need for planes w wide.
static inline long lode_winograd_scratch(long w) { return 36 * LODE_WINOGRAD_CHUNK + w + 32; }

/// Floats of `pad` lode_winograd_input needs for planes h×w (one block of channels of one sample,
/// zero-bordered, on the widest path).
static inline long lode_winograd_block_scratch(long h, long w) { return (h + 6) * (w + 6) * 16; }

/// V[ξ] = Bᵀ·d·B for the input tiles d of `count` samples of x [count, channels, h, w] (zero
/// outside the plane), with the channels innermost so the transform runs on whole vectors of
/// channels: v[ξ·positionStride + column·channels + channel]. (The GEMMs read V[ξ] as a
/// columns × channels matrix.)
void lode_winograd_input(int m, const float *x, long channels, long count, long h, long w, float *v, long positionStride,
                         float *pad);
/// out = Aᵀ·M·A + bias per tile, from m[ξ·rowStride + column], leaving out what falls outside.
void lode_winograd_output(int m, const float *mm, long rowStride, long count, long h, long w, float bias, float *out,
                          long planeStride, float *scratch);
/// dM[ξ] = A·dY·Aᵀ per tile of dY [count, channels, h, w] (the adjoint of the output transform,
/// for the weight gradient), laid out as lode_winograd_input's V:
/// dm[ξ·positionStride + column·channels + channel].
void lode_winograd_output_gradient(int m, const float *gy, long channels, long count, long h, long w, float *dm,
                                   long positionStride, float *pad);
/// out[i·ldo + j] = Σ_p a[p·lda + i]·b[p·ldb + j] for i < rows, j < columns (out = aᵀ·b, overwritten):
/// the weight gradient's dU[ξ] = dM[ξ]ᵀ·V[ξ] from the transforms' layouts without packing copies,
/// each entry summed in order of p with fused multiply-adds, the same floats on every path.
void lode_winograd_gradient_product(const float *a, long lda, const float *b, long ldb, long rows, long columns, long depth,
                                    float *out, long ldo);

#endif
