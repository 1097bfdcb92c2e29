"""`lode run`: scripts with variables from the command line, and a failing script's
diagnostic and exit status."""
import os
import subprocess

LODE = os.environ.get("LODE_BIN", ".build/release/lode")


def lode_run(tmp_path, source, *assignments):
    script = tmp_path / "script.lode"
    script.write_text(source)
    return subprocess.run([LODE, "run", str(script), *assignments], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60), str(script)


def test_script_runs_with_assignments(tmp_path):
    result, _ = lode_run(tmp_path, 'print(cell * 2, name, type(cell), elements[1])\n',
                         "cell=50", "name=north block", 'elements=["Au", "As"]')
    assert result.returncode == 0, result.stderr
    assert result.stdout == "100 north block number As\n"


def test_error_exits_non_zero_with_file_line_column(tmp_path):
    source = 'fn grade(p) {\n  if p > 0.9 { "A" } else { gade(p) }\n}\nprint(grade(0.5))\n'
    result, path = lode_run(tmp_path, source)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{path}:2:29: NameError: unknown name 'gade'"
    assert lines[1] == '      if p > 0.9 { "A" } else { gade(p) }'
    assert lines[2] == "                                ^^^^"
    assert lines[3] == "hint: did you mean 'grade'?"
    assert lines[5] == f"  {path}:4:7 calls grade()"


def test_syntax_errors_are_all_reported(tmp_path):
    result, path = lode_run(tmp_path, "x = [1 2]\ny = 3 +* 4\n")
    assert result.returncode == 1
    assert f"{path}:1:8: SyntaxError" in result.stderr
    assert f"{path}:2:8: SyntaxError" in result.stderr
    assert result.stdout == ""


def test_progress_into_a_log_is_plain_lines(tmp_path):
    """stderr is a pipe here, as when a run is redirected to a log: whole lines without `\\r`
    or terminal escapes; a quick loop gives its first and its last state."""
    source = ('for i in range(4) { progress((i + 1) / 4, message: "tiles", eta: 3 - i) }\n'
              'print("done")\n'
              'for i in range(2) { progress((i + 1) / 2, message: "maps") }\n')
    result, _ = lode_run(tmp_path, source)
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr and "\x1b" not in result.stderr, repr(result.stderr)
    assert result.stderr.splitlines() == [
        "[#######.......................]  25% tiles  ETA 3s",
        "[##############################] 100% tiles",
        "[###############...............]  50% maps",
        "[##############################] 100% maps",
    ]
    assert result.stdout == "done\n"
