#!/usr/bin/env python3
"""Kernel benchmark: start-to-kernel_info_reply and a `1 + 1` execute round trip (reply and
idle both received), median of 50 each, for Lode's kernel and ipykernel in the same run.

Usage: LODE_BIN=.build/release/lode .venv/bin/python scripts/bench_kernel.py [--runs 50]
Ends with one line `RESULT {json}`; ratio_vs_reference = ipykernel time / Lode time."""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import zmq
from jupyter_client.session import Session


def free_ports(count):
    sockets, ports = [], []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


class Kernel:
    """One kernel process and raw sockets to it, so nothing but the kernel is timed."""

    def __init__(self, argv_for):
        shell, iopub, stdin, control, hb = free_ports(5)
        key = uuid.uuid4().hex
        self.info = dict(shell_port=shell, iopub_port=iopub, stdin_port=stdin, control_port=control,
                         hb_port=hb, ip="127.0.0.1", transport="tcp", key=key,
                         signature_scheme="hmac-sha256")
        handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump(self.info, handle)
        handle.close()
        self.path = handle.name
        self.session = Session(key=key.encode())
        self.context = zmq.Context()
        self.shell = self.context.socket(zmq.DEALER)
        # Retry the connection every 5 ms while the kernel starts, not every 100 ms (the
        # default), so the start time measures the kernel rather than the retry interval.
        self.shell.setsockopt(zmq.RECONNECT_IVL, 5)
        self.iopub = self.context.socket(zmq.SUB)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(argv_for(self.path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.shell.connect(f"tcp://127.0.0.1:{shell}")
        self.iopub.connect(f"tcp://127.0.0.1:{iopub}")

    def request(self, msg_type, content, wait_idle, limit=60.0):
        """Sends a request and waits for its reply (and its idle status); None past `limit` s."""
        msg = self.session.send(self.shell, msg_type, content)
        reply = None
        idle = not wait_idle
        poller = zmq.Poller()
        poller.register(self.shell, zmq.POLLIN)
        poller.register(self.iopub, zmq.POLLIN)
        deadline = time.perf_counter() + limit
        while reply is None or not idle:
            if time.perf_counter() > deadline:
                return None
            for sock, _ in poller.poll(50):
                _, message = self.session.recv(sock, mode=zmq.NOBLOCK)
                if message is None or message["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
                    continue
                if sock is self.shell:
                    reply = message
                elif message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                    idle = True
        return reply

    def close(self):
        self.session.send(self.shell, "shutdown_request", {"restart": False})
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.shell.close(0)
        self.iopub.close(0)
        self.context.term()
        os.unlink(self.path)


def measure(argv_for, runs):
    starts, round_trips = [], []
    for _ in range(runs):
        kernel = Kernel(argv_for)
        if kernel.request("kernel_info_request", {}, wait_idle=False) is None:
            raise RuntimeError("the kernel never answered kernel_info_request")
        starts.append(time.perf_counter() - kernel.started)
        # Repeat until iopub's subscription is live, so the idle message can be seen.
        while kernel.request("kernel_info_request", {}, wait_idle=True, limit=0.5) is None:
            pass
        begin = time.perf_counter()
        reply = kernel.request("execute_request", {"code": "1 + 1", "silent": False, "store_history": True,
                                                   "user_expressions": {}, "allow_stdin": False,
                                                   "stop_on_error": True}, wait_idle=True)
        if reply is None:
            raise RuntimeError("no answer to execute_request")
        round_trips.append(time.perf_counter() - begin)
        assert reply["content"]["status"] == "ok", reply["content"]
        kernel.close()
    return statistics.median(starts) * 1000, statistics.median(round_trips) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    lode = os.environ.get("LODE_BIN", ".build/release/lode")
    lode_start, lode_rt = measure(lambda path: [lode, "kernel", "-f", path], args.runs)
    print(f"lode:      start {lode_start:8.2f} ms   1 + 1 {lode_rt:7.3f} ms", file=sys.stderr)
    ipy_start, ipy_rt = measure(lambda path: [sys.executable, "-m", "ipykernel_launcher", "-f", path], args.runs)
    print(f"ipykernel: start {ipy_start:8.2f} ms   1 + 1 {ipy_rt:7.3f} ms", file=sys.stderr)
    result = {
        "bench": "kernel", "runs": args.runs,
        "lode": {"start_to_kernel_info_ms": round(lode_start, 3), "execute_round_trip_ms": round(lode_rt, 3)},
        "ipykernel": {"start_to_kernel_info_ms": round(ipy_start, 3), "execute_round_trip_ms": round(ipy_rt, 3)},
        "ratio_vs_reference": {"start": round(ipy_start / lode_start, 3),
                               "execute_round_trip": round(ipy_rt / lode_rt, 3)},
    }
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
