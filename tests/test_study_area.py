"""A study-area outline masks the grid: cells outside are no-data in the stack, the map, the
zones and the success rate. Files are made here; the expected numbers are worked by hand."""
import csv
import json
import math
import os
import subprocess
from pathlib import Path

LODE = os.environ.get("LODE_BIN", ".build/release/lode")
ROOT = Path(__file__).resolve().parents[1]
CRS = "EPSG:32750"


def lode_run(tmp_path, source, check=True):
    script = tmp_path / "script.lode"
    script.write_text(source)
    result = subprocess.run([LODE, "run", str(script)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def write_files(tmp_path):
    """A 4×4 grid of 10 m cells (0…40 m). A sample at every cell centre (IDW is exact there):
    Au = 1 + col + 4·row on the west half, 100 + that on the east half. The study area is the
    west half (x 0…20), written by hand as GeoJSON with its CRS."""
    area = {"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32750"}},
            "features": [{"type": "Feature", "properties": {"name": "west half"},
                          "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [20, 0], [20, 40], [0, 40], [0, 0]]]}}]}
    (tmp_path / "area.geojson").write_text(json.dumps(area))
    rows = []
    for row in range(4):
        for col in range(4):
            value = 1 + col + 4 * row + (100 if col >= 2 else 0)
            rows.append((5 + 10 * col, 35 - 10 * row, value))
    with open(tmp_path / "samples.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["x", "y", "Au"])
        writer.writerows(rows)
    # Two deposits inside, on the cells holding 14 (row 3, col 1) and 10 (row 2, col 1).
    (tmp_path / "deposits.csv").write_text("x,y,name\n15,5,Ridge\n15,15,Creek\n")
    return rows


def preamble(folder):
    return f'''
area = read_polygons("{folder}/area.geojson")
p = read_points("{folder}/samples.csv", crs: "{CRS}")
deposits = read_points("{folder}/deposits.csv", crs: "{CRS}", id: "name")
g = grid({{west: 0, south: 0, east: 40, north: 40, crs: "{CRS}"}}, cell: 10)
'''


def numbers(line):
    return [float(v) for v in line.replace("[", "").replace("]", "").replace(",", " ").split()]


def test_masked_cells_are_no_data_in_the_stack_and_the_map(tmp_path):
    rows = write_files(tmp_path)
    result = lode_run(tmp_path, preamble(tmp_path) + '''
s = mask(idw(p, ["Au"], g), area)
print(s["Au"].values)
gm = mask(g, area)
print(gm.cells)
print(idw(p, ["Au"], gm)["Au"].values)
model = sequential(global_avg_pool(), linear(1, 2)) |> with_contract(channels: 1, window: 3, layers: ["Au"])
prob = predict_map(model, s, stride: 1)
print(prob.values)
''')
    lines = result.stdout.strip().splitlines()
    stack, cells, on_masked_grid, probability = numbers(lines[0]), lines[1], numbers(lines[2]), numbers(lines[3])
    inside = [col < 2 for row in range(4) for col in range(4)]
    for value, keep, (_, _, au) in zip(stack, inside, rows):
        assert math.isnan(value) != keep
        if keep:
            assert abs(value - au) < 1e-4
    assert cells == "8"
    assert [math.isnan(v) for v in on_masked_grid] == [math.isnan(v) for v in stack]
    assert [math.isnan(v) for v in probability] == [not keep for keep in inside]
    assert "8 of 16 cells lie outside the study area" in result.stderr


def test_zones_and_success_rate_count_only_the_study_area(tmp_path):
    write_files(tmp_path)
    out = tmp_path / "zones.csv"
    result = lode_run(tmp_path, preamble(tmp_path) + f'''
prob = minmax(mask(idw(p, ["Au"], g), area)["Au"])
sr = success_rate(prob, deposits)
print(sr.area)
zones = grade(prob, a: 0.95, b: 0.9, c: 0.5, deposits: deposits)
save(zones, "{out}")
save(zones, "{tmp_path}/zones.shp")
full = success_rate(minmax(idw(p, ["Au"], g)["Au"]), deposits)
print(full.area)
''')
    masked_area, full_area = (float(v) for v in result.stdout.split())
    # Eight cells ranked 14, 13, 10, 9, 6, 5, 2, 1; the deposits are on the 1st and 3rd:
    # (0,0) (1/8,1/2) (2/8,1/2) (3/8,1) … (1,1) → 1/32 + 1/16 + 3/32 + 5/8 = 0.8125.
    assert abs(masked_area - 0.8125) < 1e-9
    # Over all 16 cells the eight eastern cells rank first: deposits at ranks 9 and 11.
    # (8/16,0) (9/16,1/2) (10/16,1/2) (11/16,1) … → 1/64 + 1/32 + 3/64 + 5/16 = 0.40625.
    assert abs(full_area - 0.40625) < 1e-9
    table = list(csv.DictReader(open(out)))
    # minmax over the 8 cells: (v - 1) / 13 ≥ 0.5 keeps 9, 10, 13, 14: 4 cells of 100 m² in one zone.
    assert sum(int(row["cells"]) for row in table) == 4
    assert sum(float(row["area"]) for row in table) == 400
    assert sorted(name for row in table for name in row["known_names"].split("; ") if name) == ["Creek", "Ridge"]
    # The shapefile has the same zones with the names (GDAL cuts field names to 10 characters).
    info = subprocess.run(["ogrinfo", "-al", str(tmp_path / "zones.shp")], capture_output=True, text=True, check=True).stdout
    assert "Feature Count: 3" in info
    assert "known_name (String) = Ridge" in info and "known_name (String) = Creek" in info


def test_clip_points_and_lines_to_the_area_or_an_extent(tmp_path):
    write_files(tmp_path)
    (tmp_path / "faults.geojson").write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32750"}},
        "features": [{"type": "Feature", "properties": {"name": "F1"},
                      "geometry": {"type": "LineString", "coordinates": [[-10, 20], [30, 20]]}}]}))
    result = lode_run(tmp_path, preamble(tmp_path) + f'''
inside = clip(p, area)
print(inside.count)
print(clip(p, {{west: 0, south: 0, east: 12, north: 12}}).count)
f = clip(read_lines("{tmp_path}/faults.geojson"), area)
print(f.count, distance_to(f, g).values[3])
''')
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "8"
    assert lines[1] == "1"  # only (5, 5)
    count, first = lines[2].split()
    # The fault is cut to x 0…20 at y 20; cell (row 0, col 3) has its centre at (35, 35): its
    # nearest point is now the cut end (20, 20), 15·√2 m away (15.81 m to the uncut end at 30).
    assert count == "1" and abs(float(first) - 15 * math.sqrt(2)) < 1e-3
    assert "8 of 16 points lie outside" in result.stderr


def test_a_line_file_is_not_a_study_area(tmp_path):
    (tmp_path / "l.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}]}))
    result = lode_run(tmp_path, f'a = read_polygons("{tmp_path}/l.geojson")\n', check=False)
    assert result.returncode != 0
    assert "not a polygon" in result.stderr and "read_lines" in result.stderr
