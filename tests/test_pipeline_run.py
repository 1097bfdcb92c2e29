"""`lode demo --quick` runs stdlib/pipeline.lode end to end: the report has its sections, its
tables and its figures; the same seed gives the same report (every number but the timings),
and a different seed a different one; a script error inside the pipeline names
file:line:column."""
import os
import re
import subprocess

LODE = os.environ.get("LODE_BIN", ".build/release/lode")
SECTIONS = ["# Lode demo", "## Maps that find deposits", "## The paper's workflow: its four models' maps", "## Configuration", "## Validation AUC",
            "## Prospectivity map and target zones", "## SHAP over the 15 layers", "## Timings", "## Files"]
MODELS = ["SSGSNet", "ResNet", "ViT", "DualBranchNet"]


def demo(folder, *options):
    result = subprocess.run([LODE, "demo", "--quick", "--output", str(folder), *options], capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return result, (folder / "report.md").read_text()


def without_timings(report):
    """The report with the seconds left out (the timings section and the training-time column)."""
    kept = report.split("## Timings")[0] + report.split("## Files")[1]
    return re.sub(r"\| (\d+) \|\n", "| s |\n", kept)


def test_quick_demo_report_sections_figures_and_same_seed(tmp_path):
    first, report = demo(tmp_path / "a")
    for stage in range(1, 12):
        assert f"[{stage}/11]" in first.stdout
    positions = [report.find(section) for section in SECTIONS]
    assert all(p >= 0 for p in positions), [s for s, p in zip(SECTIONS, positions) if p < 0]
    assert positions == sorted(positions), "sections out of order"
    lines = report.splitlines()
    for model in MODELS:
        row = next(line for line in lines if line.startswith(f"| {model} | model"))
        area = float(row.split("|")[3])
        assert 0 <= area <= 1, row
    for name in ["fault distance", "Au layer"]:
        assert any(line.startswith(f"| {name} | single layer") for line in lines), name
    figures = sorted(p.name for p in (tmp_path / "a" / "figures").glob("*.png"))
    assert len(figures) >= 12, figures
    for name in figures:
        assert f"![{name}](figures/{name})" in report
    for name in ["prospectivity.tif", "zones.geojson", "zones.gpkg", "zones.csv"]:
        assert (tmp_path / "a" / name).stat().st_size > 100, name

    _, again = demo(tmp_path / "b")
    assert without_timings(again) == without_timings(report)
    _, other = demo(tmp_path / "c", "--seed", "2")
    assert without_timings(other) != without_timings(report)


def test_pipeline_script_error_has_location(tmp_path):
    script = tmp_path / "bad.lode"
    script.write_text('use "pipeline"\nsurvey = synthetic_survey(preset: "small")\n'
                      'prep = prepare(survey, quick: true, split_kind: "diagonal")\n')
    result = subprocess.run([LODE, "run", str(script)], capture_output=True, text=True,
                            cwd=tmp_path, timeout=600)
    assert result.returncode == 1
    # Progress lines come first on stderr; the diagnostic names file:line:column.
    first = next(line for line in result.stderr.splitlines() if "ArgumentError" in line)
    path, line, column = first.split(":")[:3]
    assert path.endswith("stdlib/pipeline.lode") and line.isdigit() and column.isdigit(), first
    assert "split(): unknown split kind 'diagonal'" in first
    assert f"{script}:3:8 calls prepare()" in result.stderr
