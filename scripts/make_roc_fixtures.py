"""Reference ROC curves and AUCs from scikit-learn for LodeEval's tests.

Writes Tests/LodeEvalTests/Fixtures/roc_cases.json. Run with a Python that has scikit-learn:
    python scripts/make_roc_fixtures.py
The first threshold (+inf) is left out of the file because JSON has no infinity.
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.metrics import roc_auc_score, roc_curve

rng = np.random.default_rng(20261127)


def case(name, labels, scores):
    labels = np.asarray(labels, dtype=int)
    scores = np.asarray(scores, dtype=float)
    out = {"name": name, "labels": labels.tolist(), "scores": scores.tolist(),
           "auc": float(roc_auc_score(labels, scores))}
    for drop in (True, False):
        fpr, tpr, thr = roc_curve(labels, scores, drop_intermediate=drop)
        assert np.isinf(thr[0])
        key = "dropped" if drop else "full"
        out[key] = {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": thr[1:].tolist()}
    return out


cases = []
n = 200
labels = rng.integers(0, 2, n)
cases.append(case("continuous", labels, rng.normal(labels * 1.0, 1.0)))
labels = rng.integers(0, 2, 300)
cases.append(case("heavy_ties_one_decimal", labels, np.round(rng.uniform(0, 1, 300) * 0.6 + labels * 0.4, 1)))
labels = rng.integers(0, 2, 150)
cases.append(case("heavy_ties_five_levels", labels, rng.integers(0, 5, 150) + labels))
labels = (rng.uniform(0, 1, 400) < 0.1).astype(int)
cases.append(case("imbalanced", labels, rng.beta(2 + 3 * labels, 5, 400)))
cases.append(case("all_scores_equal", [0, 1, 0, 1, 1, 0, 0], [0.3] * 7))
cases.append(case("binary_scores", [0, 0, 1, 1, 0, 1, 1, 0, 1, 0], [0, 1, 1, 1, 0, 0, 1, 0, 1, 1]))
cases.append(case("perfect", [0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.8, 0.9]))
cases.append(case("inverted", [1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4]))

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/LodeEvalTests/Fixtures/roc_cases.json"
path.write_text(json.dumps({"generator": f"scikit-learn {sklearn.__version__}", "cases": cases}))
print(f"wrote {len(cases)} cases to {path}")
