#!/usr/bin/env python3
"""Rewrites the README's speed table from `scripts/bench_models.sh` output.

    for i in 1 2 3; do TORCH_PYTHON=… scripts/bench_models.sh; done > out/bench_models.txt
    scripts/speed_table.py out/bench_models.txt            # rewrites README.md in place
    scripts/speed_table.py out/bench_models.txt --print    # only prints the new section

Every RESULT line of the input is one run (the script asks for three, as the issue's acceptance
does). Each figure is shown as the range over the runs (lowest–highest), since one run on a
shared machine says little. Only the rows measured by bench_models.sh are rewritten: other rows
of the table between the markers (measured by other commands) are kept as they are.
"""
import argparse
import json
import os
import pathlib
import platform
import re
import sys

BEGIN = "<!-- speed-table: begin (scripts/speed_table.py writes this part) -->"
END = "<!-- speed-table: end -->"
HEADER = ["| what | Lode | reference | ratio | command |", "| --- | --- | --- | --- | --- |"]
COMMAND = "`TORCH_PYTHON=… scripts/bench_models.sh`"
# The rows this script owns: found again on the next run by their first cell.
OWNED = ("SSGSNet training", "SSGSNet inference", "peak memory")
REQUIRED = ("train_samples_per_s", "train_samples_per_s_reference", "infer_samples_per_s",
            "infer_samples_per_s_reference", "peak_rss_mib", "peak_rss_mib_reference")


def runs_from(text):
    """The JSON of every RESULT line of bench_models.sh output, in order."""
    runs = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("RESULT "):
            continue
        try:
            run = json.loads(line[len("RESULT "):])
        except json.JSONDecodeError as error:
            raise SystemExit(f"line {number}: the RESULT line is not JSON ({error})")
        missing = [key for key in REQUIRED if key not in run]
        if missing:
            raise SystemExit(f"line {number}: the RESULT line lacks {', '.join(missing)} "
                             "(is it bench_models.sh output, not a single `lode bench`?)")
        runs.append(run)
    if not runs:
        raise SystemExit("no RESULT line in the input: give the output of scripts/bench_models.sh")
    return runs


def grouped(value, digits):
    """A figure with a thin space between thousands (the README's style: 1 380)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ")


def spread(values, digits, unit=""):
    """'low–high unit' over the runs, or one figure when they agree at the shown precision."""
    low, high = grouped(min(values), digits), grouped(max(values), digits)
    figure = low if low == high else f"{low}–{high}"
    return f"{figure} {unit}".rstrip()


def rows_for(runs):
    """The three measured rows: training, inference (windows/s) and peak memory (MiB)."""
    def column(key):
        return [run[key] for run in runs]

    def ratios(lode_key, reference_key, reference_over_lode=False):
        pairs = zip(column(lode_key), column(reference_key))
        return [(r / l) if reference_over_lode else (l / r) for l, r in pairs]

    versions = sorted({run["reference_version"] for run in runs if run.get("reference_version")})
    torch = "PyTorch" + (f" {', '.join(versions)}" if versions else "")
    return [
        ["SSGSNet training, paper config, batch 32", spread(column("train_samples_per_s"), 1, "windows/s"),
         f"{torch}: {spread(column('train_samples_per_s_reference'), 1)}",
         spread(ratios("train_samples_per_s", "train_samples_per_s_reference"), 2), COMMAND],
        ["SSGSNet inference, batch 32", spread(column("infer_samples_per_s"), 1, "windows/s"),
         f"PyTorch: {spread(column('infer_samples_per_s_reference'), 1)}",
         spread(ratios("infer_samples_per_s", "infer_samples_per_s_reference"), 2), "(same)"],
        ["peak memory of those runs", spread(column("peak_rss_mib"), 0, "MiB"),
         f"PyTorch: {spread(column('peak_rss_mib_reference'), 0, 'MiB')}",
         spread(ratios("peak_rss_mib", "peak_rss_mib_reference", reference_over_lode=True), 2), "(same)"],
    ]


def machine_description():
    """The CPU's model name and core count, for the line above the table."""
    model = platform.processor() or platform.machine()
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores"


def section(runs, kept_rows, machine):
    """The text between the markers: where and how it was measured, then the table."""
    lines = [f"Measured on {machine}: {len(runs)} runs of `scripts/bench_models.sh` (Lode and PyTorch in",
             "the same job, 2 threads), each figure the lowest–highest over the runs; the ratio is Lode's",
             "speed over PyTorch's (for memory, PyTorch's peak over Lode's), so above 1 favours Lode.",
             ""]
    lines += HEADER
    lines += ["| " + " | ".join(row) + " |" for row in rows_for(runs)]
    lines += kept_rows
    return "\n".join(lines)


def rewritten(readme, runs, machine):
    """README text with the section between the markers replaced (other rows kept)."""
    pattern = re.compile(re.escape(BEGIN) + r"\n(.*?)\n?" + re.escape(END), re.S)
    match = pattern.search(readme)
    if not match:
        raise SystemExit(f"README has no speed-table markers; put these two lines around the table:\n{BEGIN}\n{END}")
    kept = [line for line in match.group(1).splitlines()
            if line.startswith("| ") and line not in HEADER
            and not line[2:].startswith(OWNED)]
    new = f"{BEGIN}\n{section(runs, kept, machine)}\n{END}"
    return readme[:match.start()] + new + readme[match.end():]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="bench_models.sh output (one RESULT line per run); - for stdin")
    parser.add_argument("--readme", default=str(pathlib.Path(__file__).resolve().parent.parent / "README.md"))
    parser.add_argument("--machine", help="what to call the machine (default: the CPU model and core count)")
    parser.add_argument("--print", action="store_true", help="print the section instead of rewriting the README")
    args = parser.parse_args()
    text = sys.stdin.read() if args.output == "-" else pathlib.Path(args.output).read_text()
    runs = runs_from(text)
    if len(runs) < 3:
        print(f"warning: {len(runs)} run(s) in the input; the issue asks for three", file=sys.stderr)
    readme_path = pathlib.Path(args.readme)
    new = rewritten(readme_path.read_text(), runs, args.machine or machine_description())
    if args.print:
        print(new[new.index(BEGIN):new.index(END) + len(END)])
    else:
        readme_path.write_text(new)
        print(f"rewrote the speed table in {readme_path} from {len(runs)} runs")


if __name__ == "__main__":
    main()
