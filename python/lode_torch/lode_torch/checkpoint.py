"""Checkpoints in Lode's format ("lode-checkpoint-2"): the model's state dict under Lode's keys
and the metadata Lode reads back (model kind, config, input contract with the layer names).

Lode loads such a file into a model built from the same recipe (`load_weights(ssgsnet(channels:
15, preset: "tiny", window: 16), "model.safetensors")`) and `lode predict` rebuilds it from the
metadata alone. BatchNorm's `num_batches_tracked` counters are left out: Lode has none.
"""
import json
import os

import torch
from safetensors import safe_open
from safetensors.torch import save_file

from .models import Config, build_model

FORMAT = "lode-checkpoint-2"


def architecture(model, cfg):
    """Lode's headline for a built-in model, e.g. "SSGSNet(15 channels, 32×32 windows, 2 classes)"."""
    return f"{model.display_name}({cfg.in_channels} channels, {cfg.window}×{cfg.window} windows, {cfg.classes} classes)"


def checkpoint_metadata(model, kind, cfg, layers=None, preset=None, extra=None):
    contract = {"channels": cfg.in_channels, "window": cfg.window, "classes": cfg.classes}
    if layers:
        if len(layers) != cfg.in_channels:
            raise ValueError(f"{len(layers)} layer names for {cfg.in_channels} channels")
        contract["layerNames"] = list(layers)
    meta = {"format": FORMAT, "model": kind, "config": cfg.to_json(),
            "contract": json.dumps(contract, separators=(",", ":"), ensure_ascii=False),
            "architecture": architecture(model, cfg)}
    if preset:
        meta["preset"] = preset
    for key, value in (extra or {}).items():
        meta[key] = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return meta


def save_checkpoint(model, kind, cfg, path, layers=None, preset=None, extra=None):
    """Writes the weights and metadata; a temporary file renamed over `path`, so a job killed
    while writing leaves the previous checkpoint whole."""
    tensors = {k: v.detach().to("cpu", torch.float32).contiguous().clone()
               for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    temporary = f"{path}.{os.getpid()}.partial"
    save_file(tensors, temporary, metadata=checkpoint_metadata(model, kind, cfg, layers, preset, extra))
    os.replace(temporary, path)


def load_checkpoint(path, map_location="cpu"):
    """The model a checkpoint describes, with its weights, in evaluation mode; and the metadata."""
    with safe_open(path, framework="pt", device=str(map_location)) as f:
        meta = f.metadata() or {}
        if "model" not in meta or "config" not in meta:
            raise ValueError(f"{path} does not name a built-in model (no 'model' and 'config' metadata)")
        state = {k: f.get_tensor(k) for k in f.keys() if not k.startswith("optimizer.")}
    cfg = Config.from_json(meta["config"])
    model = build_model(meta["model"], cfg)
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"{path}: missing keys {missing[:5]}, unexpected keys {unexpected[:5]} for {meta['model']}")
    return model.eval(), meta
