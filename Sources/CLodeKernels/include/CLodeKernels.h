// Hot kernels compiled once per instruction set (portable, AVX2+FMA, AVX-512) and chosen at
// start from the CPU, so the package needs no -target-cpu flag and runs on any x86-64 or
// aarch64. LODE_CPU=portable|avx2|avx512 forces a path (a path the CPU lacks falls back,
// with a warning on stderr).
#ifndef CLODEKERNELS_H
#define CLODEKERNELS_H

/// Dispatch paths, in order of preference.
enum { LODE_CPU_PORTABLE = 0, LODE_CPU_AVX2 = 1, LODE_CPU_AVX512 = 2, LODE_CPU_PATH_COUNT = 3 };

/// The path in use.
int lode_cpu_path(void);
/// 1 if this CPU (and OS) can run `path`.
int lode_cpu_path_available(int path);
/// Switches to `path` (tests compare the paths); returns 0, or -1 if the CPU cannot run it.
int lode_cpu_use_path(int path);
/// "portable", "avx2" or "avx512"; NULL for an unknown path.
const char *lode_cpu_path_name(int path);
/// The path a LODE_CPU value names, or -1 if it names none.
int lode_cpu_path_named(const char *name);

// Elementwise kernels over n floats (y may equal x). All paths round identically (no FMA, the
// same operations in the same order), so results agree bit for bit across paths. exp, sigmoid,
// tanh and erf are done in double and rounded once: within 1 ulp of the correctly rounded value.
// GELU and its derivative are done in float: within 4 ulp (relative to the result, over the whole
// float range; see Tests/LodeTensorTests/TranscendentalKernelTests and CLodeKernels/GELU.h).
void lode_exp(const float *x, float *y, long n);
/// y = exp(x - shift), the difference taken in float (softmax's stable form).
void lode_exp_shifted(const float *x, float *y, long n, float shift);
void lode_sigmoid(const float *x, float *y, long n);
void lode_tanh(const float *x, float *y, long n);
void lode_erf(const float *x, float *y, long n);
/// Exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)).
void lode_gelu(const float *x, float *y, long n);
/// out = g · GELU'(x) = g · (Φ(x) + x·φ(x)), the derivative rounded to float before the product;
/// finite for every x (0 at −∞, 1 at +∞), accurate relative to itself also next to its zero.
void lode_gelu_backward(const float *x, const float *g, float *out, long n);

/// Global power-2 IDW's inner loop (LodeGeo): for points [start, end) and the eight cells whose
/// column is firstColumn + 0..7, adds w·value to totals[slot * 8 + lane] for the 16 value slots
/// of `packed` (16 floats per point), w = 1 / max((c - whole - fraction)² + dy2, nearZero).
/// The AVX paths fuse the multiply-add; the portable path rounds the product first.
void lode_idw_accumulate(const float *whole, const float *fraction, const float *dy2, const float *packed,
                         long start, long end, float firstColumn, float *totals, float nearZero);

/// The machine's multiply-add peak probe on `path` (whatever path is current): `iterations`
/// rounds of independent vector FMAs on the calling thread. Sets *flops to the flops done (0 when
/// the CPU cannot run `path`) and returns a value that depends on all of them. Time it to get
/// one core's peak FLOP/s (`lode bench conv` reports convolutions as a fraction of it).
float lode_fma_loop(int path, long iterations, double *flops);

#include "CLodeWinograd.h"
#include "CLodeIm2col.h"
#include "CLodeAtomics.h"
#include "CLodeGemm.h"

#endif
