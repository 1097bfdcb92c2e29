// The convolution's column panel (im2col) and its adjoint (col2im), on the path lode_cpu_path()
// names. Geometry as ConvGeometry (Sources/LodeTensor/NN/Conv2d.swift): x is [N, C, H, W], the
// output map oh×ow, L = oh·ow; row r = (c·kh + ki)·kw + kj of the panel is `columns` floats long
// and holds sample s (of first..first+count) at columns s·L..s·L+L. Both are copies and sums in
// a fixed order, so every path gives the same bits.
#ifndef CLODEIM2COL_H
#define CLODEIM2COL_H

typedef struct {
    long c, h, w, kh, kw, stride, padding, oh, ow;
} LodeConvShape;

/// col[r, s·L + y·ow + xo] = x[first + s, c, y·stride − padding + ki, xo·stride − padding + kj]
/// (0 outside the plane).
void lode_im2col(const LodeConvShape *shape, const float *x, long first, long count, float *col, long columns);
/// dx[first + s, c, iy, ix] += col[r, s·L + y·ow + xo] for every panel entry im2col would read
/// from there, in the order r, s, y, xo.
void lode_col2im(const LodeConvShape *shape, const float *col, long first, long count, float *dx, long columns);

#endif
