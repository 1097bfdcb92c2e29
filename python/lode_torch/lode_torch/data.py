"""Datasets written by Lode's `export_dataset(data, "windows.safetensors")`.

The file holds `windows` [N, C, k, k] float32 (NCHW), `labels` [N] int64 (1 deposit, 0 barren),
`sites` [N] int64 (index of the site each window was cut around, into the metadata list
`site_ids`: augmented copies share their site), `centre_x`/`centre_y` [N] float64 and, for a
split dataset, `train_indices` and `validation_indices`. The metadata names the format
("lode-dataset-1"), the layers in channel order, the window side and the split.
"""
import json
from dataclasses import dataclass

import torch
from safetensors import safe_open

FORMAT = "lode-dataset-1"


@dataclass
class LodeDataset:
    windows: torch.Tensor
    labels: torch.Tensor
    sites: torch.Tensor
    site_ids: list
    layers: list
    window: int
    train_indices: torch.Tensor
    validation_indices: torch.Tensor
    split: str
    path: str

    @property
    def channels(self):
        return self.windows.shape[1]

    def __len__(self):
        return self.windows.shape[0]


def load_dataset(path):
    """Reads and checks an exported dataset; a file that is not one fails naming what is wrong."""
    try:
        with safe_open(path, framework="pt") as f:
            meta = f.metadata() or {}
            if meta.get("format") != FORMAT:
                raise ValueError(f"{path} is not a dataset exported by Lode (format {meta.get('format')!r}, expected {FORMAT!r})")
            tensors = {k: f.get_tensor(k) for k in f.keys()}
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except (ValueError, OSError):
        raise
    except Exception as error:  # safetensors' own error type: not a safetensors file at all
        raise ValueError(f"{path} is not a safetensors file ({error})") from None
    for key in ("windows", "labels", "sites"):
        if key not in tensors:
            raise ValueError(f"{path}: missing tensor {key!r}")
    windows, labels = tensors["windows"], tensors["labels"]
    if windows.dtype != torch.float32 or windows.dim() != 4 or windows.shape[2] != windows.shape[3]:
        raise ValueError(f"{path}: windows must be float32 [N, C, k, k], got {windows.dtype} {tuple(windows.shape)}")
    n = windows.shape[0]
    if labels.shape != (n,) or tensors["sites"].shape != (n,):
        raise ValueError(f"{path}: {n} windows but labels {tuple(labels.shape)} and sites {tuple(tensors['sites'].shape)}")
    layers = json.loads(meta.get("layers", "[]"))
    if len(layers) != windows.shape[1]:
        raise ValueError(f"{path}: {len(layers)} layer names for {windows.shape[1]} channels")
    everything = torch.arange(n)
    train = tensors.get("train_indices", everything)
    validation = tensors.get("validation_indices", torch.zeros(0, dtype=torch.int64))
    return LodeDataset(windows=windows, labels=labels, sites=tensors["sites"], site_ids=json.loads(meta.get("site_ids", "[]")),
                       layers=layers, window=windows.shape[2], train_indices=train, validation_indices=validation,
                       split=meta.get("split", ""), path=path)
