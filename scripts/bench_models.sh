#!/usr/bin/env bash
# SSGSNet training and inference throughput and peak memory, Lode against the PyTorch
# reference (../shared/reference/bench_torch.py) in one job on the same machine state:
# paper config, batch 32, 2 threads. Prints ratio_vs_reference for training samples/s,
# inference samples/s and peak RSS (reference / Lode, so higher is better for Lode).
#   TORCH_PYTHON=/path/to/python-with-torch scripts/bench_models.sh [model]
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-ssgsnet}
export OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2
BIN=${LODE_BIN:-$(swift build -c release --show-bin-path)/lode}
TORCH_PYTHON=${TORCH_PYTHON:-python3}
REFERENCE=../shared/reference/bench_torch.py
[ -x "$BIN" ] || { echo "build lode first: swift build -c release --product lode" >&2; exit 1; }
"$TORCH_PYTHON" -c 'import torch' 2>/dev/null || { echo "TORCH_PYTHON=$TORCH_PYTHON has no torch" >&2; exit 1; }

result() { grep '^RESULT ' | tail -1 | cut -c8-; }
lode_train=$("$BIN" bench train --model "$MODEL" --batch 32 --threads 2 | result)
torch_train=$("$TORCH_PYTHON" "$REFERENCE" train "$MODEL" --batch 32 --threads 2 | result)
lode_infer=$("$BIN" bench infer --model "$MODEL" --batch 32 --threads 2 | result)
torch_infer=$("$TORCH_PYTHON" "$REFERENCE" infer "$MODEL" --batch 32 --threads 2 | result)

python3 - "$lode_train" "$torch_train" "$lode_infer" "$torch_infer" <<'PYEOF'
import json, sys
lt, tt, li, ti = (json.loads(a) for a in sys.argv[1:5])
r = {
    "train_samples_per_s": lt["samples_per_s"], "train_samples_per_s_reference": tt["samples_per_s"],
    "infer_samples_per_s": li["samples_per_s"], "infer_samples_per_s_reference": ti["samples_per_s"],
    "peak_rss_mib": max(lt["peak_rss_mib"], li["peak_rss_mib"]),
    "peak_rss_mib_reference": max(tt["peak_rss_mib"], ti["peak_rss_mib"]),
    "reference_version": tt.get("torch", ""),
    "train_loss_first": lt["loss_first"], "train_loss_last": lt["loss_last"], "train_loss_fell": lt["loss_fell"],
}
r["ratio_vs_reference_train"] = lt["samples_per_s"] / tt["samples_per_s"]
r["ratio_vs_reference_infer"] = li["samples_per_s"] / ti["samples_per_s"]
r["ratio_vs_reference_peak_rss"] = r["peak_rss_mib_reference"] / r["peak_rss_mib"]
r["ratio_vs_reference"] = min(r["ratio_vs_reference_train"], r["ratio_vs_reference_infer"], r["ratio_vs_reference_peak_rss"])
print(f"train: lode {lt['samples_per_s']:.2f} samples/s, torch {tt['samples_per_s']:.2f}, ratio {r['ratio_vs_reference_train']:.2f}")
print(f"infer: lode {li['samples_per_s']:.2f} samples/s, torch {ti['samples_per_s']:.2f}, ratio {r['ratio_vs_reference_infer']:.2f}")
print(f"peak RSS: lode {r['peak_rss_mib']:.0f} MiB, torch {r['peak_rss_mib_reference']:.0f} MiB, ratio {r['ratio_vs_reference_peak_rss']:.2f}")
print(f"paper-config loss over {lt['steps']} steps: {lt['loss_first']:.5f} -> {lt['loss_last']:.5f}")
print("RESULT " + json.dumps(r, sort_keys=True))
PYEOF
