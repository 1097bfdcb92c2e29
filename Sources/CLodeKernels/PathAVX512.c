// The AVX-512 path (16 float lanes).
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#define LODE_W 16
#define LODE_SUFFIX avx512
#define LODE_FMA 1
#include "KernelBody.h"
#include "WinogradBody.h"
#include "Im2colBody.h"
#include "GemmBody.h"
#pragma clang attribute pop
#endif
