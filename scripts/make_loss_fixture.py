"""Writes Tests/LodeTensorTests/Fixtures/loss.safetensors: PyTorch's cross-entropy with class
weights and label smoothing (F.cross_entropy(weight=, label_smoothing=), reduction "mean") and
its gradient, for the trainer's loss options.

  /tmp/torchvenv/bin/python scripts/make_loss_fixture.py [OUT_FILE]

Cases "<name>.logits" [N, C], "<name>.labels" [N] (int64), "<name>.weight" [C] (absent: no
weights), "<name>.loss" [] and "<name>.grad" [N, C]; metadata "<name>.smoothing".
"""
import os
import sys

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

torch.manual_seed(7)
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "LodeTensorTests", "Fixtures", "loss.safetensors")
cases = [("smooth", 2, 8, None, 0.1), ("weighted", 2, 8, [0.3, 2.5], 0.0),
         ("both", 3, 6, [1.0, 0.5, 2.0], 0.2), ("heavy", 2, 5, [4.0, 1.0], 0.5)]
tensors, metadata = {}, {}
for name, classes, n, weight, smoothing in cases:
    logits = (torch.randn(n, classes) * 2).requires_grad_(True)
    labels = torch.randint(0, classes, (n,))
    w = torch.tensor(weight) if weight is not None else None
    loss = F.cross_entropy(logits, labels, weight=w, label_smoothing=smoothing)
    loss.backward()
    tensors[name + ".logits"] = logits.detach()
    tensors[name + ".labels"] = labels
    if w is not None:
        tensors[name + ".weight"] = w
    tensors[name + ".loss"] = loss.detach()
    tensors[name + ".grad"] = logits.grad
    metadata[name + ".smoothing"] = repr(smoothing)
save_file(tensors, out, metadata=metadata)
print("wrote", out)
