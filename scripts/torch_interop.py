"""Checkpoints move between Lode and the PyTorch reference (needs torch; not run in CI).

  TORCH_PYTHON scripts/torch_interop.py [--lode PATH] [--config tiny|paper]

For each of the four models:
  Lode -> PyTorch: `lode bench train --save-checkpoint` trains a few steps (so BatchNorm
      running statistics move), `lode predict` writes its eval-mode logits; the reference
      loads the checkpoint with load_state_dict(strict=True) and must give the same logits.
  PyTorch -> Lode: a fresh reference model is saved with save_file (plus model/config
      metadata); `lode predict` must reproduce the reference's logits.
Agreement is to 1e-4 absolute. Prints `torch interop: N/8` and exits non-zero on a mismatch.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict

import torch
from safetensors.torch import load_file, save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "..", "shared", "reference"))
import ssgsnet as ref  # noqa: E402


def config_from_json(text):
    d = json.loads(text)
    return ref.Config(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


def lode_logits(lode, checkpoint, windows, out):
    subprocess.run([lode, "predict", checkpoint, windows, "--output", out], check=True, stdout=subprocess.DEVNULL)
    return load_file(out)["logits"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lode", default=os.path.join(ROOT, ".build", "release", "lode"))
    ap.add_argument("--config", default="tiny", choices=["tiny", "paper"])
    a = ap.parse_args()
    torch.manual_seed(0)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, cls in ref.MODELS.items():
            ckpt, win, out = (os.path.join(tmp, f"{name}.{s}.safetensors") for s in ("ckpt", "win", "out"))
            subprocess.run([a.lode, "bench", "train", "--model", name, "--config", a.config, "--steps", "3",
                            "--warmup", "0", "--save-checkpoint", ckpt], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            state = load_file(ckpt)
            with open(ckpt, "rb") as f:
                header = json.loads(f.read(int.from_bytes(f.read(8), "little")))["__metadata__"]
            cfg = config_from_json(header["config"])
            x = torch.randn(5, cfg.in_channels, cfg.window, cfg.window)
            save_file({"windows": x}, win)

            def agree(direction, model, checkpoint):
                with torch.no_grad():
                    expected = model(x)
                diff = (lode_logits(a.lode, checkpoint, win, out) - expected).abs().max().item()
                print(f"{name:11s} {direction}  max |logit diff| {diff:.2e}")
                return diff <= 1e-4

            # Lode -> PyTorch: the reference loads Lode's trained checkpoint strictly.
            m = cls(cfg)
            m.load_state_dict(state, strict=True)
            results.append(agree("lode -> torch", m.eval(), ckpt))

            # PyTorch -> Lode: Lode loads a fresh reference state dict.
            fresh = cls(cfg).eval()
            sd = {k: v.contiguous() for k, v in fresh.state_dict().items() if not k.endswith("num_batches_tracked")}
            theirs = os.path.join(tmp, f"{name}.torch.safetensors")
            save_file(sd, theirs, metadata={"model": name, "config": json.dumps(asdict(cfg))})
            results.append(agree("torch -> lode", fresh, theirs))
    passed, total = sum(results), len(results)
    print(f"torch interop: {passed}/{total}")
    sys.exit(0 if passed == total else 1)


if __name__ == "__main__":
    main()
