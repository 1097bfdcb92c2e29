"""The kernel as JupyterLab, jupyter console and exporters use it: figures that fit the output
area, progress as lines for a console, exit/quit, comms, help in the pager, syntax names and
help links, and interrupted training. LODE_BIN points to the `lode` binary."""
import os
import re
import time
import uuid

import pexpect
import pytest
from jupyter_client import KernelManager

from kernel_support import execute_in_cell
from test_kernel_protocol import TIMEOUT, PREPARE, kernel, result_text, run_cell  # noqa: F401

HISTORY = ('use "pipeline"\n'
           'prep = prepare(synthetic_survey(preset: "small", seed: 42), quick: true)\n'
           'model = ssgsnet(channels: 15, preset: "tiny", window: 16, seed: 3)\n'
           'fit = train(model, prep.data, epochs: 3, batch: 16)')


MAP = ('plot_map(prep.stack["Au"], faults: prep.survey.faults, deposits: prep.survey.deposits, '
       'hidden: prep.survey.hidden)')


def displayed(outputs, mime):
    return [m["content"]["data"][mime] for m in outputs
            if m["msg_type"] in ("display_data", "execute_result") and mime in m["content"]["data"]]


def svg_root(svg):
    return re.search(r"<svg [^>]*>", svg).group(0)


def fitted_width_px(svg):
    """The largest width the notebook SVG may take (its max-width), in CSS pixels."""
    root = svg_root(svg)
    assert 'width="100%"' in root, root
    assert re.search(r'viewBox="0 0 [\d.]+ [\d.]+"', root), root
    return float(re.search(r"max-width:([\d.]+)px", root).group(1))


# -- figures -------------------------------------------------------------------------------

def test_history_and_map_fit_a_960_px_column_and_name_the_validation_curve(kernel):
    _, kc = kernel
    reply, _ = run_cell(kc, HISTORY, timeout=240)
    assert reply["content"]["status"] == "ok", reply["content"]
    reply, outputs = run_cell(kc, "plot_history(fit)")
    assert reply["content"]["status"] == "ok", reply["content"]
    svg = displayed(outputs, "image/svg+xml")[0]
    assert fitted_width_px(svg) <= 960
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    # The validation AUC panel's only curve is the validation one (it was labelled "Training").
    assert "Validation AUC" in texts and texts.count("Validation") == 3 and texts.count("Training") == 2, texts
    assert displayed(outputs, "image/png"), "the PNG stays in the bundle for exports and consoles"

    reply, outputs = run_cell(kc, MAP)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert fitted_width_px(displayed(outputs, "image/svg+xml")[0]) <= 960


def test_a_figure_can_be_resized_within_limits(kernel):
    _, kc = kernel
    reply, outputs = run_cell(kc, 'f = histogram([1, 2, 2, 3, 3, 3])\n[f.width, resize(f, width: 400, height: 300).width]')
    assert reply["content"]["status"] == "ok", reply["content"]
    original, resized = eval(result_text(outputs)[0])
    assert resized == 400 and original != 400
    reply, outputs = run_cell(kc, "show(f, width: 500)")
    assert fitted_width_px(displayed(outputs, "image/svg+xml")[0]) == pytest.approx(500 * 4 / 3, abs=0.01)
    reply, _ = run_cell(kc, "resize(f, width: 20)")
    assert reply["content"]["status"] == "error"
    assert "width" in reply["content"]["evalue"] and "100" in reply["content"]["evalue"], reply["content"]["evalue"]
    reply, _ = run_cell(kc, "show(42, width: 300)")
    assert reply["content"]["status"] == "error" and "figure" in reply["content"]["evalue"]


# -- console habits ------------------------------------------------------------------------

PROGRESS = 'for i in range(4) { progress((i + 1) / 4, message: "tile " + str(i + 1)) }'


def test_progress_is_plain_lines_for_a_front_end_that_names_no_cell(kernel):
    _, kc = kernel
    reply, outputs = run_cell(kc, PROGRESS)   # what jupyter console sends
    assert reply["content"]["status"] == "ok"
    assert not [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data")]
    text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
    lines = text.splitlines()
    assert lines[0].endswith("25% tile 1") and lines[-1].endswith("100% tile 4"), lines
    assert len(lines) <= 4


def test_exit_and_quit_ask_the_front_end_to_leave(kernel):
    _, kc = kernel
    for word in ["exit", "quit", "exit()"]:
        reply, outputs = run_cell(kc, word)
        assert reply["content"]["status"] == "ok", reply["content"]
        assert {"source": "ask_exit", "keepkernel": False} in reply["content"]["payload"]
    # A variable of that name is just a variable.
    reply, outputs = run_cell(kc, "exit = 3\nexit")
    assert result_text(outputs) == ["3"] and reply["content"]["payload"] == []


def test_comm_open_of_an_unknown_target_is_closed(kernel):
    _, kc = kernel
    comm_id = uuid.uuid4().hex
    msg = kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget", "data": {}})
    kc.shell_channel.send(msg)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        reply = kc.get_iopub_msg(timeout=TIMEOUT)
        if reply["msg_type"] == "comm_close":
            assert reply["content"]["comm_id"] == comm_id
            assert reply["parent_header"]["msg_id"] == msg["header"]["msg_id"]
            break
    else:
        pytest.fail("no comm_close")
    # The kernel still answers.
    assert result_text(run_cell(kc, "1 + 1")[1]) == ["2"]


def test_help_in_the_pager_suggests_a_close_name(kernel):
    _, kc = kernel
    reply, _ = run_cell(kc, "?idw")
    page = reply["content"]["payload"][0]["data"]["text/plain"]
    assert page.startswith("idw(")
    reply, _ = run_cell(kc, "idww?")
    assert reply["content"]["payload"][0]["data"]["text/plain"] == \
        "no command or variable named 'idww'; did you mean 'idw'?"


# -- kernel_info ---------------------------------------------------------------------------

def kernel_info(env=None):
    km = KernelManager(kernel_name="lode")
    km.start_kernel(env=dict(os.environ, **(env or {})))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        kc.kernel_info()
        return kc.get_shell_msg(timeout=TIMEOUT)["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_kernel_info_names_the_lode_lexer_and_only_web_help_links():
    plain = kernel_info({"LODE_DOCS_URL": ""})
    assert plain["language_info"]["pygments_lexer"] == "lode"
    assert plain["language_info"]["codemirror_mode"] == "ruby"
    assert plain["help_links"] == []   # no file:// pages the browser would refuse
    linked = kernel_info({"LODE_DOCS_URL": "https://docs.example.org/lode/"})
    assert [link["url"] for link in linked["help_links"]] == [
        "https://docs.example.org/lode/language.md", "https://docs.example.org/lode/reference.md"]


# -- interrupted training ------------------------------------------------------------------

def test_interrupted_training_keeps_the_best_epoch_and_the_history(kernel):
    km, kc = kernel
    reply, _ = run_cell(kc, PREPARE, timeout=240)
    assert reply["content"]["status"] == "ok", reply["content"]
    msg_id = execute_in_cell(kc, "fit = train(model, prep.data, epochs: 1000, batch: 16)", "cell-train")
    epochs_done = 0
    while epochs_done < 3:   # each finished epoch prints a line with its validation AUC
        msg = kc.get_iopub_msg(timeout=240)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            epochs_done += len(re.findall(r"val_auc|AUC", msg["content"]["text"]))
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    assert reply["content"]["status"] == "error"
    said = ""
    while True:   # the cell's last words, up to its idle status
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            said += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    # It says what was kept and where the run's record is.
    assert re.search(r"train .+?: interrupted at .*best epoch.*model\.history", said, re.S), said
    reply, outputs = run_cell(kc, "h = model.history\n[h.status, h.epochs >= 3, h.best_epoch, h.best_auc, auc(model, prep.data.val)]",
                              timeout=120)
    assert reply["content"]["status"] == "ok", reply["content"]
    status, enough, best_epoch, best_auc, model_auc = eval(result_text(outputs)[0].replace("true", "True").replace("false", "False"))
    assert status == "interrupted" and enough
    # The weights are the best epoch's: the model scores the validation set as that epoch did.
    assert model_auc == pytest.approx(best_auc, abs=1e-6)
    reply, outputs = run_cell(kc, "h.val_auc[h.best_epoch - 1] == h.best_auc")
    assert result_text(outputs) == ["true"]


# -- jupyter console -----------------------------------------------------------------------

def test_jupyter_console_shows_progress_lines_and_leaves_on_exit(tmp_path):
    import sys
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    child = pexpect.spawn(sys.executable, ["-m", "jupyter_console", "--kernel", "lode", "--simple-prompt"],
                          env=env, encoding="utf-8", timeout=60, cwd=str(tmp_path))
    try:
        child.expect(r"In \[1\]: ")
        child.sendline(PROGRESS)
        # Every line arrives: a console cannot redraw the display the first state was put in.
        child.expect_exact("25% tile 1")
        child.expect_exact("100% tile 4")
        child.expect(r"In \[2\]: ")
        child.sendline("6 * 7")
        child.expect(r"Out\[2\]: 42")
        child.expect(r"In \[3\]: ")
        child.sendline("exit")
        child.expect(pexpect.EOF, timeout=30)
        assert "NameError" not in child.before and "unknown name" not in child.before
    finally:
        child.close(force=True)
