#include "CLodeAtomics.h"

long lode_atomic_load(const long *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }

void lode_atomic_store(long *p, long value) { __atomic_store_n(p, value, __ATOMIC_RELEASE); }

long lode_atomic_add(long *p, long delta) { return __atomic_fetch_add(p, delta, __ATOMIC_ACQ_REL); }

int lode_atomic_compare_exchange(long *p, long *expected, long desired) {
    return __atomic_compare_exchange_n(p, expected, desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

void lode_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
