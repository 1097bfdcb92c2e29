"""Shared setup for the kernel's Python tests, done once when the first kernel test module is
imported: find the `lode` binary (LODE_BIN, as the Makefile sets it) and install its
kernelspec into a folder under the build directory, visible to Jupyter through JUPYTER_PATH."""
import json
import os
import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
LODE_BIN = os.environ.get("LODE_BIN") or str(ROOT / ".build" / "release" / "lode")
SPEC_PREFIX = ROOT / ".build" / "jupyter-test"


def _install_kernelspec():
    if not os.access(LODE_BIN, os.X_OK):
        raise RuntimeError(f"no lode binary at {LODE_BIN}; build it or set LODE_BIN")
    shutil.rmtree(SPEC_PREFIX, ignore_errors=True)
    subprocess.run([LODE_BIN, "kernel", "install", "--prefix", str(SPEC_PREFIX)], check=True,
                   stdout=subprocess.DEVNULL)
    spec = json.loads((SPEC_PREFIX / "share/jupyter/kernels/lode/kernel.json").read_text())
    assert spec["argv"][1:] == ["kernel", "-f", "{connection_file}"], spec
    os.environ["JUPYTER_PATH"] = str(SPEC_PREFIX / "share" / "jupyter")
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"


_install_kernelspec()


def execute_in_cell(kc, code, cell_id, **options):
    """Sends an execute_request the way JupyterLab does, naming its cell in the metadata
    (jupyter_client's execute() cannot); returns the msg_id. Front ends that name cells redraw
    displays in place, so the kernel updates its progress display for them."""
    content = dict(code=code, silent=False, store_history=True, user_expressions={},
                   allow_stdin=False, stop_on_error=True)
    content.update(options)
    msg = kc.session.msg("execute_request", content, metadata={"cellId": cell_id})
    kc.shell_channel.send(msg)
    return msg["header"]["msg_id"]
