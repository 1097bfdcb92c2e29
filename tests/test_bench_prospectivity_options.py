"""`lode bench prospectivity`: its size options are checked before any work starts, and a wrong
one names itself (the comparison itself is the bench, run by hand: docs/recipes.md)."""
import os
import subprocess

LODE = os.environ.get("LODE_BIN", ".build/release/lode")


def bench(*options):
    return subprocess.run([LODE, "bench", "prospectivity", *options], capture_output=True, text=True, timeout=60)


def test_full_models_needs_the_paper_preset():
    result = bench("--preset", "small", "--full-models")
    assert result.returncode != 0
    assert "--full-models goes with --preset paper" in result.stderr


def test_unknown_model_size_is_named():
    result = bench("--model-size", "huge")
    assert result.returncode != 0
    assert "unknown --model-size 'huge'; choose tiny, small or paper" in result.stderr


def test_window_too_small_is_refused():
    result = bench("--window", "2")
    assert result.returncode != 0
    assert "--window must be at least 4 cells" in result.stderr
