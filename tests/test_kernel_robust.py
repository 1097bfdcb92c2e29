"""The kernel against hostile input and a dying front end: a cell that asks for far too much
memory, a wrong-range argument or an unset local ends with an error while the kernel and its
variables survive; a kernel whose parent process dies exits (as ipykernel does)."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

import pytest
from jupyter_client.manager import start_new_kernel

import kernel_support  # noqa: F401  (installs the kernelspec)
from kernel_support import LODE_BIN


def _execute(client, code):
    reply = client.execute_interactive(code, timeout=120, output_hook=lambda message: None)
    return reply["content"]


def test_hostile_cells_fail_and_the_session_keeps_its_variables():
    manager, client = start_new_kernel(kernel_name="lode")
    try:
        assert _execute(client, "kept = 41")["status"] == "ok"
        for code, name in [
            ("g = grid({west: 0, south: 0, east: 40000, north: 40000}, cell: 0.04)", "CommandError"),
            ("linear(1000000, 1000000)", "CommandError"),
            ("batchnorm(-2)", "ArgumentError"),
            ("parameter([1e20])", "ArgumentError"),
            ("fn g() { for i in range(3) { total = (total or 0) + i }; total }\ng()", "NameError"),
        ]:
            content = _execute(client, code)
            assert content["status"] == "error", code
            assert content["ename"] == name, (code, content)
        assert manager.is_alive()
        outputs = []
        client.execute_interactive("kept + 1", timeout=30,
                                   output_hook=lambda message: outputs.append(message))
        results = [m["content"]["data"]["text/plain"] for m in outputs
                   if m["msg_type"] == "execute_result"]
        assert results == ["42"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


PARENT = textwrap.dedent("""
    import json, os, subprocess, sys, time
    from jupyter_client.connect import write_connection_file
    path, _ = write_connection_file(fname=sys.argv[2])
    env = dict(os.environ, JPY_PARENT_PID=str(os.getpid()))
    kernel = subprocess.Popen([sys.argv[1], "kernel", "-f", path], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(kernel.pid, flush=True)
    time.sleep(600)
""")


def test_the_kernel_exits_when_its_parent_dies():
    folder = tempfile.mkdtemp(prefix="lode-parent-")
    parent = subprocess.Popen([sys.executable, "-c", PARENT, LODE_BIN,
                               os.path.join(folder, "connection.json")],
                              stdout=subprocess.PIPE, text=True)
    kernel_pid = int(parent.stdout.readline())
    time.sleep(1.0)
    os.kill(kernel_pid, 0)  # running while its parent lives
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            # The kernel was the parent's child: once reparented it is no zombie of ours.
            os.kill(kernel_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(kernel_pid, signal.SIGKILL)
        pytest.fail("the kernel kept running after its parent died")
