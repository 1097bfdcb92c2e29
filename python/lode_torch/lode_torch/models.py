"""SSGSNet and its three baselines, as Lode builds them (stdlib/models.lode, LodeNN's models).

Parameter keys are Lode's, one for one (`ss.layers.0.block1.conv1.weight`, `sc.pos`, ...), so a
state dict moves between the two without renaming. Conventions, the same as Lode's: NCHW float32;
a convolution followed by BatchNorm, and the spatial-attention convolution, have no bias; the
patch embedding and every Linear have one; BatchNorm and LayerNorm eps 1e-5; exact (erf) GELU.
"""
import json
import math
from dataclasses import asdict, dataclass, field, replace

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    """The architecture settings; the field names are the keys of Lode's config JSON."""
    in_channels: int = 15
    window: int = 32
    classes: int = 2
    widths: list = field(default_factory=lambda: [64, 128, 256, 512])
    strides: list = field(default_factory=lambda: [1, 2, 2, 2])
    se_reduction: int = 16
    sa_kernel: int = 7
    feature_dim: int = 256
    fusion_hidden: int = 32
    patch: int = 4
    vit_dim: int = 256
    vit_depth: int = 4
    vit_heads: int = 8
    vit_mlp: int = 512
    vit_norm: str = "post"
    dual_widths: list = field(default_factory=lambda: [32, 64])
    dual_mlp: int = 64

    def to_json(self):
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @staticmethod
    def from_json(text):
        values = json.loads(text)
        known = {f for f in Config.__dataclass_fields__}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"model config has unknown fields {unknown}")
        return Config(**values)

    def validate(self):
        def need(ok, what):
            if not ok:
                raise ValueError(f"model config: {what}")
        need(self.in_channels > 0 and self.window > 0 and self.classes >= 2, "in_channels and window must be positive and classes >= 2")
        need(len(self.widths) > 0 and len(self.widths) == len(self.strides), f"widths {self.widths} and strides {self.strides} must have the same non-zero length")
        need(self.window % self.patch == 0, f"window {self.window} must be a multiple of patch {self.patch}")
        need(self.vit_dim % self.vit_heads == 0, f"vit_dim {self.vit_dim} must be divisible by vit_heads {self.vit_heads}")
        need(self.vit_norm in ("post", "pre"), f"vit_norm must be \"post\" or \"pre\", got {self.vit_norm!r}")
        need(len(self.dual_widths) == 2, "dual_widths must be two widths")


# Lode's presets (model_sizes in stdlib/models.lode; ModelConfig.paper and .tiny in LodeNN).
PRESETS = {
    "paper": Config(),
    "tiny": Config(widths=[8, 16, 32, 64], se_reduction=4, feature_dim=32, fusion_hidden=8, vit_dim=32,
                   vit_depth=2, vit_heads=4, vit_mlp=64, dual_widths=[8, 16], dual_mlp=16),
}


def config_for(preset, channels, window, widths=None):
    """The config Lode's `ssgsnet(channels:, preset:, window:, widths:)` builds: one stage per
    width, the first keeping the stem's resolution and the others halving it."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    cfg = replace(PRESETS[preset], in_channels=channels, window=window)
    if widths:
        cfg = replace(cfg, widths=list(widths), strides=[1] + [2] * (len(widths) - 1))
    cfg.validate()
    return cfg


class ConvBN(nn.Module):
    def __init__(self, cin, cout, kernel, stride=1, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride=stride, padding=padding, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.bn(self.conv(x))


class ChannelAttention(nn.Module):
    """Squeeze and excitation: each channel weighed by a gate computed from the channel means."""
    def __init__(self, channels, reduction):
        super().__init__()
        hidden = max(1, channels // reduction)
        self.fc1 = nn.Linear(channels, hidden)
        self.fc2 = nn.Linear(hidden, channels)

    def forward(self, x):
        gate = torch.sigmoid(self.fc2(F.relu(self.fc1(x.mean(dim=(2, 3))))))
        return x * gate[:, :, None, None]


class SpatialAttention(nn.Module):
    """Each cell weighed by a gate from the channel mean and maximum (one k x k convolution)."""
    def __init__(self, kernel):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, kernel, padding=kernel // 2, bias=False)

    def forward(self, x):
        pooled = torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)
        return x * torch.sigmoid(self.conv(pooled))


class ImprovedBlock(nn.Module):
    """conv-BN-ReLU, conv-BN, channel then spatial attention, plus the shortcut, then ReLU."""
    def __init__(self, cin, cout, stride, cfg):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.ca = ChannelAttention(cout, cfg.se_reduction)
        self.sa = SpatialAttention(cfg.sa_kernel)
        # Only a block that changes the shape has a projection (and so the key "shortcut").
        self.shortcut = ConvBN(cin, cout, 1, stride=stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.sa(self.ca(self.bn2(self.conv2(y))))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class Stage(nn.Module):
    def __init__(self, cin, cout, stride, cfg):
        super().__init__()
        self.block1 = ImprovedBlock(cin, cout, stride, cfg)
        self.block2 = ImprovedBlock(cout, cout, 1, cfg)

    def forward(self, x):
        return self.block2(self.block1(x))


class SpectralSpatialBranch(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.stem = ConvBN(cfg.in_channels, cfg.widths[0], 3, padding=1)
        stages, cin = [], cfg.widths[0]
        for width, stride in zip(cfg.widths, cfg.strides):
            stages.append(Stage(cin, width, stride, cfg))
            cin = width
        self.layers = nn.ModuleList(stages)
        self.fc = nn.Linear(cin, cfg.feature_dim)

    def forward(self, x):
        x = F.relu(self.stem(x))
        for stage in self.layers:
            x = stage(x)
        return self.fc(x.mean(dim=(2, 3)))


class SelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        n, tokens, dim = x.shape
        head_dim = dim // self.heads
        q, k, v = self.qkv(x).reshape(n, tokens, 3, self.heads, head_dim).permute(2, 0, 3, 1, 4)
        weights = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(head_dim), dim=-1)
        return self.proj((weights @ v).transpose(1, 2).reshape(n, tokens, dim))


class EncoderBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.post = cfg.vit_norm == "post"
        self.ln1 = nn.LayerNorm(cfg.vit_dim)
        self.attn = SelfAttention(cfg.vit_dim, cfg.vit_heads)
        self.ln2 = nn.LayerNorm(cfg.vit_dim)
        self.fc1 = nn.Linear(cfg.vit_dim, cfg.vit_mlp)
        self.fc2 = nn.Linear(cfg.vit_mlp, cfg.vit_dim)

    def mlp(self, x):
        return self.fc2(F.gelu(self.fc1(x)))

    def forward(self, x):
        if self.post:  # the paper's order: attention, add, norm; MLP, add, norm
            x = self.ln1(x + self.attn(x))
            return self.ln2(x + self.mlp(x))
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class ViTBranch(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        tokens = (cfg.window // cfg.patch) ** 2
        self.patch = nn.Conv2d(cfg.in_channels, cfg.vit_dim, cfg.patch, stride=cfg.patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, cfg.vit_dim))
        self.pos = nn.Parameter(torch.zeros(1, tokens + 1, cfg.vit_dim))
        nn.init.trunc_normal_(self.cls, std=0.02)
        nn.init.trunc_normal_(self.pos, std=0.02)
        self.blocks = nn.ModuleList([EncoderBlock(cfg) for _ in range(cfg.vit_depth)])
        self.norm = nn.LayerNorm(cfg.vit_dim) if cfg.vit_norm == "pre" else None
        self.fc = nn.Linear(cfg.vit_dim, cfg.feature_dim)

    def forward(self, x):
        t = self.patch(x).flatten(2).transpose(1, 2)
        t = torch.cat([self.cls.expand(t.shape[0], -1, -1), t], dim=1) + self.pos
        for block in self.blocks:
            t = block(t)
        if self.norm is not None:
            t = self.norm(t)
        return self.fc(t[:, 0])


class FusionGate(nn.Module):
    """sigmoid(w2 ReLU(w1 f)): how much of each feature goes on to the head."""
    def __init__(self, dim, hidden):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden)
        self.w2 = nn.Linear(hidden, dim)

    def forward(self, f):
        return torch.sigmoid(self.w2(F.relu(self.w1(f))))


class SSGSNet(nn.Module):
    display_name = "SSGSNet"

    def __init__(self, cfg):
        super().__init__()
        self.ss = SpectralSpatialBranch(cfg)
        self.sc = ViTBranch(cfg)
        self.gate_ss = FusionGate(cfg.feature_dim, cfg.fusion_hidden)
        self.gate_sc = FusionGate(cfg.feature_dim, cfg.fusion_hidden)
        self.head = nn.Linear(2 * cfg.feature_dim, cfg.classes)

    def forward(self, x):
        fss, fsc = self.ss(x), self.sc(x)
        return self.head(torch.cat([fss * self.gate_ss(fss), fsc * self.gate_sc(fsc)], dim=1))


class ResNet(nn.Module):
    display_name = "ResNet"

    def __init__(self, cfg):
        super().__init__()
        self.ss = SpectralSpatialBranch(cfg)
        self.head = nn.Linear(cfg.feature_dim, cfg.classes)

    def forward(self, x):
        return self.head(self.ss(x))


class ViT(nn.Module):
    display_name = "ViT"

    def __init__(self, cfg):
        super().__init__()
        self.sc = ViTBranch(cfg)
        self.head = nn.Linear(cfg.feature_dim, cfg.classes)

    def forward(self, x):
        return self.head(self.sc(x))


class DualBranchNet(nn.Module):
    """Two conv-ReLU-maxpool layers averaged over space, beside an MLP on the channel means."""
    display_name = "DualBranchNet"

    def __init__(self, cfg):
        super().__init__()
        if cfg.window < 4:
            raise ValueError("DualBranchNet needs windows of at least 4x4 (two 2x2 pools)")
        w1, w2 = cfg.dual_widths
        self.conv1 = nn.Conv2d(cfg.in_channels, w1, 3, padding=1)
        self.conv2 = nn.Conv2d(w1, w2, 3, padding=1)
        self.mlp1 = nn.Linear(cfg.in_channels, cfg.dual_mlp)
        self.mlp2 = nn.Linear(cfg.dual_mlp, cfg.dual_mlp)
        self.head = nn.Linear(w2 + cfg.dual_mlp, cfg.classes)

    def forward(self, x):
        s = F.max_pool2d(F.relu(self.conv1(x)), 2)
        s = F.max_pool2d(F.relu(self.conv2(s)), 2).mean(dim=(2, 3))
        c = F.relu(self.mlp2(F.relu(self.mlp1(x.mean(dim=(2, 3))))))
        return self.head(torch.cat([s, c], dim=1))


MODELS = {"ssgsnet": SSGSNet, "resnet": ResNet, "vit": ViT, "dualbranch": DualBranchNet}


def build_model(kind, cfg):
    """A fresh model of `kind` ("ssgsnet", "resnet", "vit", "dualbranch") with config `cfg`."""
    if kind not in MODELS:
        raise ValueError(f"unknown model {kind!r}; choose one of {', '.join(MODELS)}")
    cfg.validate()
    return MODELS[kind](cfg)
