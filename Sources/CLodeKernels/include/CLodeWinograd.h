// Winograd tile transforms on the path lode_cpu_path() names. Columns are sample·tiles + tile
// (tiles of m×m outputs, row-major); a transformed matrix (one tile position ξ) is
// positionStride floats after the previous one, with each column's channels contiguous.
// m = 2: F(2×2, 3×3) with 4×4 tiles and 16 positions; m = 4: F(4×4, 3×3) with 6×6 tiles and 36
// positions (the matrices are written out in Sources/LodeTensor/NN/Winograd.swift and
// WinogradF4.swift).
#ifndef CLODEWINOGRAD_H
#define CLODEWINOGRAD_H

/// Floats of `pad` the transforms need for planes h×w (one block of channels of one sample,
/// zero-bordered, on the widest path).
static inline long lode_winograd_block_scratch(long h, long w) { return (h + 6) * (w + 6) * 16; }

/// V[ξ] = Bᵀ·d·B for the input tiles d of `count` samples of x [count, channels, h, w] (zero
/// outside the plane), with the channels innermost so the transform runs on whole vectors of
/// channels: v[ξ·positionStride + column·channels + channel]. (The GEMMs read V[ξ] as a
/// columns × channels matrix.)
void lode_winograd_input(int m, const float *x, long channels, long count, long h, long w, float *v, long positionStride,
                         float *pad);
/// out = Aᵀ·M·A + bias per tile into out [count, channels, h, w] (leaving out what falls outside
/// the planes), from M laid out as V: mm[ξ·positionStride + column·channels + channel]. bias:
/// `channels` floats, or NULL for none. relu: then max(·, 0) (NaN to 0, as Tensor.relu).
void lode_winograd_output(int m, const float *mm, long channels, long count, long h, long w, const float *bias, float *out,
                          long positionStride, float *pad, int relu);
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
/// out[i·ldo + j] = Σ_p a[i·lda + p]·b[p·ldb + j] for i < rows, j < columns (out = a·b, overwritten):
/// the forward pass's M[ξ] = V[ξ]·U[ξ] (columns × input channels, times input × output channels)
/// on the transforms' layouts, summed as lode_winograd_gradient_product's.
void lode_winograd_product(const float *a, long lda, const float *b, long ldb, long rows, long columns, long depth,
                           float *out, long ldo);
/// U[ξ] = G·g·Gᵀ for the 3×3 kernels g [o, c, 3, 3] of input channels ci0..<ci1 and every
/// output channel, laid out as the forward product's right-hand side:
/// u[ξ·positionStride + ci·o + oc]. With `flip`, the kernels of the input gradient's full
/// convolution instead (g transposed and each kernel rotated 180°, without a copy): rows are g's
/// output channels ci0..<ci1 (< o), u[ξ·positionStride + oc·c + ci].
void lode_winograd_kernel(int m, const float *g, long o, long c, long ci0, long ci1, float *u, long positionStride,
                          int flip);
/// dg = Gᵀ·dU·G, the adjoint of lode_winograd_kernel, for the channel pairs pair0..<pair1 (pair
/// oc·c + ci): dg[pair·9 + j] from du[ξ·positionStride + pair].
void lode_winograd_kernel_gradient(int m, const float *du, long positionStride, long pair0, long pair1, float *dg);

#endif
