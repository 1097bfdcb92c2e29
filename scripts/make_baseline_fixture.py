"""Writes Tests/LodeEvalTests/Fixtures/baseline_cases.json: scikit-learn's answers on small
stored cases, the reference of Lode's per-cell baselines (BaselineReferenceTests).

Run once in a throwaway environment with scikit-learn:
    python3 -m venv /tmp/sk && /tmp/sk/bin/pip install scikit-learn numpy
    /tmp/sk/bin/python scripts/make_baseline_fixture.py
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.tree import DecisionTreeClassifier

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/LodeEvalTests/Fixtures/baseline_cases.json"
rng = np.random.default_rng(13)


def logistic_case():
    # Overlapping classes (no separation), so the penalised optimum is well defined.
    n, d = 150, 4
    x = rng.normal(size=(n, d))
    true_w = np.array([1.2, -0.7, 0.0, 0.4])
    p = 1 / (1 + np.exp(-(x @ true_w - 0.5)))
    y = (rng.uniform(size=n) < p).astype(int)
    c = 0.5
    model = LogisticRegression(C=c, tol=1e-12, max_iter=10000, solver="newton-cg").fit(x, y)
    return {
        "x": x.tolist(), "y": y.tolist(), "l2": 1 / c,
        "coefficients": model.coef_[0].tolist(), "intercept": float(model.intercept_[0]),
        "probabilities": model.predict_proba(x)[:, 1].tolist(),
    }


def tree_data(n, d):
    # Float32 features (scikit-learn's trees work in float32) and a nonlinear rule with noise.
    x = rng.normal(size=(n, d)).astype(np.float32)
    score = x[:, 0] * x[:, 1] + np.sin(2 * x[:, 2]) + 0.5 * x[:, 3] + 0.6 * rng.normal(size=n)
    y = (score > 0.2).astype(int)
    return x, y


def preorder(tree):
    t = tree.tree_
    nodes = []

    def visit(i):
        value = t.value[i][0]
        leaf = t.children_left[i] == -1
        nodes.append({
            "feature": -1 if leaf else int(t.feature[i]),
            "threshold": 0.0 if leaf else float(t.threshold[i]),
            "probability": float(value[1] / value.sum()),
            "samples": int(t.n_node_samples[i]),
        })
        if not leaf:
            visit(t.children_left[i])
            visit(t.children_right[i])

    visit(0)
    return nodes


def tree_case():
    depth = 4
    # The tree must not depend on scikit-learn's random feature order (no tied splits), or the
    # comparison would test a coin toss: draw data until 30 random states grow the same tree.
    for attempt in range(50):
        x, y = tree_data(400, 5)
        tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(x, y)
        if all(preorder(DecisionTreeClassifier(max_depth=depth, random_state=state).fit(x, y)) == preorder(tree)
               for state in range(1, 30)):
            break
    else:
        raise SystemExit("every draw had tied splits")
    x_test, _ = tree_data(200, 5)
    return {
        "x": x.astype(float).tolist(), "y": y.tolist(), "max_depth": depth,
        "nodes": preorder(tree),
        "x_test": x_test.astype(float).tolist(),
        "probabilities_test": tree.predict_proba(x_test)[:, 1].tolist(),
    }


def forest_case():
    x, y = tree_data(600, 6)
    x_test, y_test = tree_data(600, 6)
    forest = RandomForestClassifier(n_estimators=200, max_features="sqrt", random_state=0).fit(x, y)
    p = forest.predict_proba(x_test)[:, 1]
    return {
        "x": x.astype(float).tolist(), "y": y.tolist(),
        "x_test": x_test.astype(float).tolist(), "y_test": y_test.tolist(),
        "trees": 200, "auc": float(roc_auc_score(y_test, p)), "accuracy": float(accuracy_score(y_test, p > 0.5)),
    }


def balanced_forest_case():
    # Rare positives (as deposits among background cells): class weights from each bootstrap
    # sample ("balanced_subsample") lift the positives' share in every leaf.
    x, y = tree_data(800, 6)
    keep = (y == 0) | (rng.uniform(size=y.size) < 0.12)
    x, y = x[keep], y[keep]
    x_test, y_test = tree_data(600, 6)
    forest = RandomForestClassifier(n_estimators=200, max_features="sqrt", min_samples_leaf=5,
                                    class_weight="balanced_subsample", random_state=0).fit(x, y)
    p = forest.predict_proba(x_test)[:, 1]
    plain = RandomForestClassifier(n_estimators=200, max_features="sqrt", min_samples_leaf=5, random_state=0).fit(x, y)
    return {
        "x": x.astype(float).tolist(), "y": y.tolist(),
        "x_test": x_test.astype(float).tolist(), "y_test": y_test.tolist(), "trees": 200, "min_leaf": 5,
        "auc": float(roc_auc_score(y_test, p)), "mean_probability": float(p.mean()),
        "mean_probability_unweighted": float(plain.predict_proba(x_test)[:, 1].mean()),
    }


def main():
    cases = {"sklearn": sklearn.__version__, "logistic": logistic_case(), "tree": tree_case(), "forest": forest_case(),
             "forest_balanced": balanced_forest_case()}
    OUT.write_text(json.dumps(cases))
    print(f"wrote {OUT} (scikit-learn {sklearn.__version__}); forest AUC {cases['forest']['auc']:.4f}")


if __name__ == "__main__":
    main()
