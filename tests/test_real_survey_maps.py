"""The map-level comparison runs on a real survey as a user brings it: the Western Australian
soil survey beside the project (lon/lat CSV, named sites, no faults, no hidden deposits), through
examples/real_survey_maps.lode. Every map is scored on spatial folds of the sites; with no faults
the fault-distance baseline is left out, and without hidden deposits the table ranks by the folds."""
import os
import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
LODE = os.environ.get("LODE_BIN", str(ROOT / ".build/release/lode"))
DATA = ROOT.parent / "shared" / "data" / "wa_soil_au"


def test_comparison_on_the_real_survey():
    assert DATA.is_dir(), f"the real survey is missing: {DATA}"
    result = subprocess.run([LODE, "run", str(ROOT / "examples/real_survey_maps.lode"), f"data={DATA}", "quick=true"],
                            capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    scores = dict(re.findall(r"^RESULT (\S+) cv_success_auc=(\S+)$", result.stdout, re.M))
    assert set(scores) == {"ssgsnet", "ssgsnet_lode", "best_single_layer", "weights_of_evidence", "logistic", "random_forest"}, scores
    for name, value in scores.items():
        assert 0 <= float(value) <= 1, (name, value)
    # Warnings the user must see on this file: the reprojection and the averaged duplicate locations.
    assert "reprojected from WGS 84 (EPSG:4326)" in result.stderr
    assert "each location was averaged" in result.stderr
    assert "Maps on spatial folds of the deposits (no hidden deposits)" in result.stdout
