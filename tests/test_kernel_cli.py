"""The `lode` command line as a person meets it: help texts, option names, defaults, errors
for unknown commands, scripts from standard input, and $HOME / $XDG_DATA_HOME for the
kernelspec. LODE_BIN points to the `lode` binary."""
import json
import os
import re
import subprocess

from kernel_support import LODE_BIN


def lode(*arguments, env=None, input=None):
    return subprocess.run([LODE_BIN, *arguments], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, **(env or {})), input=input)


def test_uninstall_help_speaks_of_removing():
    text = lode("kernel", "uninstall", "--help").stdout
    assert "Remove the Lode kernelspec" in text and "Install" not in text, text
    assert "Install the Lode kernelspec" in lode("kernel", "install", "--help").stdout


def test_an_unknown_command_is_named_with_the_commands_there_are():
    result = lode("frobnicate")
    assert result.returncode != 0
    assert "unknown command 'frobnicate'" in result.stderr and "run" in result.stderr
    assert "--history" not in result.stderr, "the REPL's usage is not the answer"
    assert "lode run demo.lode" in lode("demo.lode").stderr


def test_bench_usage_names_the_benchmark_once():
    for arguments in [("bench", "kernels", "--help"), ("bench", "--help")]:
        text = lode(*arguments).stdout
        assert "bench bench" not in text, text
    assert "lode bench <name>" in lode("bench", "kernels", "--help").stdout
    result = lode("bench", "nosuch")
    assert result.returncode != 0 and "unknown benchmark 'nosuch'" in result.stderr


def test_output_options_are_spelled_output_and_presets_agree():
    generate = lode("survey", "generate", "--help").stdout
    assert "--output <output>" in generate and "--out" in generate
    defaults = [re.search(r"--preset <preset>.*?\(default: (\w+)\)", lode("survey", sub, "--help").stdout, re.S).group(1)
                for sub in ["generate", "difficulty", "prepare"]]
    assert defaults == ["small", "small", "small"], defaults


def test_run_dash_reads_the_script_from_standard_input():
    result = lode("run", "-", input='x = 6\nprint("got", x * 7)\n')
    assert result.returncode == 0, result.stderr
    assert result.stdout == "got 42\n"
    failed = lode("run", "-", input="nosuch_name + 1\n")
    assert failed.returncode == 1 and "<stdin>" in failed.stderr and "nosuch_name" in failed.stderr


def test_kernel_install_user_follows_home_and_xdg_data_home(tmp_path):
    base = {"JUPYTER_DATA_DIR": "", "XDG_DATA_HOME": "", "HOME": str(tmp_path / "home")}
    result = lode("kernel", "install", "--user", env=base)
    assert result.returncode == 0, result.stderr
    spec = tmp_path / "home/.local/share/jupyter/kernels/lode/kernel.json"
    assert json.loads(spec.read_text())["language"] == "lode"
    xdg = dict(base, XDG_DATA_HOME=str(tmp_path / "xdg"))
    assert lode("kernel", "install", "--user", "--docs-url", "https://docs.example.org/lode", env=xdg).returncode == 0
    spec = json.loads((tmp_path / "xdg/jupyter/kernels/lode/kernel.json").read_text())
    assert spec["env"] == {"LODE_DOCS_URL": "https://docs.example.org/lode"}
    assert "removed" in lode("kernel", "uninstall", "--user", env=xdg).stdout.lower()
    assert not (tmp_path / "xdg/jupyter/kernels/lode").exists()
    bad = lode("kernel", "install", "--user", "--docs-url", "file:///tmp/docs", env=xdg)
    assert bad.returncode != 0 and "http or https" in bad.stderr
