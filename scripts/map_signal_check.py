"""How much of the built-in survey's hidden deposits a map can find from 11 training deposits,
by model capacity: per-cell logistic regressions on the 15 stack layers, with and without
context features (each layer smoothed at 0.6 and 1.6 km and its gradient there), beside single
layers and a rank mix of the fault distance and the Au-family layers. docs/recipes.md quotes
its output: with 11 deposits every added degree of freedom costs more than context brings.

Run (throwaway environment; CI does not need it):
    python3 -m venv /tmp/sk && /tmp/sk/bin/pip install -r scripts/requirements-fixtures.txt scipy
    LODE=.build/release/lode /tmp/sk/bin/python scripts/map_signal_check.py [--preset paper]
"""
import csv
import os
import pathlib
import subprocess
import tempfile

import numpy as np
from scipy import ndimage
from sklearn.linear_model import LogisticRegression

NAMES = ["Au", "As", "Sb", "Hg", "Cu", "Pb", "Zn", "Bi", "Sn", "Mo", "W", "Co", "Li", "Ag", "faults"]
EXPORT = """use "validation"
survey = synthetic_survey(preset: preset, seed: 42)
setup = validation_setup(survey, cell: cell)
for layer in setup.stack.layers { save(layer, folder + "/" + layer.name + ".tif") }
save(setup.distance, folder + "/distance.tif")
save(survey.deposits, folder + "/known.csv")
save(survey.hidden, folder + "/hidden.csv")
"""


def export(folder, preset="small", cell=200):
    script = pathlib.Path(folder) / "export.lode"
    script.write_text(EXPORT)
    subprocess.run([os.environ.get("LODE", ".build/release/lode"), "run", str(script), f"folder={folder}", f"preset={preset}", f"cell={cell}"],
                   check=True, capture_output=True)
    def grid(name):
        asc = pathlib.Path(folder) / (name + ".asc")
        subprocess.run(["gdal_translate", "-q", "-of", "AAIGrid", str(pathlib.Path(folder) / (name + ".tif")), str(asc)], check=True)
        header = dict(line.split() for line in asc.read_text().splitlines()[:6])
        return np.loadtxt(asc, skiprows=6), header
    layers = [grid(n)[0] for n in NAMES]
    distance, header = grid("distance")
    west, south, cell = float(header["xllcorner"]), float(header["yllcorner"]), float(header["cellsize"])
    north = south + cell * distance.shape[0]
    def cells(name):
        return [(int((north - float(r["Y"])) // cell), int((float(r["X"]) - west) // cell))
                for r in csv.DictReader(open(pathlib.Path(folder) / name))]
    return np.stack(layers), distance, cells("known.csv"), cells("hidden.csv")


def score(values, deposits):
    """Success-rate area (mean percentile, ties halved) and share in the top 10 % of the area."""
    flat = values.ravel()
    pct = [(flat < values[r, c]).mean() + 0.5 * (flat == values[r, c]).mean() for r, c in deposits]
    return float(np.mean(pct)), float(np.mean([p >= 0.9 for p in pct]))


def logistic_map(features, known, c, rng, radius=2, background=2000):
    rows, cols = features.shape[1:]
    positives = [(r + dr, c_ + dc) for r, c_ in known for dr in range(-radius, radius + 1)
                 for dc in range(-radius, radius + 1) if dr * dr + dc * dc <= radius * radius]
    free = np.ones((rows, cols), bool)
    for r, c_ in known:
        free[max(0, r - 8):r + 9, max(0, c_ - 8):c_ + 9] = False
    candidates = np.argwhere(free)
    negatives = candidates[rng.choice(len(candidates), background, replace=False)]
    x = np.array([features[:, r, c_] for r, c_ in positives] + [features[:, r, c_] for r, c_ in negatives])
    y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
    mean, spread = x.mean(0), x.std(0) + 1e-9
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit((x - mean) / spread, y)
    flat = (features.reshape(features.shape[0], -1).T - mean) / spread
    return model.decision_function(flat).reshape(rows, cols)


def main():
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="small")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        stack, distance, known, hidden = export(folder, args.preset)
    rank = lambda m: (np.argsort(np.argsort(m.ravel())) / m.size).reshape(m.shape)
    print("map                                        hidden area  top 10 %")
    for name, m in [("minus distance to fault", -distance), ("Au", stack[0]),
                    ("rank mix 0.8 fault distance + 0.2 Au-As-Sb-Hg", 0.8 * rank(-distance) + 0.2 * rank(stack[:4].mean(0)))]:
        print(f"{name:44s} {score(m, hidden)[0]:.3f}        {score(m, hidden)[1]:.2f}")
    context = [stack]
    for sigma in (3, 8):
        context += [np.stack([ndimage.gaussian_filter(l, sigma) for l in stack]),
                    np.stack([ndimage.gaussian_gradient_magnitude(l, sigma) for l in stack])]
    context = np.concatenate(context)
    for label, features in [("15 cell values", stack), ("+ 60 context features", context)]:
        for c in (0.001, 0.01, 0.1, 1.0):
            a, t = score(logistic_map(features, known, c, np.random.default_rng(0)), hidden)
            print(f"logistic, {label:22s} C={c:<5} {a:.3f}        {t:.2f}")


if __name__ == "__main__":
    main()
