"""Attributes, ids, warnings and outputs on the real survey's named sites and on files made
here; every expected value is counted here with the csv module or GDAL's tools."""
import csv
import subprocess

from test_survey_files import ROOT, SAMPLES, SITES, lode_run, pytestmark  # noqa: F401  (skip when the data is absent)
from test_survey_crs import run_lode


def sites():
    with open(ROOT / SITES, newline="") as handle:
        return list(csv.DictReader(handle))


def test_values_where_select_and_split_points(tmp_path):
    rows = sites()
    gold_only = [r["SHORT_NAME"] for r in rows if r["SITE_COMMO"] == "Au"]
    result = lode_run(tmp_path, f'''
s = read_points("{SITES}", crs: "EPSG:4326", id: "SHORT_NAME")
print(values(s, "SITE_COMMO") == s.values("site_commo"))
print(len(s.values("SITE_CODE")), s.values("SITE_CODE")[0])
au = where(s, fn(p) => p.SITE_COMMO == "Au")
print(au.count)
print(au.ids)
small = select(s, ["SITE_TYPE_", "SITE_CODE"])
print(small.columns)
parts = split_points(s, 0.3, seed: 7)
again = split_points(s, 0.3, seed: 7)
print(parts.train.count, parts.held_out.count, parts.held_out_ids == again.held_out_ids)
print(sort(parts.train.ids + parts.held_out.ids) == sort(s.ids))
total = 0
for v in read_points("{SAMPLES}", crs: "EPSG:4326").values("Au_ppm") {{ total = total + v }}
print(total)
''')
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "true"
    count, first = lines[1].split()
    assert int(count) == len(rows) and first == rows[0]["SITE_CODE"]
    assert int(lines[2]) == len(gold_only)
    assert lines[3] == "[" + ", ".join(f'"{name}"' for name in gold_only) + "]"
    assert lines[4] == '["SHORT_NAME", "SITE_TYPE_", "SITE_CODE"]'
    held = round(len(rows) * 0.3)
    assert lines[5].split() == [str(len(rows) - held), str(held), "true"]
    assert lines[6] == "true"
    with open(ROOT / SAMPLES, newline="") as handle:
        au = [float(r["Au_ppm"]) for r in csv.DictReader(handle)]
    assert abs(float(lines[7]) - sum(au)) <= 1e-9 * abs(sum(au))


def test_deposit_names_reach_folds_and_datasets(tmp_path):
    rows = sites()
    result = lode_run(tmp_path, f'''
s = reproject(read_points("{SITES}", crs: "EPSG:4326", id: "SHORT_NAME"), "utm")
for f in folds(s, kind: "lodo") {{ print(f.held_out_ids[0]) }}
''')
    assert result.stdout.strip().splitlines() == [r["SHORT_NAME"] for r in rows]


def test_split_leave_one_deposit_out_points_to_folds(tmp_path):
    result = run_lode(tmp_path, '''
survey = synthetic_survey(preset: "small", seed: 1)
g = grid(survey.extent, cell: 500)
st = idw(survey.samples, ["Au"], g)
d = windows(st, survey.deposits, survey.hidden, size: 4)
split(d, kind: "leave_one_deposit_out")
''')
    assert result.returncode != 0
    assert 'folds(deposits, kind: "lodo")' in result.stderr


def test_warnings_are_shown_and_kept_on_the_value(tmp_path):
    # Two rows at one location, one "<0.5" value: both are reported and kept on the stack.
    path = tmp_path / "dup.csv"
    path.write_text("x,y,Au\n10,10,1\n10,10,3\n30,30,<0.5\n50,50,2\n")
    result = lode_run(tmp_path, f'''
p = read_points("{path}", crs: "EPSG:32750")
st = idw(p, ["Au"], grid({{west: 0, south: 0, east: 60, north: 60, crs: "EPSG:32750"}}, cell: 10))
for w in st.warnings {{ print(w) }}
''')
    kept = result.stdout.strip().splitlines()
    assert any("2 sample rows share 1 location" in w for w in kept)
    assert any("below-detection values became half the limit: Au 1 of 4 rows" in w for w in kept)
    for w in kept:
        assert f"warning: idw(): {w}" in result.stderr


def test_float64_geotiff_progress_lines_and_printed_tables(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("x,y,Au\n10,10,1.25\n30,30,5.5\n50,50,2\n")
    tif32, tif64 = tmp_path / "a32.tif", tmp_path / "a64.tif"
    result = lode_run(tmp_path, f'''
p = read_points("{path}", crs: "EPSG:32750")
st = idw(p, ["Au"], grid({{west: 0, south: 0, east: 60, north: 60, crs: "EPSG:32750"}}, cell: 10))
save(st, "{tif32}")
save(st, "{tif64}", type: "float64")
print(summary(p))
''')
    info32 = subprocess.run(["gdalinfo", "-stats", str(tif32)], capture_output=True, text=True, check=True).stdout
    info64 = subprocess.run(["gdalinfo", "-stats", str(tif64)], capture_output=True, text=True, check=True).stdout
    assert "Type=Float32" in info32 and "Type=Float64" in info64
    stats = [line for line in info32.splitlines() if "STATISTICS_MEAN" in line]
    assert stats and stats == [line for line in info64.splitlines() if "STATISTICS_MEAN" in line]
    # Redirected stderr (a pipe here) has plain progress lines, no terminal codes.
    assert "\x1b[K" not in result.stderr and "\r" not in result.stderr
    assert "idw: 1 elements onto 6×6" in result.stderr
    # print(table) prints the rows: the element, its count of 3 and the max 5.5.
    table = result.stdout
    assert "element" in table and "Au" in table and "5.5" in table
    assert len(table.strip().splitlines()) >= 4
