// Winograd tile transforms for one channel of `count` samples (planes h×w, planeStride floats
// apart), on the path lode_cpu_path() names. Columns are sample·tiles + tile (tiles of m×m
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

/// V[ξ] = Bᵀ·d·B for the input tiles d of x (zero outside the plane): v[ξ·rowStride + column].
void lode_winograd_input(int m, const float *x, long planeStride, long count, long h, long w, float *v, long rowStride,
                         float *scratch);
/// out = Aᵀ·M·A + bias per tile, from m[ξ·rowStride + column], leaving out what falls outside.
void lode_winograd_output(int m, const float *mm, long rowStride, long count, long h, long w, float bias, float *out,
                          long planeStride, float *scratch);
/// F(2×2) only: dM[ξ] = A·dY·Aᵀ per tile of dY (the adjoint of the output transform, for the
/// weight gradient): dm[ξ·rowStride + column].
void lode_winograd2_output_gradient(const float *gy, long planeStride, long count, long h, long w, float *dm, long rowStride,
                                    float *scratch);

#endif
