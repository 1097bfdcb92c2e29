#ifndef CLODE_ATOMICS_H
#define CLODE_ATOMICS_H

// Atomic operations on a plain long for Lode's worker pool (LodeTensor/Kernels/WorkerPool.swift):
// C11 atomics with acquire/release ordering, so the pool needs no Swift atomics package.

/// *p, with acquire ordering.
long lode_atomic_load(const long *p);
/// *p = value, with release ordering.
void lode_atomic_store(long *p, long value);
/// *p += delta, returning the old value (acquire and release).
long lode_atomic_add(long *p, long delta);
/// If *p == *expected, *p = desired and 1; else *expected = *p and 0 (acquire and release).
int lode_atomic_compare_exchange(long *p, long *expected, long desired);
/// A hint to the CPU that this thread is spinning (x86 `pause`, ARM `yield`).
void lode_spin_pause(void);

#endif
