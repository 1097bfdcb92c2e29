"""numpy's float32 matmul throughput, the reference for `lode bench gemm`.

  OPENBLAS_NUM_THREADS=2 python3 scripts/bench_numpy.py
Prints one line: RESULT {json} with sgemm_<n>_gflops_median for n = 512 and 2048.
"""
import json
import statistics
import time

import numpy as np


def median_seconds(fn, repeats, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    rng = np.random.default_rng(0)
    result = {"bench": "numpy-matmul", "numpy": np.__version__}
    for n in (512, 2048):
        a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        seconds = median_seconds(lambda: a @ b, 10 if n == 512 else 3, 2)
        result[f"sgemm_{n}_gflops_median"] = 2 * n ** 3 / seconds / 1e9
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
