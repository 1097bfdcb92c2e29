"""`lode demo` says how long it will take before it starts (timed steps of each model times the
plan's counts) and gives an ETA after each training; the estimate is checked against a real run
of the small preset, and its counts against the plan worked out by hand."""
import os
import re
import subprocess

LODE = os.environ.get("LODE_BIN", ".build/release/lode")
ESTIMATE = re.compile(r"^estimated time: about .* \((\d+) s\) on this machine", re.M)


def demo(*options, timeout):
    result = subprocess.run([LODE, "demo", *options], capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def part_seconds(text):
    """{part: seconds} from the estimate's lines ("  training: 1 min 52 s (...)")."""
    parts = {}
    for name, duration in re.findall(r"^  ([a-zA-Z -]+): ((?:\d+ h )?(?:\d+ min )?(?:\d+ s)?) \(", text, re.M):
        h = re.search(r"(\d+) h", duration)
        m = re.search(r"(\d+) min", duration)
        s = re.search(r"(\d+) s", duration)
        parts[name] = (int(h.group(1)) * 3600 if h else 0) + (int(m.group(1)) * 60 if m else 0) + (int(s.group(1)) if s else 0)
    return parts


def test_estimate_counts_follow_the_small_plan(tmp_path):
    out = demo("--estimate-only", "--output", str(tmp_path / "out"), timeout=300)
    assert not (tmp_path / "out").exists(), "--estimate-only must not run the demo"
    # The small plan by hand: 2 x 1 024 windows, 20 % (410) for validation, so 1 638 training
    # windows in ceil(1638 / 32) = 52 steps; maps over 400 x 400 cells at stride 4 = 10 000
    # windows; SHAP 32 windows x 300 evaluations x 4 background windows = 38 400; the
    # comparison's 4 models + SSGSNet by the other recipe, each on 4 folds + all deposits.
    assert "4 models x 2 splits x 8 epochs x 52 steps" in out
    assert "4 models x 10000 windows" in out
    assert "(38400 SSGSNet windows)" in out
    assert "(5 recipes x 5 trainings and maps)" in out
    total = int(ESTIMATE.search(out).group(1))
    parts = part_seconds(out)
    assert set(parts) == {"training", "maps", "SHAP", "map-level validation"}, parts
    assert abs(sum(parts.values()) - total) <= len(parts), (parts, total)  # each part rounded to a second


def test_estimate_comes_first_and_an_eta_follows_each_training(tmp_path):
    # How close the estimate comes is a timing, measured by scripts/check_demo_estimate.py (a
    # benchmark, not a test); here: it is said before the run starts, and each training ends
    # with an ETA line, counting up, the last with no training left.
    out = demo("--quick", "--output", str(tmp_path / "out"), timeout=600)
    lines = out.splitlines()
    first_estimate = next(i for i, line in enumerate(lines) if line.startswith("estimated time:"))
    first_stage = next(i for i, line in enumerate(lines) if line.startswith("[1/11] survey: "))
    assert first_estimate < first_stage
    assert "not counted: data preparation, the baselines and the figures" in lines[first_estimate]
    etas = [line for line in lines if line.strip().startswith("ETA: ")]
    assert [int(re.search(r"ETA: (\d) of 8", line).group(1)) for line in etas] == list(range(1, 9)), etas
    assert "about 0 s of training left" in etas[-1] and "for the whole run" in etas[-1], etas[-1]
