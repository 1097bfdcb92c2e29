// Chooses the kernels' path once, at load: the best the CPU and OS support, or LODE_CPU's.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "CLodeKernels.h"
#include "Kernels.h"
#if defined(__x86_64__)
#include <cpuid.h>
#endif

typedef struct {
    void (*exp)(const float *, float *, long);
    void (*expShifted)(const float *, float *, long, float);
    void (*sigmoid)(const float *, float *, long);
    void (*tanh)(const float *, float *, long);
    void (*erf)(const float *, float *, long);
    void (*gelu)(const float *, float *, long);
    void (*geluBackward)(const float *, const float *, float *, long);
    void (*idwAccumulate)(const float *, const float *, const float *, const float *, long, long, float, float *, float);
    float (*fmaLoop)(long, double *);
} KernelTable;

#define LODE_TABLE(suffix) { lode_exp_##suffix, lode_exp_shifted_##suffix, lode_sigmoid_##suffix, \
    lode_tanh_##suffix, lode_erf_##suffix, lode_gelu_##suffix, lode_gelu_backward_##suffix, \
    lode_idw_accumulate_##suffix, lode_fma_loop_##suffix }

static const KernelTable tables[LODE_CPU_PATH_COUNT] = {
    LODE_TABLE(portable),
#if defined(__x86_64__)
    LODE_TABLE(avx2),
    LODE_TABLE(avx512),
#else
    LODE_TABLE(portable),
    LODE_TABLE(portable),
#endif
};
static const char *const names[LODE_CPU_PATH_COUNT] = {"portable", "avx2", "avx512"};
static int available[LODE_CPU_PATH_COUNT] = {1, 0, 0};
static int current = LODE_CPU_PORTABLE;

#if defined(__x86_64__)
/// cpuid says what the CPU has; xgetbv says whether the OS saves the YMM/ZMM registers.
static void detect(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return;
    int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx) return;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    unsigned long long xcr0 = ((unsigned long long)hi << 32) | lo;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return;
    int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1;
    if (avx2 && fma && (xcr0 & 0x6) == 0x6) available[LODE_CPU_AVX2] = 1;
    if (available[LODE_CPU_AVX2] && avx512f && (xcr0 & 0xe6) == 0xe6) available[LODE_CPU_AVX512] = 1;
}
#else
static void detect(void) {}
#endif

int lode_cpu_path_named(const char *name) {
    if (!name) return -1;
    for (int p = 0; p < LODE_CPU_PATH_COUNT; p++)
        if (strcmp(name, names[p]) == 0) return p;
    return -1;
}

__attribute__((constructor)) static void lode_kernels_start(void) {
    detect();
    int best = LODE_CPU_PORTABLE;
    for (int p = 0; p < LODE_CPU_PATH_COUNT; p++) if (available[p]) best = p;
    current = best;
    const char *requested = getenv("LODE_CPU");
    if (!requested || !*requested) return;
    int path = lode_cpu_path_named(requested);
    if (path < 0) {
        fprintf(stderr, "warning: LODE_CPU=%s is not one of portable, avx2, avx512; using %s\n", requested, names[best]);
    } else if (!available[path]) {
        fprintf(stderr, "warning: LODE_CPU=%s: this CPU cannot run it; using %s\n", requested, names[best]);
    } else {
        current = path;
    }
}

static inline const KernelTable *table(void) { return &tables[__atomic_load_n(&current, __ATOMIC_RELAXED)]; }

int lode_cpu_path(void) { return __atomic_load_n(&current, __ATOMIC_RELAXED); }
int lode_cpu_path_available(int path) { return path >= 0 && path < LODE_CPU_PATH_COUNT && available[path]; }
const char *lode_cpu_path_name(int path) { return path >= 0 && path < LODE_CPU_PATH_COUNT ? names[path] : NULL; }
int lode_cpu_use_path(int path) {
    if (!lode_cpu_path_available(path)) return -1;
    __atomic_store_n(&current, path, __ATOMIC_RELAXED);
    return 0;
}

void lode_exp(const float *x, float *y, long n) { table()->exp(x, y, n); }
void lode_exp_shifted(const float *x, float *y, long n, float shift) { table()->expShifted(x, y, n, shift); }
void lode_sigmoid(const float *x, float *y, long n) { table()->sigmoid(x, y, n); }
void lode_tanh(const float *x, float *y, long n) { table()->tanh(x, y, n); }
void lode_erf(const float *x, float *y, long n) { table()->erf(x, y, n); }
void lode_gelu(const float *x, float *y, long n) { table()->gelu(x, y, n); }
void lode_gelu_backward(const float *x, const float *g, float *out, long n) { table()->geluBackward(x, g, out, n); }
void lode_idw_accumulate(const float *whole, const float *fraction, const float *dy2, const float *packed,
                         long start, long end, float firstColumn, float *totals, float nearZero) {
    table()->idwAccumulate(whole, fraction, dy2, packed, start, end, firstColumn, totals, nearZero);
}

float lode_fma_loop(int path, long iterations, double *flops) {
    *flops = 0;
    if (!lode_cpu_path_available(path)) return 0;
    return tables[path].fmaLoop(iterations, flops);
}
