"""Trains one of Lode's models on a dataset Lode exported, on one process or many.

    torchrun --nproc_per_node=4 -m lode_torch.train windows.safetensors --model ssgsnet \
        --preset paper --epochs 50 --batch 32 --lr 1e-5 --lr-min 1e-6 --out ssgsnet.safetensors

Under torchrun each process trains on its share of every batch (DistributedDataParallel; NCCL on
GPUs, gloo on CPUs). `--batch` is the global batch, as in Lode's `train(batch:)`, split evenly
over the processes. Rank 0 validates after each epoch and writes the checkpoint (Lode's format)
after each epoch, so a job stopped half way leaves the last finished epoch's model.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from safetensors.torch import load_file
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from .checkpoint import save_checkpoint
from .data import load_dataset
from .models import MODELS, PRESETS, build_model, config_for


def parse_arguments(argv=None):
    p = argparse.ArgumentParser(prog="python -m lode_torch.train", description=__doc__.split("\n\n")[0])
    p.add_argument("dataset", help="a dataset written by Lode's export_dataset(data, \"windows.safetensors\")")
    p.add_argument("--model", default="ssgsnet", choices=sorted(MODELS), help="architecture (default ssgsnet)")
    p.add_argument("--preset", default="paper", choices=sorted(PRESETS), help="model size, as Lode's preset: (default paper)")
    p.add_argument("--widths", type=lambda s: [int(w) for w in s.split(",")], default=None,
                   help="spectral-spatial widths, e.g. 32,64,128 (as Lode's widths:)")
    p.add_argument("--epochs", type=int, default=50, help="passes over the training windows (default 50)")
    p.add_argument("--batch", type=int, default=32, help="global batch: windows per step over all processes (default 32)")
    p.add_argument("--lr", type=float, default=1e-5, help="learning rate; the maximum when --lr-min is given (default 1e-5)")
    p.add_argument("--lr-min", type=float, default=None, help="cosine decay per step from --lr to this (Lode's cosine(max, min))")
    p.add_argument("--weight-decay", type=float, default=0.0, help="Adam's L2 penalty (default 0)")
    p.add_argument("--seed", type=int, default=0, help="seed of the initial weights and the batch order (default 0)")
    p.add_argument("--keep", default="last", choices=["last", "best"],
                   help="the checkpoint keeps the last epoch, or the epoch of lowest validation loss (default last)")
    p.add_argument("--init", default=None, help="start from these weights (a Lode or lode_torch checkpoint of the same model)")
    p.add_argument("--out", default="model.safetensors", help="where the checkpoint goes (default model.safetensors)")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"], help="auto: a GPU per process when there are GPUs")
    p.add_argument("--threads", type=int, default=None, help="CPU threads per process (default: torch's choice)")
    p.add_argument("--sync-batchnorm", action="store_true", help="BatchNorm statistics over all processes' batches (GPU only)")
    args = p.parse_args(argv)
    for name in ("epochs", "batch"):
        if getattr(args, name) < 1:
            p.error(f"--{name} must be at least 1")
    if args.lr <= 0 or (args.lr_min is not None and not 0 <= args.lr_min <= args.lr):
        p.error("--lr must be positive and --lr-min between 0 and --lr")
    return args


def fail(message):
    print(f"lode_torch.train: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def setup(args):
    """(rank, world size, device); joins the process group when started by torchrun."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    use_cuda = args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available())
    if use_cuda and not torch.cuda.is_available():
        fail("--device cuda but torch sees no GPU")
    device = torch.device(f"cuda:{local}" if use_cuda else "cpu")
    if use_cuda:
        torch.cuda.set_device(device)
    if world > 1:
        dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    return rank, world, device


def auc(scores, labels):
    """Area under the ROC curve by ranks (ties share their mean rank); nan with one class only."""
    positives = int(labels.sum())
    negatives = labels.numel() - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    order = torch.argsort(scores)
    sorted_scores = scores[order]
    ranks = torch.empty_like(scores, dtype=torch.float64)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[labels == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


@torch.no_grad()
def evaluate(model, windows, labels, device, batch=256):
    model.eval()
    logits = torch.cat([model(windows[i:i + batch].to(device)).float().cpu() for i in range(0, len(windows), batch)])
    loss = float(F.cross_entropy(logits, labels))
    accuracy = float((logits.argmax(dim=1) == labels).float().mean())
    return {"val_loss": loss, "val_accuracy": accuracy, "val_auc": auc(torch.softmax(logits, dim=1)[:, 1], labels)}


def main(argv=None):
    args = parse_arguments(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    rank, world, device = setup(args)
    if args.batch % world:
        fail(f"--batch {args.batch} does not split evenly over {world} processes")
    try:
        data = load_dataset(args.dataset)
    except (OSError, ValueError) as error:
        fail(str(error))
    if len(data.train_indices) == 0:
        fail(f"{args.dataset} has no training windows")
    if data.labels.min() < 0 or data.labels.max() > 1:
        fail(f"{args.dataset}: labels must be 0 (barren) or 1 (deposit); found {sorted(set(data.labels.tolist()))[:5]}")
    try:
        cfg = config_for(args.preset, data.channels, data.window, args.widths)
    except ValueError as error:
        fail(f"{error} (windows of {args.dataset} are {data.window}x{data.window})")

    torch.manual_seed(args.seed)  # the same initial weights in every process
    model = build_model(args.model, cfg)
    if args.init:
        try:
            state = {k: v for k, v in load_file(args.init).items() if not k.startswith("optimizer.")}
        except Exception as error:
            fail(f"--init {args.init}: cannot read it ({error})")
        missing, unexpected = model.load_state_dict(state, strict=False)
        missing = [k for k in missing if not k.endswith("num_batches_tracked")]
        if missing or unexpected:
            fail(f"{args.init} does not fit {args.model} ({args.preset}): missing {missing[:3]}, unexpected {unexpected[:3]}")
    model.to(device)
    if args.sync_batchnorm and world > 1:
        if device.type != "cuda":
            fail("--sync-batchnorm needs GPUs")
        model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    net = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None) if world > 1 else model

    train = TensorDataset(data.windows[data.train_indices], data.labels[data.train_indices])
    sampler = DistributedSampler(train, num_replicas=world, rank=rank, shuffle=True, seed=args.seed) if world > 1 else None
    generator = torch.Generator().manual_seed(args.seed)
    loader = DataLoader(train, batch_size=args.batch // world, shuffle=sampler is None, sampler=sampler, generator=generator,
                        pin_memory=device.type == "cuda")
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    total_steps = args.epochs * len(loader)
    if args.lr_min is not None:
        # Lode's cosine(max, min): per step, from max to min over the whole run.
        low = args.lr_min / args.lr
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda step: low + (1 - low) * (1 + math.cos(math.pi * min(step, total_steps) / total_steps)) / 2)
    else:
        schedule = None
    validation = (data.windows[data.validation_indices], data.labels[data.validation_indices])
    if rank == 0 and not len(validation[1]):
        print(f"warning: {args.dataset} has no validation windows (split it in Lode with split()); "
              f"epochs are judged by their training loss" + (", so --keep best keeps the lowest training loss" if args.keep == "best" else ""),
              file=sys.stderr, flush=True)
    if rank == 0:
        print(f"{model.display_name} ({args.preset}) on {len(train)} training and {len(validation[1])} validation windows "
              f"of {data.channels}x{data.window}x{data.window}; {world} process(es) on {device.type}, "
              f"batch {args.batch}, {args.epochs} epochs", flush=True)

    history, best = [], math.inf
    options = {k: v for k, v in vars(args).items() if k not in ("dataset", "out", "init")}
    for epoch in range(1, args.epochs + 1):
        if sampler is not None:
            sampler.set_epoch(epoch)
        net.train()
        started, loss_sum, seen = time.time(), torch.zeros(2, dtype=torch.float64), 0
        for x, y in loader:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            loss = F.cross_entropy(net(x), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if schedule is not None:
                schedule.step()
            loss_sum += torch.tensor([float(loss.detach()) * len(y), len(y)], dtype=torch.float64)
        if world > 1:
            dist.all_reduce(loss_sum)
        row = {"epoch": epoch, "train_loss": float(loss_sum[0] / loss_sum[1]), "seconds": round(time.time() - started, 3)}
        if rank == 0:
            if len(validation[1]):
                row.update(evaluate(model, *validation, device))
            history.append(row)
            score = row.get("val_loss", row["train_loss"])
            if args.keep == "last" or score < best:
                best = score
                save_checkpoint(model, args.model, cfg, args.out, layers=data.layers, preset=args.preset,
                                extra={"trained_with": f"lode_torch (PyTorch {torch.__version__}, {world} process(es) on {device.type})",
                                       "torch_training": options, "torch_history": history, "torch_epoch": str(epoch),
                                       "dataset": os.path.basename(args.dataset)})
            print("epoch {epoch}/{total}  loss {train_loss:.4f}".format(total=args.epochs, **row)
                  + ("  val_loss {val_loss:.4f}  val_accuracy {val_accuracy:.3f}  val_auc {val_auc:.3f}".format(**row) if "val_loss" in row else "")
                  + f"  {row['seconds']:.1f} s", flush=True)
        if world > 1:
            dist.barrier()  # nobody starts the next epoch before the checkpoint is written
    if rank == 0:
        print(f"wrote {args.out}; in Lode: load_weights({args.model}(channels: {data.channels}, preset: \"{args.preset}\", "
              f"window: {data.window}{', widths: ' + json.dumps(args.widths) if args.widths else ''}), \"{args.out}\")", flush=True)
    if world > 1:
        leave_process_group(rank, world)


def leave_process_group(rank, world, timeout=600.0):
    """Waits on the rendezvous store until every process has finished, then ends this one at once.

    gloo's teardown straight after a collective can abort a process whose peer is closing its side
    at the same moment (pytorch/gloo#155; here: 'terminate called without an active exception' in
    one process after the checkpoint was written, so torchrun failed a finished job). The store is
    a TCP connection of its own, so waiting on it sends nothing through gloo; once every process
    is past it, no collective is in flight and nothing is left worth tearing down: output is
    flushed and the process exits without running gloo's destructors."""
    store = dist.distributed_c10d._get_default_store()
    store.add("lode_torch/finished", 1)
    deadline = time.time() + timeout
    while store.add("lode_torch/finished", 0) < world:
        if time.time() > deadline:
            print(f"lode_torch.train: warning: process {rank} waited {timeout:.0f} s for the others to finish",
                  file=sys.stderr, flush=True)
            break
        time.sleep(0.01)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
