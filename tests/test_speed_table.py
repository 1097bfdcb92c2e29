"""scripts/speed_table.py: the README's speed table from stored bench_models.sh output (three
runs), checked against figures worked out by hand from that output."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "speed_table.py"
SAMPLE = ROOT / "tests" / "fixtures" / "bench_models_sample.txt"
BEGIN = "<!-- speed-table: begin (scripts/speed_table.py writes this part) -->"
END = "<!-- speed-table: end -->"
SURVEY_ROW = "| survey → stack → 5 632 windows, paper size | 24.9 s | target 120 s | — | `lode survey prepare --preset paper` |"


def run(*arguments, stdin=None):
    return subprocess.run([sys.executable, str(SCRIPT), *arguments], capture_output=True, text=True,
                          input=stdin, timeout=60)


def readme_with_old_table(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Lode\n\n## Speed\n\n" + BEGIN + "\nold words\n\n| what | Lode | reference | ratio | command |\n"
                      "| --- | --- | --- | --- | --- |\n"
                      "| SSGSNet training, paper config, batch 32 | 19.6 windows/s | PyTorch 2.15: 19.5 | 1.01 | x |\n"
                      "| SSGSNet inference, batch 32 | 46.1 windows/s | PyTorch: 64.4 | 0.72 | (same) |\n"
                      "| peak memory of those runs | 926 MiB | PyTorch: 1 380 MiB | 1.49 | (same) |\n"
                      + SURVEY_ROW + "\n" + END + "\n\nAfter the table.\n")
    return readme


def test_three_runs_become_ranges_and_other_rows_stay(tmp_path):
    readme = readme_with_old_table(tmp_path)
    result = run(str(SAMPLE), "--readme", str(readme), "--machine", "a test machine, 2 cores")
    assert result.returncode == 0, result.stderr
    assert "from 3 runs" in result.stdout
    text = readme.read_text()
    table = [line for line in text.splitlines() if line.startswith("| ")]
    # By hand from the sample's RESULT lines (train 17.7/27.3, 19.8/27.8, 18.6/27.5;
    # infer 56.4/90.7, 63.7/91.5, 60.2/91.1; RSS 908/1405, 946/1405, 931/1404):
    # train ratios 0.648, 0.712, 0.676; infer 0.622, 0.696, 0.661; memory 1.547, 1.485, 1.508.
    assert table == [
        "| what | Lode | reference | ratio | command |",
        "| --- | --- | --- | --- | --- |",
        "| SSGSNet training, paper config, batch 32 | 17.7–19.8 windows/s | PyTorch 2.15.0+cpu: 27.3–27.8 "
        "| 0.65–0.71 | `TORCH_PYTHON=… scripts/bench_models.sh` |",
        "| SSGSNet inference, batch 32 | 56.4–63.7 windows/s | PyTorch: 90.7–91.5 | 0.62–0.70 | (same) |",
        "| peak memory of those runs | 908–946 MiB | PyTorch: 1 404–1 405 MiB | 1.49–1.55 | (same) |",
        SURVEY_ROW,
    ]
    assert "Measured on a test machine, 2 cores: 3 runs" in text
    assert "old words" not in text
    assert text.startswith("# Lode\n\n## Speed\n\n" + BEGIN + "\n")
    assert text.endswith(END + "\n\nAfter the table.\n")
    # A second rewrite from the same output changes nothing (the owned rows are found again).
    assert run(str(SAMPLE), "--readme", str(readme), "--machine", "a test machine, 2 cores").returncode == 0
    assert readme.read_text() == text


def test_one_run_shows_single_figures_and_warns(tmp_path):
    readme = readme_with_old_table(tmp_path)
    first_run = "\n".join(SAMPLE.read_text().splitlines()[:5]) + "\n"
    result = run("-", "--readme", str(readme), "--machine", "m", "--print", stdin=first_run)
    assert result.returncode == 0, result.stderr
    assert "1 run(s) in the input" in result.stderr
    assert "| 17.7 windows/s | PyTorch 2.15.0+cpu: 27.3 | 0.65 |" in result.stdout
    assert "| 908 MiB | PyTorch: 1 405 MiB | 1.55 |" in result.stdout
    assert "old words" in readme.read_text()  # --print leaves the README alone


def test_bad_input_is_refused_with_the_reason(tmp_path):
    readme = readme_with_old_table(tmp_path)
    result = run("-", "--readme", str(readme), stdin="train: lode 1 samples/s\n")
    assert result.returncode != 0 and "no RESULT line" in result.stderr
    result = run("-", "--readme", str(readme), stdin='RESULT {"samples_per_s": 3}\n')
    assert result.returncode != 0 and "lacks train_samples_per_s" in result.stderr
    bare = tmp_path / "bare.md"
    bare.write_text("# no markers\n")
    result = run(str(SAMPLE), "--readme", str(bare))
    assert result.returncode != 0 and "no speed-table markers" in result.stderr


def test_the_project_readme_has_the_markers():
    text = (ROOT / "README.md").read_text()
    assert text.count(BEGIN) == 1 and text.count(END) == 1 and text.index(BEGIN) < text.index(END)
