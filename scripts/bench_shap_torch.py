"""PyTorch side of `lode bench shap`: shap.PermutationExplainer over the 15 input layers of the
reference SSGSNet, with the weights, windows and one-point background Lode wrote.

A layer is one feature: a coalition keeps the window's layer where its indicator is 1 and puts
the background value where it is 0, which is Lode's LayerExplainer game. Prints RESULT {json}
with the wall time and the SHAP values (windows x layers).
  python bench_shap_torch.py --reference ../shared/reference --checkpoint m.safetensors --inputs x.safetensors
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import shap
import torch
from safetensors.numpy import load_file


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", required=True)
    ap.add_argument("--config", default="paper", choices=["paper", "tiny"])
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--max-evals", type=int, default=500)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    sys.path.insert(0, os.path.abspath(a.reference))
    import ssgsnet as ref

    cfg = ref.PAPER if a.config == "paper" else ref.TINY
    model = ref.MODELS["ssgsnet"](cfg)
    state = {k: torch.from_numpy(v) for k, v in load_file(a.checkpoint).items() if not k.startswith("optimizer.")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if [k for k in missing if not k.endswith("num_batches_tracked")] or unexpected:
        raise SystemExit(f"checkpoint does not fit the reference: missing {missing}, unexpected {unexpected}")
    model.eval()
    inputs = load_file(a.inputs)
    windows, background = inputs["windows"], inputs["background"]
    layers = windows.shape[1]
    masker = shap.maskers.Independent(np.zeros((1, layers)), max_samples=1)

    values = []
    start = time.perf_counter()
    for x in windows:
        def f(z, x=x):
            z = np.asarray(z, dtype=np.float32)[:, :, None, None]
            batch = z * x[None] + (1 - z) * background[None, :, None, None]
            out = []
            with torch.no_grad():
                for i in range(0, len(batch), a.batch):
                    p = torch.softmax(model(torch.from_numpy(np.ascontiguousarray(batch[i:i + a.batch]))), dim=-1)
                    out.append(p[:, 1].numpy())
            return np.concatenate(out)

        explanation = shap.PermutationExplainer(f, masker)(np.ones((1, layers)), max_evals=a.max_evals, silent=True)
        values.append(explanation.values[0].tolist())
    seconds = time.perf_counter() - start
    print("RESULT " + json.dumps({"seconds": seconds, "windows": len(windows), "max_evals": a.max_evals,
                                  "shap": shap.__version__, "torch": torch.__version__, "values": values}), flush=True)


if __name__ == "__main__":
    main()
