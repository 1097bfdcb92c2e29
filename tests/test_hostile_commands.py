"""The command property test: every registered command, called with hostile arguments
(negative, zero, huge, NaN, wrong type, nil, domain objects of the wrong kind), must end with a
Lode error or a value, never a signal. The sweep runs in its own process (LodeLibraryFuzz
--hostile), so a crash fails this test instead of killing the test runner."""
import pathlib
import subprocess

from kernel_support import LODE_BIN

KINDS = {"ok", "SyntaxError", "NameError", "TypeError", "ArgumentError", "IndexError", "KeyError",
         "ArithmeticError", "AssertionError", "RecursionError", "Interrupted", "IOError",
         "CommandError", "BudgetExceeded"}


def test_every_command_survives_hostile_arguments():
    sweep = pathlib.Path(LODE_BIN).parent / "LodeLibraryFuzz"
    result = subprocess.run([str(sweep), "--hostile"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("RESULT "), lines[-5:]
    calls = [line.rsplit(" -> ", 1) for line in lines[:-1]]
    assert len(calls) > 5000
    assert [call for call in calls if len(call) != 2 or call[1] not in KINDS] == []
    names = {code.split("(", 1)[0] for code, _ in calls}
    assert {"idw", "grid", "conv2d", "batchnorm", "train", "zscore", "windows"} <= names
    refused = sum(1 for _, kind in calls if kind != "ok")
    assert refused > 0.8 * len(calls)
