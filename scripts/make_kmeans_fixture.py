#!/usr/bin/env python3
"""Writes Tests/LodeGeoTests/Fixtures/kmeans_lloyd.json: scikit-learn's Lloyd K-means from fixed
initial centres on seeded random data (3 blobs + noise, 2 features), the reference for
LodeGeo's K-means. Run with a Python that has scikit-learn:  python scripts/make_kmeans_fixture.py
"""
import json
import os

import numpy as np
from sklearn.cluster import KMeans

rng = np.random.default_rng(20261127)
blobs = [rng.normal(loc, scale, size=(n, 2)) for loc, scale, n in
         [((0.0, 0.0), 0.6, 60), ((3.0, 1.0), 0.8, 50), ((1.0, 4.0), 0.7, 40)]]
data = np.vstack(blobs + [rng.uniform(-2, 6, size=(30, 2))])
cases = []
for k, seed, tol in [(3, 1, 0.0), (5, 2, 0.0), (6, 3, 1e-2)]:
    pick = np.random.default_rng(seed).choice(len(data), size=k, replace=False)
    init = data[pick]
    model = KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd", tol=tol, max_iter=300).fit(data)
    cases.append({"k": k, "tol": tol, "initial_centres": init.tolist(), "centres": model.cluster_centers_.tolist(),
                  "labels": model.labels_.tolist(), "inertia": float(model.inertia_)})
out = os.path.join(os.path.dirname(__file__), "..", "Tests", "LodeGeoTests", "Fixtures", "kmeans_lloyd.json")
with open(out, "w") as f:
    json.dump({"data": data.tolist(), "cases": cases}, f)
print("wrote", os.path.normpath(out))
