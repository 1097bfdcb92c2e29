"""Expected values for Tests/LodeTensorTests/OptimizerTests.swift, from PyTorch.

  /path/to/venv-with-torch/bin/python scripts/optimizer_reference.py
Three steps of each optimiser on L = sum(0.5 * c * p**2 + d * p) from p0, and the learning
rates of the schedules; prints Swift array literals that the test stores.
"""
import torch

P0 = [0.5, -1.2, 2.0, 0.1]
C = [1.0, 2.0, 0.5, 3.0]
D = [0.1, -0.3, 0.2, 0.0]


def run(make):
    p = torch.tensor(P0, dtype=torch.float32).reshape(2, 2).requires_grad_()
    c, d = torch.tensor(C).reshape(2, 2), torch.tensor(D).reshape(2, 2)
    opt = make([p])
    for _ in range(3):
        opt.zero_grad()
        (0.5 * c * p * p + d * p).sum().backward()
        opt.step()
    return p.detach().reshape(-1).tolist()


cases = {
    "sgdMomentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
    "sgdNesterovDecay": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "sgdPlain": lambda ps: torch.optim.SGD(ps, lr=0.1),
    "adam": lambda ps: torch.optim.Adam(ps, lr=0.1),
    "adamL2": lambda ps: torch.optim.Adam(ps, lr=0.1, weight_decay=0.1),
    "adamW": lambda ps: torch.optim.AdamW(ps, lr=0.1, weight_decay=0.1),
}
for name, make in cases.items():
    print(f"let {name}: [Float] = [{', '.join(repr(v) for v in run(make))}]")


def lrs(make_sched, steps):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=1e-5)
    sched = make_sched(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


cos = lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=1e-6), 11)
step = lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 8)
print(f"let cosine: [Double] = [{', '.join(repr(v) for v in cos)}]")
print(f"let stepDecay: [Double] = [{', '.join(repr(v) for v in step)}]")
