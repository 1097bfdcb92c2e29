"""Lode's window classifiers in PyTorch, for training a survey Lode exported on more cores or GPUs.

The models carry exactly Lode's parameter keys, so a checkpoint written here loads in Lode
(`load_weights(ssgsnet(...), "model.safetensors")`) for mapping, zoning and SHAP; see docs/scale.md.
"""
from .checkpoint import load_checkpoint, save_checkpoint
from .data import LodeDataset, load_dataset
from .models import MODELS, PRESETS, Config, build_model, config_for

__all__ = ["Config", "PRESETS", "MODELS", "build_model", "config_for", "LodeDataset", "load_dataset",
           "save_checkpoint", "load_checkpoint"]
