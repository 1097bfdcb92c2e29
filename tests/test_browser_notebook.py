"""A notebook with a map, a training history and a SHAP beeswarm, opened in JupyterLab under
headless Chromium (Debian's `chromium`): no output may be wider than its output area, and a
screenshot is kept in tests/artifacts/ for a person to look at. The notebook is executed on the
Lode kernel with nbclient first and trusted, so JupyterLab shows its SVGs as it would after
running the cells itself."""
import base64
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

import kernel_support  # noqa: F401  (installs the kernelspec)

import jupyterlab  # noqa: F401  (the test fails, not skips, without it: make deps installs it)
import nbformat
import websocket
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

ARTIFACTS = pathlib.Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CELLS = [
    'use "pipeline"\n'
    'prep = prepare(synthetic_survey(preset: "small", seed: 42), quick: true)\n'
    'model = ssgsnet(channels: 15, preset: "tiny", window: 16, seed: 3)\n'
    'fit = train(model, prep.data, epochs: 3, batch: 16);',
    'plot_map(prep.stack["Au"], faults: prep.survey.faults, deposits: prep.survey.deposits, hidden: prep.survey.hidden)',
    "plot_history(fit)",
    "shap(model, prep.data.val, count: 8, max_evals: 64, background: 4) |> beeswarm",
]

# Every output's box against its output area's, once the images have loaded.
MEASURE = """
(() => {
  const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
  const images = [...document.querySelectorAll('.jp-OutputArea-output img')];
  if (images.length < 3 || !images.every(i => i.complete && i.naturalWidth > 0)) return null;
  return outputs.map(o => {
    const area = o.getBoundingClientRect();
    const children = [...o.querySelectorAll('img, svg, pre, div')].map(c => c.getBoundingClientRect());
    const widest = Math.max(0, ...children.map(c => c.right - area.left));
    return {area: area.width, scroll: o.scrollWidth, client: o.clientWidth, widest: widest,
            images: [...o.querySelectorAll('img')].map(i => i.getBoundingClientRect().width),
            kind: o.querySelector('img') ? 'image' : 'text'};
  });
})()
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def get_json(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return json.loads(response.read())
    except OSError:
        return None


class DevTools:
    """Just enough of the Chrome DevTools Protocol: send a command, wait for its answer."""

    def __init__(self, url):
        self.socket = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")


@pytest.fixture
def executed_notebook(tmp_path):
    nb = new_notebook(metadata={"kernelspec": {"name": "lode", "display_name": "Lode", "language": "lode"}})
    nb.cells = [new_code_cell(code) for code in CELLS]
    NotebookClient(nb, timeout=600, kernel_name="lode").execute()
    path = tmp_path / "figures.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_notebook_outputs_fit_their_output_areas_in_jupyterlab(executed_notebook, tmp_path):
    assert CHROMIUM, "needs Debian's chromium (make deps installs it)"
    env = dict(os.environ, HOME=str(tmp_path), JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    # No "notified about Jupyter news?" toast over the screenshot's last figure.
    settings = tmp_path / "config/lab/user-settings/@jupyterlab/apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    # Trusted as a person who ran it would have it: SVG output is shown only for trusted cells.
    subprocess.run([sys.executable, "-m", "jupyter", "trust", str(executed_notebook)], env=env, check=True,
                   capture_output=True)
    lab_port, debug_port, token = free_port(), free_port(), "lode-browser-test"
    lab = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={lab_port}",
                            "--ServerApp.ip=127.0.0.1", "--allow-root", f"--IdentityProvider.token={token}",
                            f"--ServerApp.root_dir={tmp_path}", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                           env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "lab.log", "w"))
    browser = None
    try:
        wait_for(lambda: get_json(f"http://127.0.0.1:{lab_port}/api/status?token={token}"), 60, "JupyterLab")
        browser = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                    f"--remote-debugging-port={debug_port}", "--window-size=1280,2400",
                                    f"--user-data-dir={tmp_path / 'chromium'}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pages = wait_for(lambda: [p for p in (get_json(f"http://127.0.0.1:{debug_port}/json") or [])
                                  if p.get("type") == "page"], 30, "Chromium")
        tools = DevTools(pages[0]["webSocketDebuggerUrl"])
        tools.call("Page.enable")
        tools.call("Page.navigate", url=f"http://127.0.0.1:{lab_port}/lab/tree/{executed_notebook.name}?token={token}")
        measured = wait_for(lambda: tools.evaluate(MEASURE), 120, "the notebook's figures")
        time.sleep(1)  # let layout settle after the last image
        measured = tools.evaluate(MEASURE)
        ARTIFACTS.mkdir(exist_ok=True)
        shot = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        (ARTIFACTS / "jupyterlab_figures.png").write_bytes(base64.b64decode(shot["data"]))
        (ARTIFACTS / "jupyterlab_figures.json").write_text(json.dumps(measured, indent=1))
    finally:
        if browser:
            browser.kill()
            browser.wait()
        lab.terminate()
        lab.wait(timeout=30)

    images = [m for m in measured if m["kind"] == "image"]
    assert len(images) == 3, measured
    for output in measured:
        assert output["scroll"] <= output["client"] + 1, f"output scrolls sideways: {output}"
        assert output["widest"] <= output["area"] + 1, f"output wider than its area: {output}"
    for output in images:
        # Each figure is shown whole, no wider than its column but not shrunk to a thumbnail.
        assert all(0.3 * output["area"] <= width <= output["area"] + 1 for width in output["images"]), output
