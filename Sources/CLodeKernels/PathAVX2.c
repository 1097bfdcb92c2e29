// The AVX2 + FMA path (8 float lanes).
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define LODE_W 8
#define LODE_SUFFIX avx2
#define LODE_FMA 1
#include "KernelBody.h"
#include "WinogradBody.h"
#include "Im2colBody.h"
#include "GemmBody.h"
#pragma clang attribute pop
#endif
