"""Reference Shapley values for LodeEval's exact SHAP test.

A 15-feature value table v(S) (bit i of the row index = feature i present) is explained
with shap.ExactExplainer: the model looks its input's coalition up in the table, the
background is the all-absent row and the explained row is all-present, so shap's values are
the exact Shapley values of v. The same values are also computed by the Shapley formula with
itertools, and the two must agree before the fixture is written.

    python scripts/make_shap_fixtures.py   # needs numpy and shap
Writes Tests/LodeEvalTests/Fixtures/shap_table15.json.
"""
import itertools
import json
import math
import pathlib

import numpy as np
import shap

M = 15
rng = np.random.default_rng(15)
bits = ((np.arange(1 << M)[:, None] >> np.arange(M)) & 1).astype(float)
# Main effects, pairwise and three-way interactions plus a saturating term, rounded so the
# stored table is exactly what shap saw.
main = rng.normal(0, 1, M)
pair = rng.normal(0, 0.3, (M, M))
triple = [(tuple(rng.choice(M, 3, replace=False)), rng.normal(0, 0.5)) for _ in range(10)]
raw = bits @ main + np.einsum("ni,ij,nj->n", bits, np.triu(pair, 1), bits)
for (i, j, k), c in triple:
    raw += c * bits[:, i] * bits[:, j] * bits[:, k]
raw += 2 * np.tanh(bits.sum(1) / 4)
table = np.round(raw, 6)


def model(x):
    index = (np.rint(x).astype(np.int64) << np.arange(M)).sum(axis=1)
    return table[index]


masker = shap.maskers.Independent(np.zeros((1, M)), max_samples=1)
explanation = shap.ExactExplainer(model, masker)(np.ones((1, M)))
values = explanation.values[0]
base = float(explanation.base_values[0])


def brute_force(i):
    others = [j for j in range(M) if j != i]
    total = 0.0
    for size in range(M):
        weight = math.factorial(size) * math.factorial(M - size - 1) / math.factorial(M)
        for subset in itertools.combinations(others, size):
            mask = sum(1 << j for j in subset)
            total += weight * (table[mask | (1 << i)] - table[mask])
    return total


reference = np.array([brute_force(i) for i in range(M)])
assert np.max(np.abs(reference - values)) < 1e-9, np.max(np.abs(reference - values))
assert abs(base - table[0]) < 1e-12

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/LodeEvalTests/Fixtures/shap_table15.json"
path.write_text(json.dumps({
    "generator": f"shap {shap.__version__} ExactExplainer, checked against the Shapley formula",
    "features": M,
    "table": [float(f"{v:.6f}") for v in table],
    "shap_values": values.tolist(),
    "base_value": base,
    "full_value": float(table[-1]),
}))
print("wrote", path, "max |shap - formula| =", np.max(np.abs(reference - values)))
