"""Writes ../resources/reference/optimizer-reference.json: parameters after 4 steps of torch.optim optimizers
on fixed parameters and a fixed gradient sequence, in float64 and float32. OptimizerTest replays the same
gradients and compares. Run: /usr/bin/python3 optimizer_reference.py (needs PyTorch; made with torch 1.13)."""
import json
import os

import torch

P0 = [0.5, -1.25, 3.0, 1e-3, -0.0625, 2.5, -4.0]
GRADS = [
    [0.1, -0.2, 0.3, 1e-6, -5.0, 0.0, 2.0],
    [-0.05, 0.4, 0.3, -1e-6, 4.0, 0.0, -2.0],
    [0.2, 0.1, -0.7, 3e-6, -3.0, 1e-9, 1.5],
    [0.0, -0.3, 0.25, 0.0, 2.0, -1e-9, -1.0],
]
CONFIGS = {
    "sgd": ("SGD", dict(lr=0.1)),
    "sgd_weight_decay": ("SGD", dict(lr=0.1, weight_decay=0.05)),
    "momentum": ("SGD", dict(lr=0.1, momentum=0.9)),
    "momentum_dampening_weight_decay": ("SGD", dict(lr=0.1, momentum=0.8, dampening=0.25, weight_decay=0.01)),
    "nesterov": ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    "nesterov_weight_decay": ("SGD", dict(lr=0.05, momentum=0.5, nesterov=True, weight_decay=0.1)),
    "adam_defaults": ("Adam", dict()),
    "adam": ("Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6)),
    "adam_weight_decay": ("Adam", dict(lr=0.01, weight_decay=0.1)),
    "adamw_defaults": ("AdamW", dict()),
    "adamw": ("AdamW", dict(lr=0.01, weight_decay=0.1, betas=(0.85, 0.995), eps=1e-7)),
}


def run(name, kwargs, dtype):
    p = torch.nn.Parameter(torch.tensor(P0, dtype=dtype))
    opt = getattr(torch.optim, name)([p], **kwargs)
    after = []
    for g in GRADS:
        p.grad = torch.tensor(g, dtype=dtype)
        opt.step()
        after.append([float(v) for v in p.detach()])
    return after


out = {"torch": torch.__version__, "p0": P0, "grads": GRADS, "configs": {}}
for key, (name, kwargs) in CONFIGS.items():
    out["configs"][key] = {
        "optimizer": name,
        "kwargs": {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items()},
        "float64": run(name, kwargs, torch.float64),
        "float32": run(name, kwargs, torch.float32),
    }
path = os.path.join(os.path.dirname(__file__), "..", "resources", "reference", "optimizer-reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path)
