"""How close `lode demo`'s estimate comes to the run: runs the small demo (one epoch by default)
and compares the estimate's parts with the stages the report times. A timing, so a benchmark
run by hand on a quiet machine, not a test; ends with one `RESULT {json}` line.

    LODE_BIN=.build/release/lode python3 scripts/check_demo_estimate.py [--epochs 1]
"""
import argparse
import json
import os
import re
import subprocess
import tempfile

LODE = os.environ.get("LODE_BIN", ".build/release/lode")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run([LODE, "demo", "--epochs", str(args.epochs), "--output", folder],
                             capture_output=True, text=True, check=True).stdout
        report = open(os.path.join(folder, "report.md")).read()
    estimated = {}
    for name, duration in re.findall(r"^  ([a-zA-Z -]+): ((?:\d+ h )?(?:\d+ min )?(?:\d+ s)?) \(", out, re.M):
        estimated[name] = sum(int(n) * unit for n, unit in
                              [(m.group(1), {"h": 3600, "min": 60, "s": 1}[m.group(2)]) for m in re.finditer(r"(\d+) (h|min|s)", duration)])
    section = report.split("## Timings", 1)[1].split("\n## ", 1)[0]
    measured = {k.strip(): float(v) for k, v in re.findall(r"^\| ([a-zA-Z -]+) \| ([0-9.]+) \|$", section, re.M)}
    total_estimate = int(re.search(r"^estimated time: about .* \((\d+) s\)", out, re.M).group(1))
    total = float(re.search(r"done in (\d+) s; report at", out).group(1))
    stage = {"training": "training", "maps": "prospectivity maps", "SHAP": "SHAP", "map-level validation": "map-level validation"}
    result = {"bench": "demo_estimate", "epochs": args.epochs, "estimated_s": total_estimate, "measured_s": total,
              "ratio_total": total_estimate / total}
    for part, name in stage.items():
        if part in estimated and name in measured and measured[name] > 0:
            key = part.replace(" ", "_").replace("-", "_").lower()
            result[f"{key}_estimated_s"] = estimated[part]
            result[f"{key}_measured_s"] = measured[name]
            result[f"{key}_ratio"] = estimated[part] / measured[name]
            print(f"{part:22s} estimated {estimated[part]:6d} s   measured {measured[name]:8.1f} s")
    print(f"{'whole run':22s} estimated {total_estimate:6d} s   measured {total:8.1f} s")
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
