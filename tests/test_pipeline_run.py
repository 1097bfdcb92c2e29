"""`lode run` of the paper's workflow (stdlib/pipeline.lode) on the small preset in quick mode:
it completes and writes its products; a script with an error exits non-zero with
file:line:column."""
import os
import subprocess

LODE = os.environ.get("LODE_BIN", ".build/release/lode")


def test_quick_pipeline_writes_its_outputs(tmp_path):
    out = tmp_path / "out"
    script = tmp_path / "pipeline.lode"
    script.write_text('use "pipeline"\nresult = run_workflow(folder, quick: true)\n'
                      'print("hidden captured", result.targets.zones.hidden_captured)\n')
    result = subprocess.run([LODE, "run", str(script), f"folder={out}"], capture_output=True,
                            text=True, cwd=tmp_path, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    for name in ["comparison.csv", "prospectivity.tif", "zones.geojson", "roc.png", "map.png",
                 "shap_beeswarm.png", "ssgsnet.safetensors"]:
        path = out / name
        assert path.exists(), name
        assert path.stat().st_size > 100, name
    table = (out / "comparison.csv").read_text().splitlines()
    assert table[0].startswith("model,split,AUC")
    assert sorted(line.split(",")[0] for line in table[1:]) == ["DualBranchNet", "ResNet", "SSGSNet", "ViT"]
    assert "hidden captured" in result.stdout


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
