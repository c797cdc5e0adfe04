#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Carries out the guest's requests to the host, over QEMU's QMP socket.

    qmp-agent.py QMP_SOCKET RESULTS_FILE AGENT_LOG

A guest script asks by writing a line to its results port (tests/guest/lib.sh,
host_request):

    VCRS-HOST <n> device_del <id>
    VCRS-HOST <n> device_add <driver> <id> [<property>=<value> ...]

The agent follows RESULTS_FILE, sends each new request to QEMU in order and
logs "<n> <command> ok" or "<n> <command> error: <reason>" to AGENT_LOG. A
device_del waits for QEMU's DEVICE_DELETED event (the guest ejected the device)
before the next request is sent, so that a device_add of the same id follows a
finished removal. The guest sees the outcome in its own sysfs. The agent ends
when QEMU closes the socket.
"""

import json
import socket
import sys
import time

DELETE_TIMEOUT_S = 60


class Qmp:
    """A QMP connection: commands with their replies, events kept aside."""

    def __init__(self, path):
        self.sock = None
        for _ in range(300):
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock = None
                time.sleep(0.1)
        if self.sock is None:
            raise OSError(f"cannot connect to {path}")
        # Lines are read from the socket itself: a stream from makefile() is
        # unusable after one timeout ("cannot read from timed out object"), so
        # a DEVICE_DELETED that came late would end the agent.
        self.buf = b""
        self.events = []
        self.read()  # the greeting
        self.command("qmp_capabilities")

    def read(self, timeout=None):
        """The next QMP message; TimeoutError if none comes within TIMEOUT s."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self.buf:
            if deadline is None:
                self.sock.settimeout(None)
            else:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no QMP message in time")
                self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("QEMU closed the QMP socket")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return json.loads(line)

    def command(self, name, **arguments):
        """Sends a command; returns its reply ("return" or "error")."""
        msg = {"execute": name}
        if arguments:
            msg["arguments"] = arguments
        self.sock.settimeout(None)
        self.sock.sendall((json.dumps(msg) + "\n").encode())
        while True:
            reply = self.read()
            if "event" in reply:
                self.events.append(reply)
            else:
                return reply

    def wait_event(self, name, device, timeout):
        """Waits for event NAME about DEVICE; whether it came in time."""
        deadline = time.monotonic() + timeout
        while True:
            for ev in self.events:
                if ev.get("event") == name and ev.get("data", {}).get("device") == device:
                    self.events.remove(ev)
                    return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                self.events.append(self.read(timeout=left))
            except (socket.timeout, TimeoutError):
                return False


def requests(path):
    """Yields the request lines appended to PATH, following it like tail -f."""
    pos = 0
    partial = b""
    while True:
        try:
            with open(path, "rb") as f:
                f.seek(pos)
                data = f.read()
        except FileNotFoundError:
            data = b""
        if data:
            pos += len(data)
            lines = (partial + data).split(b"\n")
            partial = lines.pop()
            for line in lines:
                line = line.decode(errors="replace").strip("\r")
                if line.startswith("VCRS-HOST "):
                    yield line.split()[1:]
        else:
            yield None


def serve(qmp, words):
    """Carries out one request; returns "ok" or "error: ...". """
    if len(words) < 3:
        return "error: malformed request"
    cmd, args = words[1], words[2:]
    if cmd == "device_del":
        reply = qmp.command("device_del", id=args[0])
        if "error" in reply:
            return "error: " + reply["error"].get("desc", str(reply["error"]))
        if not qmp.wait_event("DEVICE_DELETED", args[0], DELETE_TIMEOUT_S):
            return f"error: no DEVICE_DELETED within {DELETE_TIMEOUT_S} s"
        return "ok"
    if cmd == "device_add" and len(args) >= 2:
        props = {"driver": args[0], "id": args[1]}
        for prop in args[2:]:
            key, _, value = prop.partition("=")
            props[key] = value
        reply = qmp.command("device_add", **props)
        if "error" in reply:
            return "error: " + reply["error"].get("desc", str(reply["error"]))
        return "ok"
    return f"error: unknown request {cmd}"


def main():
    sock_path, results, log_path = sys.argv[1:4]
    with open(log_path, "w", buffering=1) as log:
        try:
            qmp = Qmp(sock_path)
        except OSError as e:
            log.write(f"agent: {e}\n")
            return
        log.write("agent: connected\n")
        for words in requests(results):
            try:
                if words is None:
                    # Nothing new: notice QEMU's exit while idle.
                    qmp.command("query-status")
                    time.sleep(0.2)
                    continue
                log.write(f"{words[0]} {' '.join(words[1:])} {serve(qmp, words)}\n")
            except (EOFError, OSError) as e:
                log.write(f"agent: {e}\n")
                return


if __name__ == "__main__":
    main()
