"""Writes Tests/LodeNNTests/Fixtures/attention.safetensors: the attention weights of the PyTorch
reference (shared/reference/ssgsnet.py) for small SSGSNet and ViT configurations.

  /tmp/torchvenv/bin/python scripts/make_attention_fixture.py [OUT_FILE]

For each model (prefix "ssgsnet." and "vit."):
  <m>.param.<key>       the state dict (BatchNorm statistics made non-trivial), num_batches_tracked left out
  <m>.input.x           a batch of windows
  <m>.eval.logits       the evaluation-mode forward
  <m>.attention.<key>   the weights of every attention module, keyed like the state dict:
                        ChannelAttention [N, C] (sigmoid gate), SpatialAttention [N, H, W]
                        (sigmoid map), SelfAttention [N, heads, T, T] (softmax(QKᵀ/√d), rows are
                        queries, token 0 is [CLS])
Metadata: "<m>.config" (the reference Config as JSON), "<m>.model" (ssgsnet / vit) and
"<m>.attention" (the attention keys in the order the forward pass reaches them).

The weights are recomputed by forward hooks from each module's input with the reference's own
formulas, and checked against the module's output, so they are what the forward pass used.
"""
import json
import math
import os
import sys
from dataclasses import asdict, replace

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "reference"))
import ssgsnet as ref  # noqa: E402

# Small enough for a fixture of a few hundred kilobytes, yet every kind of block appears:
# two residual stages (one with a stride and a projection shortcut), two encoder blocks.
SMALL = replace(ref.TINY, in_channels=6, window=16, widths=(8, 16), strides=(1, 2), feature_dim=16,
                fusion_hidden=4, vit_dim=16, vit_depth=2, vit_heads=4, vit_mlp=32)


def channel_gate(module, x):
    return torch.sigmoid(module.fc2(F.relu(module.fc1(x.mean(dim=(2, 3))))))


def spatial_map(module, x):
    pooled = torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)
    return torch.sigmoid(module.conv(pooled))[:, 0]


def self_attention_weights(module, x):
    b, n, c = x.shape
    hd = c // module.heads
    q, k, _ = module.qkv(x).reshape(b, n, 3, module.heads, hd).permute(2, 0, 3, 1, 4)
    return ((q @ k.transpose(-2, -1)) / math.sqrt(hd)).softmax(dim=-1)


def record(model):
    """Hooks every attention module; returns the ordered dict the hooks fill."""
    maps = {}

    def hook(key):
        def run(module, inputs, output):
            x = inputs[0]
            if isinstance(module, ref.ChannelAttention):
                w = channel_gate(module, x)
                assert torch.allclose(output, x * w[:, :, None, None], atol=1e-6)
            elif isinstance(module, ref.SpatialAttention):
                w = spatial_map(module, x)
                assert torch.allclose(output, x * w[:, None], atol=1e-6)
            else:
                w = self_attention_weights(module, x)
                b, n, c = x.shape
                v = module.qkv(x).reshape(b, n, 3, module.heads, c // module.heads).permute(2, 0, 3, 1, 4)[2]
                mixed = module.proj((w @ v).transpose(1, 2).reshape(b, n, c))
                assert torch.allclose(output, mixed, atol=1e-5)
            maps[key] = w.detach().clone()
        return run

    for key, module in model.named_modules():
        if isinstance(module, (ref.ChannelAttention, ref.SpatialAttention, ref.SelfAttention)):
            module.register_forward_hook(hook(key))
    return maps


def model_tensors(name, cls, cfg, seed):
    torch.manual_seed(seed)
    model = cls(cfg)
    g = torch.Generator().manual_seed(seed + 100)
    with torch.no_grad():  # BatchNorm statistics away from 0 / 1, so evaluation mode matters
        for key, t in model.state_dict().items():
            if key.endswith("running_mean"): t.copy_(0.1 * torch.randn(t.shape, generator=g))
            if key.endswith("running_var"): t.copy_(1 + 0.2 * torch.rand(t.shape, generator=g))
        # Default initialisation leaves the maps close to uniform (spatial weights near 0.5,
        # attention rows near 1/T); larger weights spread them so the comparison has contrast.
        for module in model.modules():
            if isinstance(module, ref.SpatialAttention): module.conv.weight.mul_(8)
            if isinstance(module, ref.SelfAttention): module.qkv.weight.mul_(3)
    model.eval()
    maps = record(model)
    x = torch.randn(2, cfg.in_channels, cfg.window, cfg.window, generator=g)
    with torch.no_grad():
        logits = model(x)
    tensors = {f"{name}.param.{k}": v.clone() for k, v in model.state_dict().items()
               if not k.endswith("num_batches_tracked")}
    tensors[f"{name}.input.x"] = x
    tensors[f"{name}.eval.logits"] = logits
    for key, w in maps.items():
        tensors[f"{name}.attention.{key}"] = w
    metadata = {f"{name}.config": json.dumps(asdict(cfg)), f"{name}.model": name,
                f"{name}.attention": json.dumps(list(maps))}
    return tensors, metadata


if __name__ == "__main__":
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(root, "Tests", "LodeNNTests", "Fixtures", "attention.safetensors"))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    torch.set_num_threads(1)
    tensors, metadata = {}, {}
    # SSGSNet as the paper writes it (post-norm) and the ViT baseline in the standard pre-norm.
    for name, cls, cfg, seed in (("ssgsnet", ref.SSGSNet, SMALL, 3), ("vit", ref.ViT, replace(SMALL, vit_norm="pre"), 5)):
        t, m = model_tensors(name, cls, cfg, seed)
        tensors.update(t)
        metadata.update(m)
    save_file({k: v.contiguous() for k, v in tensors.items()}, out, metadata=metadata)
    print(out, os.path.getsize(out), "bytes,", len(tensors), "tensors")
    for name in ("ssgsnet", "vit"):
        print(name, json.loads(metadata[f"{name}.attention"]))
