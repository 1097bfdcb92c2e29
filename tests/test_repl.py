"""The REPL in a pseudo-terminal: history across sessions, tab completion, multi-line input,
Ctrl-C and Ctrl-D. LODE_BIN points to the `lode` binary (the Makefile sets it)."""
import os
import re
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
    child.sendline('for i in range(4) { progress((i + 1) / 4, message: "tiles", eta: 3 - i) }')
    child.expect_exact("\r\x1b[K[#######.......................]  25% tiles  ETA 3s")
    child.expect_exact("[##############################] 100% tiles")
    child.expect_exact(PROMPT)
    quit_cleanly(child)


# -- figures, help, exit, completion and $HOME ----------------------------------------------

FIGURE = "show(histogram([1, 2, 2, 3, 3, 3]))"


def saved_figure(output):
    found = re.search(r"figure saved to (\S+)", output)
    assert found, output
    return found.group(1)


def test_two_sessions_save_figures_under_names_that_never_collide(history, tmp_path):
    first, second = start(history, tmp_path), start(history, tmp_path)
    paths = [saved_figure(run_line(first, FIGURE)), saved_figure(run_line(second, FIGURE)),
             saved_figure(run_line(first, FIGURE))]
    quit_cleanly(first)
    quit_cleanly(second)
    assert len(set(paths)) == 3, paths
    folder = tmp_path / "lode-figures"
    files = sorted(p.name for p in folder.iterdir())
    assert sorted(os.path.basename(p) for p in paths) == files
    for name in files:
        assert (folder / name).read_bytes().startswith(b"\x89PNG")
    # A third session started later keeps all three.
    third = start(history, tmp_path)
    saved_figure(run_line(third, FIGURE))
    quit_cleanly(third)
    assert len(list(folder.iterdir())) == 4


def test_open_hands_the_last_figure_to_the_desktop_viewer(history, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opened = tmp_path / "opened.txt"
    viewer = bin_dir / "xdg-open"
    viewer.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    viewer.chmod(0o755)
    env = dict(os.environ, LODE_HISTORY=history, TERM="xterm", HOME=str(tmp_path),
               PATH=f"{bin_dir}:{os.environ['PATH']}", DISPLAY=":99")
    child = pexpect.spawn(LODE, env=env, encoding="utf-8", timeout=15, dimensions=(40, 200), cwd=str(tmp_path))
    child.expect_exact(PROMPT)
    assert "no figure saved yet" in run_line(child, ":open")
    path = saved_figure(run_line(child, FIGURE))
    assert "opened" in run_line(child, ":open") and "xdg-open" in child.before
    for _ in range(50):
        if opened.exists():
            break
        time.sleep(0.1)
    assert opened.read_text().strip() == path
    quit_cleanly(child)

    # Without a desktop the REPL says so and where the file is.
    env.pop("DISPLAY")
    env.pop("WAYLAND_DISPLAY", None)
    child = pexpect.spawn(LODE, env=env, encoding="utf-8", timeout=15, dimensions=(40, 200), cwd=str(tmp_path))
    child.expect_exact(PROMPT)
    assert "no desktop to show" in run_line(child, f":open {path}")
    quit_cleanly(child)


def test_doc_ignores_comments_and_suggests_and_question_marks_show_help(history, tmp_path):
    child = start(history, tmp_path)
    assert "idw(" in run_line(child, ":doc idw  # inverse-distance weighting")
    assert "did you mean 'idw'?" in run_line(child, ":doc idww")
    assert "range(start, end: nil, step: 1) -> list" in run_line(child, "?range")
    assert "range(start, end: nil, step: 1) -> list" in run_line(child, "range?")
    quit_cleanly(child)


@pytest.mark.parametrize("word", ["exit", "quit", "quit()"])
def test_exit_and_quit_leave(history, tmp_path, word):
    child = start(history, tmp_path)
    child.sendline(word)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_completion_of_meta_commands_paths_modules_and_locals(history, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "run.lode").write_text('print("ran it")\n')
    child = start(history, tmp_path)
    child.send(":lo\t")
    child.expect_exact(":load ")
    child.send("da\t")
    child.expect_exact("data/")
    child.send("\t\r")                     # the file in the completed directory
    child.expect_exact(PROMPT)
    assert "ran it" in child.before

    # A completed directory inside a string keeps the string open.
    child.send('print("da\t')
    child.expect_exact('"data/')
    child.send('run.lode")\r')
    child.expect_exact(PROMPT)
    assert "data/run.lode" in child.before and "error" not in child.before.lower()

    child.send('use "pipel\t')
    child.expect_exact('use "pipeline')
    child.send('"\r')
    child.expect_exact(PROMPT)

    # A function's parameter inside its body.
    child.sendline("fn scaled(alpha_value) {")
    child.expect(CONTINUATION)
    child.send("    alpha_v\t")
    child.expect_exact("alpha_value")
    child.send(" * 2\r")
    child.expect(CONTINUATION)
    child.sendline("}")
    child.expect_exact(PROMPT)
    assert "14" in run_line(child, "scaled(7)")
    quit_cleanly(child)


def test_history_goes_to_home_when_no_file_is_named(tmp_path):
    env = dict(os.environ, TERM="xterm", HOME=str(tmp_path))
    env.pop("LODE_HISTORY", None)
    child = pexpect.spawn(LODE, env=env, encoding="utf-8", timeout=15, dimensions=(40, 200), cwd=str(tmp_path))
    child.expect_exact(PROMPT)
    run_line(child, "6 * 7")
    quit_cleanly(child)
    assert "6 * 7" in (tmp_path / ".lode_history").read_text()
