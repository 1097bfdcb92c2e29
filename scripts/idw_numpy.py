#!/usr/bin/env python3
"""Vectorised NumPy brute-force IDW (power 2, all samples), the reference for `lode bench idw`.

Reads the cleaned samples (x, y, one column per element, nan = missing), computes the chosen
grid rows in float64 and writes them (rows x elements x cols, float64, little-endian) to --out.
Prints `NUMPY {"seconds": ...}` with the time of the computation alone.
"""
import argparse
import json
import time

import numpy as np


def idw_rows(x, y, values, west, north, cell, cols, rows):
    cx = west + (np.arange(cols) + 0.5) * cell
    present = ~np.isnan(values)                      # samples x elements
    filled = np.where(present, values, 0.0)
    out = np.empty((len(rows), values.shape[1], cols))
    for k, row in enumerate(rows):
        cy = north - (row + 0.5) * cell
        d2 = (cx[:, None] - x[None, :]) ** 2 + (cy - y[None, :]) ** 2   # cols x samples
        exact = d2 == 0
        with np.errstate(divide="ignore"):
            w = np.where(exact, 0.0, 1.0 / d2)
        num = w @ filled                               # cols x elements
        den = w @ present.astype(np.float64)
        result = num / den
        hit = exact.any(axis=1)
        if hit.any():
            for c in np.nonzero(hit)[0]:
                at = exact[c]
                for e in range(values.shape[1]):
                    sel = at & present[:, e]
                    if sel.any():
                        result[c, e] = values[sel, e].mean()
        out[k] = result.T
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", required=True)
    parser.add_argument("--west", type=float, required=True)
    parser.add_argument("--north", type=float, required=True)
    parser.add_argument("--cell", type=float, required=True)
    parser.add_argument("--cols", type=int, required=True)
    parser.add_argument("--rows", required=True, help="comma-separated grid rows")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    table = np.genfromtxt(args.samples, delimiter=",", names=True)
    names = table.dtype.names
    x = table[names[0]].astype(np.float64)
    y = table[names[1]].astype(np.float64)
    values = np.stack([table[n].astype(np.float64) for n in names[2:]], axis=1)
    rows = [int(r) for r in args.rows.split(",")]
    start = time.perf_counter()
    out = idw_rows(x, y, values, args.west, args.north, args.cell, args.cols, rows)
    seconds = time.perf_counter() - start
    out.astype("<f8").tofile(args.out)
    print("NUMPY " + json.dumps({"seconds": seconds, "rows": len(rows)}))


if __name__ == "__main__":
    main()
