#!/usr/bin/env bash
# Lode's kernels against numpy's float32 matmul, in one job on the same machine state:
# runs `lode bench gemm`, numpy's matmul, then `lode bench conv` (every SSGSNet conv shape as a
# fraction of the FMA peak measured in the same run), and prints the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=2
BIN=${LODE_BIN:-$(swift build -c release --show-bin-path)/lode}
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] && PY=${PYTHON:-.venv/bin/python}

lode_gemm=$("$BIN" bench gemm --threads 2 | tee /dev/stderr | grep '^RESULT ' | cut -c8-)
# numpy at its best: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, where the machine sets them to keep an
# older OpenBLAS on kernels it knows, would hold numpy's newer one to them too (Lode's run keeps them).
numpy_gemm=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" scripts/bench_numpy.py | tee /dev/stderr | grep '^RESULT ' | cut -c8-)
lode_conv=$("$BIN" bench conv --threads 2 | tee /dev/stderr | grep '^RESULT ' | cut -c8-)

"$PY" - "$lode_gemm" "$numpy_gemm" "$lode_conv" <<'PYEOF'
import json, sys
lode, ref, conv = (json.loads(a) for a in sys.argv[1:4])
out = {"lode": lode, "numpy": ref, "conv": conv}
for n in (512, 2048):
    key = f"sgemm_{n}_gflops_median"
    out[f"ratio_vs_reference_sgemm_{n}"] = lode[key] / ref[key]
out["ratio_vs_reference"] = out["ratio_vs_reference_sgemm_2048"]
print(f"sgemm 2048: lode {lode['sgemm_2048_gflops_median']:.1f} GFLOP/s, numpy {ref['sgemm_2048_gflops_median']:.1f} GFLOP/s, "
      f"ratio {out['ratio_vs_reference']:.2f} (target >= 0.9)")
print(f"conv ({conv['path']}, FMA peak {conv['fma_peak_gflops'][conv['path']]:.1f} GFLOP/s): fraction of peak forward/backward"
      " (* = the automatic choice)")
for s in conv["shapes"]:
    mark = "*" if s["automatic_choice"] else " "
    print(f"  {s['name']:<18} {s['algorithm'] + mark:<10} {s['forward_peak_fraction']:.2f} / {s['backward_peak_fraction']:.2f}")
print("RESULT " + json.dumps(out))
PYEOF
