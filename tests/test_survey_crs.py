"""Reprojection and the CRS checks on the real survey (../shared/data/wa_soil_au, lon/lat),
checked against GDAL's own command-line tool, gdaltransform, run here independently of Lode."""
import csv
import math
import subprocess

import pytest

from test_survey_files import DATA, ROOT, SAMPLES, lode_run, pytestmark  # noqa: F401  (skip when the data is absent)

LODE_POINTS = 6


def first_points(count):
    with open(ROOT / SAMPLES, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [(float(row["X"]), float(row["Y"])) for row in rows[:count]]


def gdaltransform(points, target):
    text = "".join(f"{x!r} {y!r}\n" for x, y in points)
    result = subprocess.run(["gdaltransform", "-s_srs", "EPSG:4326", "-t_srs", target, "-output_xy"],
                            input=text, capture_output=True, text=True, check=True)
    # gdaltransform takes lon/lat in the traditional GIS order for EPSG:4326 input.
    return [tuple(float(v) for v in line.split()[:2]) for line in result.stdout.strip().splitlines()]


def run_lode(tmp_path, source):
    import os
    script = tmp_path / "script.lode"
    script.write_text(source)
    return subprocess.run([os.environ.get("LODE_BIN", ".build/release/lode"), "run", str(script)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_reproject_to_utm_matches_gdaltransform(tmp_path):
    result = lode_run(tmp_path, f'samples = read_points("{SAMPLES}", crs: "EPSG:4326")\n'
                                f'print(utm_zone(samples))\n'
                                f'utm = reproject(samples, "utm")\n'
                                f'for i in range(0, {LODE_POINTS}) {{ print(utm.x[i], utm.y[i]) }}\n'
                                f'print(utm.crs)\n')
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "EPSG:32750"  # 119.5°E, 31.6°S: zone 50 south
    expected = gdaltransform(first_points(LODE_POINTS), "EPSG:32750")
    got = [tuple(float(v) for v in line.split()) for line in lines[1:1 + LODE_POINTS]]
    for (gx, gy), (ex, ey) in zip(got, expected):
        assert gx == pytest.approx(ex, abs=1e-3)
        assert gy == pytest.approx(ey, abs=1e-3)
    assert "32750" in lines[-1]
    assert "reprojected from" in result.stderr


def test_reprojected_survey_grids_and_interpolates(tmp_path):
    out = tmp_path / "au.tif"
    result = lode_run(tmp_path, f'samples = reproject(read_points("{SAMPLES}", crs: "EPSG:4326"), "utm")\n'
                                f'g = grid(samples, cell: 500)\n'
                                f'print(g.rows, g.cols, g.crs)\n'
                                f'au = idw(samples, ["Au_ppm"], g)\n'
                                f'save(au, "{out}")\n')
    rows, cols, *_ = result.stdout.split()
    # The survey's extent in metres from gdaltransform, rounded outwards to whole 500 m cells.
    utm = gdaltransform(first_points(10**6), "EPSG:32750")
    width = max(p[0] for p in utm) - min(p[0] for p in utm)
    height = max(p[1] for p in utm) - min(p[1] for p in utm)
    assert int(cols) == math.ceil(width / 500)
    assert int(rows) == math.ceil(height / 500)
    info = subprocess.run(["gdalinfo", "-stats", str(out)], capture_output=True, text=True, check=True).stdout
    assert "32750" in info or "UTM zone 50S" in info


def test_degrees_used_as_metres_is_an_error(tmp_path):
    result = run_lode(tmp_path, f'samples = read_points("{SAMPLES}", crs: "EPSG:4326")\n'
                                f'g = grid(samples, cell: 500)\n')
    assert result.returncode != 0
    assert "degrees" in result.stderr and "reproject" in result.stderr


def test_a_one_cell_grid_warns(tmp_path):
    result = lode_run(tmp_path, 'g = grid({west: 119.0, south: -32.0, east: 119.6, north: -31.5}, cell: 500)\nprint(g.rows, g.cols)\n')
    assert result.stdout.split() == ["1", "1"]
    assert "warning: grid()" in result.stderr and "1 row(s)" in result.stderr


def test_samples_off_the_grid_and_flat_layers_are_reported(tmp_path):
    # Half the samples of a hand-made file lie east of the grid: the warning counts them.
    csv_path = tmp_path / "s.csv"
    csv_path.write_text("x,y,Au\n10,10,1\n30,30,5\n50,50,2\n250,50,3\n260,60,4\n270,70,6\n")
    result = lode_run(tmp_path, f'p = read_points("{csv_path}", crs: "EPSG:32750")\n'
                                f'g = grid({{west: 0, south: 0, east: 100, north: 100, crs: "EPSG:32750"}}, cell: 10)\n'
                                f'm = idw(p, ["Au"], g)\n')
    assert "3 of 6 samples" in result.stderr
    # Every sample off the grid is an error, not a constant map.
    far = run_lode(tmp_path, f'p = read_points("{csv_path}", crs: "EPSG:32750")\n'
                             f'g = grid({{west: 100000, south: 0, east: 100100, north: 100, crs: "EPSG:32750"}}, cell: 10)\n'
                             f'm = idw(p, ["Au"], g)\n')
    assert far.returncode != 0 and "none of the 6 samples lie on the grid" in far.stderr
    # All one value: the layer is named in the warning.
    flat = tmp_path / "flat.csv"
    flat.write_text("x,y,Cu\n10,10,7\n30,30,7\n50,50,7\n")
    result = lode_run(tmp_path, f'p = read_points("{flat}", crs: "EPSG:32750")\n'
                                f'm = idw(p, ["Cu"], grid(p, cell: 5))\n')
    assert "'Cu' is (nearly) constant" in result.stderr


def test_points_without_crs_on_a_grid_with_one_warn(tmp_path):
    csv_path = tmp_path / "s.csv"
    csv_path.write_text("x,y,Au\n10,10,1\n30,30,5\n50,50,2\n")
    result = lode_run(tmp_path, f'p = read_points("{csv_path}")\n'
                                f'g = grid({{west: 0, south: 0, east: 100, north: 100, crs: "EPSG:32750"}}, cell: 10)\n'
                                f'm = idw(p, ["Au"], g)\n')
    assert "have no CRS but the grid is in" in result.stderr


def test_the_target_crs_can_be_another_values_crs(tmp_path):
    # `.crs` reads as "WGS 84 / UTM zone 50S (EPSG:32750)": it, and the value itself, name the target.
    result = lode_run(tmp_path, f'samples = read_points("{SAMPLES}", crs: "EPSG:4326")\n'
                                f'utm = reproject(samples, "EPSG:32750")\n'
                                f'a = reproject(samples, utm.crs)\n'
                                f'b = reproject(samples, grid(utm, cell: 100))\n'
                                f'print(a.x == utm.x and a.y == utm.y, b.x == utm.x and b.y == utm.y)\n')
    assert result.stdout.split() == ["true", "true"]
