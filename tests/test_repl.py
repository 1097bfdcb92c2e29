"""The REPL in a pseudo-terminal: history across sessions, tab completion, multi-line input,
Ctrl-C and Ctrl-D. LODE_BIN points to the `lode` binary (the Makefile sets it)."""
import os
import time

import pexpect
import pytest

LODE = os.environ.get("LODE_BIN", ".build/release/lode")
PROMPT = "lode> "
CONTINUATION = r"\.\.\. "


@pytest.fixture
def history(tmp_path):
    return str(tmp_path / "history")


def start(history_path, tmp_path):
    env = dict(os.environ, LODE_HISTORY=history_path, TERM="xterm", HOME=str(tmp_path))
    child = pexpect.spawn(LODE, env=env, encoding="utf-8", timeout=15, dimensions=(40, 200),
                          cwd=str(tmp_path))
    child.expect("Lode .* :help for help")
    child.expect_exact(PROMPT)
    return child


def run_line(child, line):
    """Sends a line and returns what was printed before the next prompt."""
    child.sendline(line)
    child.expect_exact(PROMPT)
    return child.before


def quit_cleanly(child):
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_history_is_recalled_in_a_new_session(history, tmp_path):
    first = start(history, tmp_path)
    assert "42" in run_line(first, "6 * 7")
    quit_cleanly(first)
    with open(history) as stored:
        assert "6 * 7" in stored.read().splitlines()

    second = start(history, tmp_path)
    second.send("\x1b[A")          # Up: the last line of the previous session
    second.send("\r")
    second.expect_exact(PROMPT)
    assert "6 * 7" in second.before and "42" in second.before
    quit_cleanly(second)


def test_tab_completes_a_command_and_a_named_argument(history, tmp_path):
    child = start(history, tmp_path)
    child.send("pri\t")
    child.expect_exact("print")     # the only command starting with "pri"
    child.send('("done")\r')
    child.expect_exact(PROMPT)
    assert "done" in child.before

    child.send("range(3, ste\t")
    child.expect_exact("step:")
    child.send(" 2)\r")
    child.expect_exact(PROMPT)
    assert "[0, 2]" in child.before
    quit_cleanly(child)


def test_multi_line_function_definition(history, tmp_path):
    child = start(history, tmp_path)
    child.sendline("fn square(v) {")
    child.expect(CONTINUATION)
    child.sendline("    v * v")
    child.expect(CONTINUATION)
    child.sendline("}")
    child.expect_exact(PROMPT)
    assert "49" in run_line(child, "square(7)")
    quit_cleanly(child)


def test_ctrl_c_interrupts_a_loop_and_keeps_variables(history, tmp_path):
    child = start(history, tmp_path)
    run_line(child, "kept = 123")
    child.sendline("k = 0; while true { k = k + 1 }")
    time.sleep(1.0)
    child.sendintr()
    child.expect("Interrupted: execution interrupted")
    child.expect_exact(PROMPT)
    assert "true" in run_line(child, "k > 0 and kept == 123")

    # At the prompt, Ctrl-C throws away the half-typed line (typed first: its echo is seen).
    child.send("this is not lode")
    child.expect_exact("this is not lode")
    child.sendintr()
    child.expect_exact("^C")
    child.expect_exact(PROMPT)
    assert "2" in run_line(child, "1 + 1")
    quit_cleanly(child)


def test_meta_commands_and_ctrl_d(history, tmp_path):
    child = start(history, tmp_path)
    run_line(child, "cells = {cell: 100}")
    assert "cells = {cell: 100}" in run_line(child, ":vars")
    assert "range(start, end: nil, step: 1) -> list" in run_line(child, ":doc range")
    assert "time: " in run_line(child, ":time 1 + 1")
    run_line(child, ":reset")
    assert "unknown name 'cells'" in run_line(child, "cells")
    quit_cleanly(child)


def test_progress_bar_with_eta(history, tmp_path):
    child = start(history, tmp_path)
    child.sendline('for i in range(4) { progress((i + 1) / 4, message: "tiles") }')
    child.expect_exact("[#######.......................]  25% tiles  ETA ")
    child.expect_exact("[##############################] 100% tiles")
    child.expect_exact(PROMPT)
    quit_cleanly(child)
