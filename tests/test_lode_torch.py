"""Scale-out onto PyTorch (python/lode_torch, docs/scale.md): a survey's windows exported by Lode,
trained under torchrun with two processes (DistributedDataParallel, gloo, CPU), and the checkpoint
loaded back in Lode, whose logits and map must be the PyTorch model's.

Needs torch and lode_torch in the test venv: `make test-torch` installs both and runs this file
(tests/conftest.py leaves it out of `make test`).
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from lode_torch import Config, build_model, load_checkpoint, load_dataset

LODE = os.path.abspath(os.environ.get("LODE_BIN", ".build/release/lode"))
FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "fixtures"


def lode_run(folder, source, timeout=600):
    script = folder / "script.lode"
    script.write_text(source)
    result = subprocess.run([LODE, "run", str(script)], capture_output=True, text=True, cwd=folder, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result


def printed(result, label):
    """The JSON printed after `label=` on its own line."""
    line = next(l for l in result.stdout.splitlines() if l.startswith(label + "="))
    return json.loads(line[len(label) + 1:])


@pytest.mark.parametrize("name", ["ssgsnet", "ssgsnet_prenorm", "resnet", "vit", "dualbranch"])
def test_models_reproduce_the_reference_logits(name):
    """The package's models, given the reference fixtures' weights (trained buffers), give the
    reference's evaluation logits: same keys, shapes and forward passes."""
    with safe_open(str(FIXTURES / f"model_{name}.safetensors"), "pt") as f:
        meta = f.metadata()
        model = build_model(meta["model"], Config(**json.loads(meta["config"])))
        state = {k[len("param."):]: f.get_tensor(k) for k in f.keys() if k.startswith("param.")}
        state.update({k[len("train.buffer."):]: f.get_tensor(k) for k in f.keys() if k.startswith("train.buffer.")})
        x, expected = f.get_tensor("input.x"), f.get_tensor("eval.logits")
    own = {k for k in model.state_dict() if not k.endswith("num_batches_tracked")}
    assert own == set(state), sorted(own ^ set(state))[:5]
    model.load_state_dict(state, strict=False)
    with torch.no_grad():
        logits = model.eval()(x)
    assert torch.allclose(logits, expected, atol=1e-5, rtol=0), (logits - expected).abs().max()


def test_auc_by_ranks_matches_hand_counts():
    """Positives above negatives over all pairs: 3 of 4 pairs; a tie counts one half."""
    from lode_torch.train import auc
    assert auc(torch.tensor([0.1, 0.4, 0.35, 0.8]), torch.tensor([0, 0, 1, 1])) == 0.75
    assert auc(torch.tensor([0.5, 0.5, 0.2]), torch.tensor([0, 1, 0])) == 0.75


def test_training_refuses_files_that_are_not_lode_datasets(tmp_path):
    (tmp_path / "junk.safetensors").write_text("not a dataset")
    save_file({"windows": torch.zeros(4, 3, 18, 18), "labels": torch.tensor([0, 1, 0, 1]), "sites": torch.arange(4)},
              str(tmp_path / "odd.safetensors"), metadata={"format": "lode-dataset-1", "layers": '["a", "b", "c"]'})
    for name, message in [("missing.safetensors", "missing.safetensors: no such file"),
                          ("junk.safetensors", "junk.safetensors is not a safetensors file"),
                          ("odd.safetensors", "window 18 must be a multiple of patch 4 (windows of odd.safetensors are 18x18)")]:
        result = subprocess.run([sys.executable, "-m", "lode_torch.train", name, "--device", "cpu"],
                                capture_output=True, text=True, cwd=tmp_path, timeout=300)
        assert result.returncode == 2, result.stderr
        assert "lode_torch.train: error: " in result.stderr and message in result.stderr, result.stderr


def test_export_dataset_writes_lodes_windows(tmp_path):
    """The file holds the dataset Lode has: windows, labels, sites, split and layer names."""
    result = lode_run(tmp_path, 'use "pipeline"\n'
                      'prep = prepare(synthetic_survey(preset: "small", seed: 42), quick: true)\n'
                      'd = prep.data\n'
                      'export_dataset(d, "out/windows.safetensors")\n'
                      'x = d.tensor\n'
                      'print("labels=" + str(d.labels))\n'
                      'print("layers=[\\"" + join(d.layers, "\\", \\"") + "\\"]")\n'
                      'print("first=" + str(slice(reshape(x, [x.count]), 0, 0, 40).values))\n'
                      'print("val=" + str(d.val.count))\n')
    data = load_dataset(str(tmp_path / "out" / "windows.safetensors"))
    assert data.labels.tolist() == printed(result, "labels")
    assert data.layers == printed(result, "layers") and len(data.layers) == data.channels == 15
    assert data.window == 16
    assert torch.allclose(data.windows.flatten()[:40], torch.tensor(printed(result, "first")), atol=1e-6, rtol=0)
    assert len(data.validation_indices) == printed(result, "val") > 0
    assert sorted(data.train_indices.tolist() + data.validation_indices.tolist()) == list(range(len(data)))
    # Augmented copies keep their site: fewer sites than windows, every window names one.
    assert 0 < len(data.site_ids) < len(data)
    assert data.sites.min() == 0 and data.sites.max() == len(data.site_ids) - 1


def test_export_dataset_refuses_a_wrong_path(tmp_path):
    script = tmp_path / "bad.lode"
    script.write_text('use "pipeline"\nprep = prepare(synthetic_survey(preset: "small", seed: 42), quick: true)\n'
                      'export_dataset(prep.data, "windows.npz")\n')
    result = subprocess.run([LODE, "run", str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert result.returncode == 1
    assert "export_dataset(): 'windows.npz' does not end in .safetensors" in result.stderr


def test_two_process_training_round_trips_into_lode(tmp_path):
    """Lode exports, torchrun trains with 2 gloo processes, Lode loads the checkpoint: Lode's
    logits on the exported windows equal PyTorch's to 1e-4, and Lode's map at each deposit's
    cell is PyTorch's probability for that deposit's window."""
    lode_run(tmp_path, 'use "pipeline"\n'
             'prep = prepare(synthetic_survey(preset: "small", seed: 42), quick: true)\n'
             'export_dataset(prep.data, "windows.safetensors")\n'
             'export_dataset(prep.windows, "sites.safetensors")\n')

    train = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                            "-m", "lode_torch.train", "windows.safetensors", "--model", "ssgsnet", "--preset", "tiny",
                            "--epochs", "2", "--batch", "16", "--lr", "1e-3", "--lr-min", "1e-4", "--seed", "3",
                            "--device", "cpu", "--threads", "1", "--out", "model.safetensors"],
                           capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert train.returncode == 0, train.stdout + train.stderr
    assert "2 process(es) on cpu" in train.stdout
    assert re.search(r"epoch 2/2  loss [\d.]+  val_loss", train.stdout), train.stdout

    torch_model, meta = load_checkpoint(str(tmp_path / "model.safetensors"))
    assert meta["model"] == "ssgsnet" and meta["preset"] == "tiny"
    assert "2 process(es)" in meta["trained_with"]
    assert len(json.loads(meta["torch_history"])) == 2
    # Training moved the weights away from the same seed's fresh model.
    torch.manual_seed(3)
    fresh = build_model("ssgsnet", Config.from_json(meta["config"]))
    assert not torch.equal(fresh.head.weight, torch_model.head.weight)

    data = load_dataset(str(tmp_path / "windows.safetensors"))
    sites = load_dataset(str(tmp_path / "sites.safetensors"))
    assert sites.split == "" and sites.train_indices.tolist() == list(range(len(sites))) and len(sites.validation_indices) == 0
    with torch.no_grad():
        expected = torch_model(data.windows)
        site_probability = torch.softmax(torch_model(sites.windows), dim=1)[:, 1]
    with safe_open(str(tmp_path / "sites.safetensors"), "pt") as f:
        centre_x, centre_y = f.get_tensor("centre_x"), f.get_tensor("centre_y")

    result = lode_run(tmp_path, 'use "pipeline"\n'
                      'info = checkpoint_info("model.safetensors")\n'
                      'model = load_weights(model_named(info.model, info.channels, info.window, 0, preset: info.preset), "model.safetensors")\n'
                      'logits = forward(model, load_tensor("windows.safetensors", "windows"))\n'
                      'print("logits=" + str(logits.values))\n'
                      'print("layers=[\\"" + join(info.layers, "\\", \\"") + "\\"]")\n'
                      'prep = prepare(synthetic_survey(preset: "small", seed: 42), quick: true)\n'
                      'prob = predict_map(model, prep.stack, stride: 1)\n'
                      'e = prob.grid.extent\n'
                      'print("grid=" + str([prob.rows, prob.cols, prob.grid.cell, e.west, e.north]))\n'
                      'print("map=" + str(prob.values))\n')
    assert printed(result, "layers") == data.layers
    logits = torch.tensor(printed(result, "logits")).reshape(expected.shape)
    assert torch.allclose(logits, expected, atol=1e-4, rtol=0), (logits - expected).abs().max()

    rows, cols, cell, west, north = printed(result, "grid")
    prob_map = torch.tensor(printed(result, "map"), dtype=torch.float64).reshape(rows, cols)
    row = ((north - centre_y) / cell).floor().long().clamp(max=rows - 1)
    col = ((centre_x - west) / cell).floor().long().clamp(max=cols - 1)
    at_sites = prob_map[row, col].float()
    assert len(at_sites) >= 20
    assert torch.allclose(at_sites, site_probability, atol=1e-4, rtol=0), (at_sites - site_probability).abs().max()
