"""Does a window network find more of the built-in survey's hidden deposits than a per-cell linear
model trained on the same cells? An independent check in PyTorch of what docs/recipes.md reports
for Lode: both models see the same training cells (every cell within 400 m of a known deposit,
2 000 background cells at least 2 km from every known deposit), the same optimiser (AdamW, weight
decay 0.01) and the same map measure (hidden deposits' success-rate area and top-10 % share, map
at stride 4 as Lode maps). The linear model reads the window's centre cell, the network the
16 x 16 window (two 3 x 3 convolutions, 16 channels, dropout, rotations and flips); a third model
adds the two (the linear model as the network's skip path).

Run (throwaway environment; CI does not need it):
    python3 -m venv /tmp/tc && /tmp/tc/bin/pip install torch numpy scipy scikit-learn
    LODE=.build/release/lode /tmp/tc/bin/python scripts/map_ceiling_check.py --preset paper --seeds 3
"""
import argparse
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from map_signal_check import export, score

WINDOW, RADIUS, BUFFER, BACKGROUND, STRIDE = 16, 2, 10, 2000, 4


def windows_of(stack):
    half = WINDOW // 2
    padded = np.pad(stack, ((0, 0), (half, half), (half, half)), mode="reflect")
    return lambda r, c: padded[:, r:r + WINDOW, c:c + WINDOW]


def training_set(stack, known, rng):
    channels, rows, cols = stack.shape
    positives = [(r + dr, c + dc) for r, c in known for dr in range(-RADIUS, RADIUS + 1)
                 for dc in range(-RADIUS, RADIUS + 1)
                 if dr * dr + dc * dc <= RADIUS * RADIUS and 0 <= r + dr < rows and 0 <= c + dc < cols]
    free = np.ones((rows, cols), bool)
    for r, c in known:
        free[max(0, r - BUFFER):r + BUFFER + 1, max(0, c - BUFFER):c + BUFFER + 1] = False
    candidates = np.argwhere(free)
    negatives = candidates[rng.choice(len(candidates), BACKGROUND, replace=False)]
    window = windows_of(stack)
    x = np.stack([window(r, c) for r, c in positives] + [window(r, c) for r, c in negatives])
    y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))].astype(np.float32)
    return torch.tensor(x), torch.tensor(y), len(negatives) / len(positives)


class Model(nn.Module):
    def __init__(self, channels, kind):
        super().__init__()
        self.kind = kind
        self.linear = nn.Linear(channels, 1)
        self.network = nn.Sequential(
            nn.Conv2d(channels, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Dropout(0.5), nn.Linear(16, 1))

    def forward(self, x):
        centre = self.linear(x[:, :, WINDOW // 2, WINDOW // 2]).squeeze(1)
        if self.kind == "linear":
            return centre
        if self.kind == "linear+network":  # the linear model as a skip path beside the network
            return centre + self.network(x).squeeze(1)
        return self.network(x).squeeze(1)


def fitted_map(stack, known, kind, epochs, seed):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    x, y, weight = training_set(stack, known, rng)
    model = Model(stack.shape[0], kind)
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-2 if kind == "linear" else 3e-3, weight_decay=0.01)
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(x))
        for start in range(0, len(x), 64):
            batch = order[start:start + 64]
            xb = x[batch]
            if kind != "linear":
                xb = torch.rot90(xb, int(rng.integers(4)), (2, 3))
                if rng.random() < 0.5:
                    xb = torch.flip(xb, (3,))
            loss = F.binary_cross_entropy_with_logits(model(xb), y[batch], pos_weight=torch.tensor(weight))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    model.eval()
    window = windows_of(stack)
    rows, cols = stack.shape[1:]
    coarse = np.zeros((len(range(0, rows, STRIDE)), len(range(0, cols, STRIDE))), np.float32)
    with torch.no_grad():
        for i, r in enumerate(range(0, rows, STRIDE)):
            coarse[i] = model(torch.tensor(np.stack([window(r, c) for c in range(0, cols, STRIDE)]))).numpy()
    return np.kron(coarse, np.ones((STRIDE, STRIDE)))[:rows, :cols]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="small")
    parser.add_argument("--cell", type=int, default=200)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(2)
    with tempfile.TemporaryDirectory() as folder:
        stack, _, known, hidden = export(folder, args.preset, args.cell)
    stack = stack.astype(np.float32)
    stack = (stack - stack.mean((1, 2), keepdims=True)) / (stack.std((1, 2), keepdims=True) + 1e-6)
    rank = lambda m: (np.argsort(np.argsort(m.ravel())) / m.size).reshape(m.shape)
    print(f"preset {args.preset}, {len(known)} known and {len(hidden)} hidden deposits")
    print("model                       known area  hidden area  hidden top 10 %")
    means = {}
    for kind, epochs in [("linear", 5), ("network", 1), ("network", 5), ("linear+network", 1)]:
        maps = [fitted_map(stack, known, kind, epochs, seed) for seed in range(1, args.seeds + 1)]
        for seed, m in enumerate(maps, 1):
            print(f"{kind:8s} {epochs} epochs, seed {seed}   {score(m, known)[0]:.3f}       {score(m, hidden)[0]:.3f}        {score(m, hidden)[1]:.2f}")
        mean = np.mean([rank(m) for m in maps], 0)
        print(f"{kind:8s} {epochs} epochs, mean map  {score(mean, known)[0]:.3f}       {score(mean, hidden)[0]:.3f}        {score(mean, hidden)[1]:.2f}")
        means[(kind, epochs)] = mean
    mix = 0.5 * means[("linear", 5)] + 0.5 * means[("network", 1)]
    print(f"rank mean of linear and network (1 epoch)  {score(mix, known)[0]:.3f}       {score(mix, hidden)[0]:.3f}        {score(mix, hidden)[1]:.2f}")


if __name__ == "__main__":
    main()
