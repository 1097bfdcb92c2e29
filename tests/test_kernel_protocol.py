"""Protocol tests against the real `lode kernel`, driven by jupyter_client and raw pyzmq."""
import json
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest
import zmq
from jupyter_client import BlockingKernelClient, KernelManager
from jupyter_client.session import Session

from kernel_support import LODE_BIN, execute_in_cell

TIMEOUT = 15
LONG_CELL = "n = 0\nwhile true { n = n + 1 }"


def free_ports(count, ip="127.0.0.1"):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind((ip, 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


class RawKernel:
    """`lode kernel -f FILE` started from a connection file this test writes itself."""

    def __init__(self, tmp_path, key="secret-key", ip="127.0.0.1", transport="tcp"):
        if transport == "tcp":
            ports = free_ports(5, ip)
        else:
            ports = [1, 2, 3, 4, 5]
        self.info = dict(zip(["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"], ports),
                         ip=ip, transport=transport, key=key, signature_scheme="hmac-sha256")
        self.path = tmp_path / "connection.json"
        self.path.write_text(json.dumps(self.info))
        self.process = subprocess.Popen([LODE_BIN, "kernel", "-f", str(self.path)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.client = BlockingKernelClient(connection_file=str(self.path))
        self.client.load_connection_file()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=TIMEOUT)

    def endpoint(self, channel):
        port = self.info[f"{channel}_port"]
        if self.info["transport"] == "ipc":
            return f"ipc://{self.info['ip']}-{port}"
        return f"tcp://{self.info['ip']}:{port}"

    def close(self):
        self.client.stop_channels()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.process.stderr.close()


@pytest.fixture
def raw_kernel(tmp_path):
    kernel = RawKernel(tmp_path)
    yield kernel
    kernel.close()


@pytest.fixture
def kernel():
    km = KernelManager(kernel_name="lode")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    yield km, kc
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)


def run_cell(kc, code, timeout=TIMEOUT, cell_id=None, **options):
    """Executes a cell (as a notebook's cell `cell_id` when given); returns the reply and the
    iopub messages up to idle."""
    msg_id = execute_in_cell(kc, code, cell_id, **options) if cell_id else kc.execute(code, **options)
    reply = kc.get_shell_msg(timeout=timeout)
    assert reply["parent_header"]["msg_id"] == msg_id
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        outputs.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return reply, outputs


def result_text(outputs):
    return [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]


# -- signing -------------------------------------------------------------------------------

def raw_shell(kernel, key):
    context = zmq.Context.instance()
    sock = context.socket(zmq.DEALER)
    sock.linger = 0
    sock.connect(kernel.endpoint("shell"))
    return sock, Session(key=key)


def replies_within(sock, session, seconds):
    replies = []
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if poller.poll(50):
            _, msg = session.recv(sock)
            replies.append(msg)
    return replies


def test_wrong_empty_and_replayed_signatures_get_no_reply(raw_kernel):
    key = raw_kernel.info["key"].encode()
    sock, good = raw_shell(raw_kernel, key)
    wrong = Session(key=b"not-the-key")
    unsigned = Session(key=b"")
    wrong.send(sock, "kernel_info_request")
    unsigned.send(sock, "kernel_info_request")
    assert replies_within(sock, good, 0.5) == []
    # A correctly signed message is still answered after the bad ones.
    msg = good.msg("kernel_info_request")
    frames = good.serialize(msg)
    sock.send_multipart(frames)
    replies = replies_within(sock, good, 1.0)
    assert [r["parent_header"]["msg_id"] for r in replies] == [msg["header"]["msg_id"]]
    # The same frames again are a replay: dropped; the next fresh message is answered.
    sock.send_multipart(frames)
    assert replies_within(sock, good, 0.5) == []
    fresh = good.send(sock, "kernel_info_request")
    replies = replies_within(sock, good, 1.0)
    assert [r["parent_header"]["msg_id"] for r in replies] == [fresh["header"]["msg_id"]]
    assert raw_kernel.process.poll() is None
    sock.close()


def test_garbage_frames_do_not_kill_the_kernel(raw_kernel):
    sock, good = raw_shell(raw_kernel, raw_kernel.info["key"].encode())
    for frames in ([b"junk"], [b"<IDS|MSG>"], [b"<IDS|MSG>", b"sig", b"{", b"{}", b"{}", b"{}"], [b""] * 9):
        sock.send_multipart(frames)
    fresh = good.send(sock, "kernel_info_request")
    replies = replies_within(sock, good, 1.0)
    assert [r["parent_header"]["msg_id"] for r in replies] == [fresh["header"]["msg_id"]]
    sock.close()


def test_empty_key_accepts_unsigned_messages(tmp_path):
    kernel = RawKernel(tmp_path, key="")
    try:
        sock, unsigned = raw_shell(kernel, b"")
        msg = unsigned.send(sock, "kernel_info_request")
        assert msg is not None
        replies = replies_within(sock, unsigned, 1.0)
        assert [r["parent_header"]["msg_id"] for r in replies] == [msg["header"]["msg_id"]]
        assert replies[0]["content"]["language_info"]["name"] == "lode"
        sock.close()
    finally:
        kernel.close()


# -- addresses -----------------------------------------------------------------------------

def listening_tcp():
    """(address, port) of every listening TCP socket, from /proc/net/tcp and tcp6."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in pathlib.Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            if state != "0A":
                continue
            address, port = local.split(":")
            found.append((address, int(port, 16)))
    return found


def test_every_socket_listens_only_on_the_connection_ip(tmp_path):
    # 127.0.0.2 is a loopback address that no default would pick: only honouring the file gets it.
    kernel = RawKernel(tmp_path, ip="127.0.0.2")
    try:
        ports = {kernel.info[f"{c}_port"] for c in ("shell", "iopub", "stdin", "control", "hb")}
        listening = [(a, p) for a, p in listening_tcp() if p in ports]
        assert sorted(p for _, p in listening) == sorted(ports)
        assert {a for a, _ in listening} == {"0200007F"}  # 127.0.0.2, little-endian hex
        assert kernel.client.is_alive()
    finally:
        kernel.close()


def test_ipc_transport(tmp_path):
    kernel = RawKernel(tmp_path, ip=str(tmp_path / "lode-ipc"), transport="ipc")
    try:
        for port in range(1, 6):
            assert (tmp_path / f"lode-ipc-{port}").is_socket()
        reply, outputs = run_cell(kernel.client, "1 + 1")
        assert reply["content"]["status"] == "ok"
        assert result_text(outputs) == ["2"]
    finally:
        kernel.close()


# -- interruption and shutdown -------------------------------------------------------------

def start_long_cell(kc):
    msg_id = kc.execute(LONG_CELL)
    while True:  # wait until the cell is running
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
            time.sleep(0.2)
            return msg_id


def check_interrupted_and_state_kept(kc, msg_id, interrupted_at):
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    elapsed = time.monotonic() - interrupted_at
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error"
    assert elapsed < 1.0, f"execute_reply came {elapsed:.3f} s after the interrupt"
    print(f"execute_reply {elapsed * 1000:.1f} ms after the interrupt")
    reply, outputs = run_cell(kc, "[kept + 1, n > 0]")
    assert reply["content"]["status"] == "ok"
    assert result_text(outputs) == ["[42, true]"]
    assert outputs[-1]["content"]["execution_state"] == "idle"


def test_interrupt_request_stops_a_running_cell_and_keeps_variables(kernel):
    km, kc = kernel
    run_cell(kc, "kept = 41")
    msg_id = start_long_cell(kc)
    started = time.monotonic()
    km.interrupt_kernel()  # interrupt_mode "message": an interrupt_request on control
    check_interrupted_and_state_kept(kc, msg_id, started)


def test_sigint_stops_a_running_cell_and_keeps_variables(raw_kernel):
    kc = raw_kernel.client
    run_cell(kc, "kept = 41")
    msg_id = start_long_cell(kc)
    started = time.monotonic()
    raw_kernel.process.send_signal(signal.SIGINT)
    check_interrupted_and_state_kept(kc, msg_id, started)


def test_shutdown_replies_and_exits_within_a_second(raw_kernel):
    kc = raw_kernel.client
    started = time.monotonic()
    msg_id = kc.shutdown()
    reply = kc.control_channel.get_msg(timeout=TIMEOUT)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"] == {"status": "ok", "restart": False}
    raw_kernel.process.wait(timeout=5)
    elapsed = time.monotonic() - started
    print(f"shutdown: process exited {elapsed * 1000:.1f} ms after the request")
    assert elapsed < 1.0
    assert raw_kernel.process.returncode == 0


# -- stdin, output, robustness -------------------------------------------------------------

def test_input_round_trips_through_stdin(kernel):
    _, kc = kernel
    msg_id = kc.execute('name = input("survey file: ")\nprint("reading " + name)', allow_stdin=True)
    request = kc.get_stdin_msg(timeout=TIMEOUT)
    assert request["msg_type"] == "input_request"
    assert request["content"]["prompt"] == "survey file: "
    kc.input("samples.csv")
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "ok"
    text = ""
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            text += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    assert text == "reading samples.csv\n"


def test_execute_counts_errors_and_stop_on_error(kernel):
    _, kc = kernel
    reply, _ = run_cell(kc, "a = 1")
    assert reply["content"]["execution_count"] == 1
    reply, outputs = run_cell(kc, "a + undefined_name")
    assert reply["content"]["status"] == "error"
    error = [m for m in outputs if m["msg_type"] == "error"][0]["content"]
    assert error["ename"] and error["evalue"] and error["traceback"]
    reply, _ = run_cell(kc, "a = 2", silent=True)
    assert reply["content"]["execution_count"] == 2
    reply, outputs = run_cell(kc, "a", user_expressions={"twice": "a * 2", "bad": "nope("})
    assert result_text(outputs) == ["2"]
    expressions = reply["content"]["user_expressions"]
    assert expressions["twice"] == {"status": "ok", "data": {"text/plain": "4"}, "metadata": {}}
    assert expressions["bad"]["status"] == "error"


def test_many_cells_leave_the_kernel_answering_with_bounded_memory(kernel):
    km, kc = kernel
    pid = km.provisioner.process.pid

    def rss_mb():
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

    for i in range(50):
        run_cell(kc, f"x{i % 5} = {i}")
    before = rss_mb()
    for i in range(1000):
        code = f"missing_{i} + 1" if i % 3 == 0 else f"v = [{i}, {i} * 2]\nprint(v)"
        reply, _ = run_cell(kc, code)
        assert reply["content"]["status"] == ("error" if i % 3 == 0 else "ok")
    growth = rss_mb() - before
    print(f"RSS {before:.1f} MB before, growth {growth:.1f} MB over 1000 cells")
    reply, outputs = run_cell(kc, "1 + 1")
    assert result_text(outputs) == ["2"]
    assert growth < 50, f"RSS grew {growth:.1f} MB over 1000 cells"


def test_progress_is_one_display_updated_in_place(kernel):
    _, kc = kernel
    # A notebook names the cell it runs; a console does not (and gets lines instead).
    reply, outputs = run_cell(kc, 'for i in range(4) { progress((i + 1) / 4, message: "epoch " + str(i + 1)) }',
                              cell_id="cell-progress")
    assert reply["content"]["status"] == "ok"
    displays = [m for m in outputs if m["msg_type"] == "display_data"]
    updates = [m for m in outputs if m["msg_type"] == "update_display_data"]
    assert len(displays) == 1 and len(updates) >= 1
    display_id = displays[0]["content"]["transient"]["display_id"]
    assert all(u["content"]["transient"]["display_id"] == display_id for u in updates)
    assert "25%" in displays[0]["content"]["data"]["text/plain"]
    final = updates[-1]["content"]["data"]
    assert "100% epoch 4" in final["text/plain"] and "<progress" in final["text/html"]
    # The next cell's progress is a new display.
    _, outputs = run_cell(kc, 'progress(0.5, message: "mapping")', cell_id="cell-mapping")
    again = [m for m in outputs if m["msg_type"] == "display_data"]
    assert len(again) == 1 and again[0]["content"]["transient"]["display_id"] != display_id


def test_stream_output_arrives_while_the_cell_still_runs(kernel):
    _, kc = kernel
    # Size a busy loop to about two seconds on this machine (the calibration loop is long
    # enough that message round trips and a busy neighbour do not dominate it).
    started = time.monotonic()
    run_cell(kc, "n = 0\nwhile n < 1000000 { n = n + 1 }")
    count = int(2 * 1000000 / max(time.monotonic() - started, 1e-3))
    sent = time.monotonic()
    msg_id = kc.execute(f'print("started")\nn = 0\nwhile n < {count} {{ n = n + 1 }}\nprint("done")')
    streamed_at = None
    while streamed_at is None:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            assert msg["content"]["text"] == "started\n"
            streamed_at = time.monotonic()
    reply = kc.get_shell_msg(timeout=60)
    finished = time.monotonic()
    assert reply["content"]["status"] == "ok"
    assert finished - sent > 0.5, "the loop ran too briefly to tell"
    assert streamed_at - sent < 0.5 * (finished - sent), "stdout was held back until the cell ended"


def test_sigint_between_cells_is_ignored(raw_kernel):
    kc = raw_kernel.client
    run_cell(kc, "kept = 1")
    raw_kernel.process.send_signal(signal.SIGINT)
    time.sleep(0.2)
    assert raw_kernel.process.poll() is None
    reply, outputs = run_cell(kc, "kept + 1")
    assert reply["content"]["status"] == "ok" and result_text(outputs) == ["2"]


def test_interrupt_while_waiting_for_input(kernel):
    km, kc = kernel
    msg_id = kc.execute('answer = input("threshold: ")', allow_stdin=True)
    assert kc.get_stdin_msg(timeout=TIMEOUT)["msg_type"] == "input_request"
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "error"
    reply, outputs = run_cell(kc, "2 * 3")
    assert result_text(outputs) == ["6"]


# -- training cells ------------------------------------------------------------------------

PREPARE = ('use "pipeline"\n'
           'prep = prepare(synthetic_survey(preset: "small", seed: 42), quick: true)\n'
           'model = ssgsnet(channels: 15, preset: "tiny", window: 16, seed: 3)\n'
           'kept = 41')


def test_training_cell_shows_one_progress_display_updated_in_place(kernel):
    _, kc = kernel
    reply, _ = run_cell(kc, PREPARE, timeout=120)
    assert reply["content"]["status"] == "ok", reply["content"]
    reply, outputs = run_cell(kc, "fit = train(model, prep.data, epochs: 2, batch: 16)", timeout=120,
                              cell_id="cell-train")
    assert reply["content"]["status"] == "ok", reply["content"]
    displays = [m for m in outputs if m["msg_type"] == "display_data"]
    updates = [m for m in outputs if m["msg_type"] == "update_display_data"]
    assert len(displays) == 1, [m["content"] for m in displays]
    assert len(updates) >= 1
    display_id = displays[0]["content"]["transient"]["display_id"]
    assert all(u["content"]["transient"]["display_id"] == display_id for u in updates)
    assert "100%" in updates[-1]["content"]["data"]["text/plain"]


def test_interrupting_a_training_cell_keeps_the_model_and_variables(kernel):
    km, kc = kernel
    reply, _ = run_cell(kc, PREPARE, timeout=120)
    assert reply["content"]["status"] == "ok", reply["content"]
    msg_id = execute_in_cell(kc, "fit = train(model, prep.data, epochs: 1000, batch: 16)", "cell-train")
    while True:  # wait until training reports its first progress
        msg = kc.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "display_data":
            break
    started = time.monotonic()
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    elapsed = time.monotonic() - started
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error"
    assert elapsed < 1.0, f"execute_reply came {elapsed:.3f} s after the interrupt"
    reply, outputs = run_cell(kc, "[kept + 1, model.parameters > 0, model.history.status]")
    assert reply["content"]["status"] == "ok", reply["content"]
    assert result_text(outputs) == ['[42, true, "interrupted"]']
    assert outputs[-1]["content"]["execution_state"] == "idle"
