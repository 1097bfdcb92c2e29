import os

# test_lode_torch.py needs PyTorch and python/lode_torch, which `make test-torch` installs into the
# test venv before running it with LODE_TORCH_TESTS=1 (a missing torch then fails, never skips).
# `make test` does not collect it.
collect_ignore = [] if os.environ.get("LODE_TORCH_TESTS") == "1" else ["test_lode_torch.py"]
