"""The suite is offline: the test process and every Python it starts fail at once on the network.

No test here sends a packet anywhere: before trying a blocked address, each probe swaps the real
socket functions behind the guard for a tripwire, so a guard that let a call through would
trip it instead of reaching the network.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import offline_guard
import pytest
from conftest import OFFLINE_DIR, browser_args

# Runs in a fresh Python with the tests' environment: loopback first (the real functions), then
# the blocked calls (tripwires behind the guard), then one blocked call left to fail the process.
PROBE = r"""
import json, socket, sys, urllib.request

guard = sys.modules.get("offline_guard")
if guard is None or not guard.installed():
    sys.exit("PROBE: the offline guard is not installed in this process")

outcome = {}
with socket.socket() as server:
    server.bind(("127.0.0.1", 0))
    server.listen()
    with socket.create_connection(server.getsockname(), timeout=5) as client:
        peer, _ = server.accept()
        client.sendall(b"ping")
        outcome["loopback"] = peer.recv(4).decode()
        peer.close()
outcome["localhost"] = sorted({a[4][0] for a in socket.getaddrinfo("localhost", 80)})

def tripwire(*args, **kwargs):
    raise RuntimeError("TRIPWIRE: the guard let a call through")

for name in guard.REAL:
    guard.REAL[name] = tripwire

attempts = {
    "connect": lambda: socket.socket().connect(("192.0.2.1", 80)),
    "connect_ex": lambda: socket.socket().connect_ex(("192.0.2.1", 80)),
    "connect_ipv6": lambda: socket.socket(socket.AF_INET6).connect(("2001:db8::1", 80, 0, 0)),
    "create_connection": lambda: socket.create_connection(("192.0.2.1", 80), timeout=5),
    "getaddrinfo": lambda: socket.getaddrinfo("example.com", 80),
    "gethostbyname": lambda: socket.gethostbyname("example.com"),
    "urlopen": lambda: urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
        "http://example.com/", timeout=5),
}
for name, attempt in attempts.items():
    try:
        attempt()
        outcome[name] = "connected"
    except BaseException as err:
        outcome[name] = f"{type(err).__name__}: {err}"
print(json.dumps(outcome))
sys.stdout.flush()
socket.create_connection(("192.0.2.1", 80), timeout=5)
"""

BLOCKED = (
    "connect",
    "connect_ex",
    "connect_ipv6",
    "create_connection",
    "getaddrinfo",
    "gethostbyname",
    "urlopen",
)


def test_subprocesses_start_guarded() -> None:
    assert os.environ["PYTHONPATH"].split(os.pathsep)[0] == str(OFFLINE_DIR)
    assert os.environ[offline_guard.ENV] == "1"
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert time.monotonic() - started < 30  # failed at once, not by a timeout
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    outcome = json.loads(proc.stdout)
    assert outcome["loopback"] == "ping"
    assert "127.0.0.1" in outcome["localhost"]
    for name in BLOCKED:
        assert offline_guard.MESSAGE in outcome[name], (name, outcome[name])
    assert proc.stderr.strip().splitlines()[-1] == (
        f"OSError: [Errno 101] {offline_guard.MESSAGE}: connect to ('192.0.2.1', 80)"
    )


def test_a_subprocess_without_the_guard_is_caught_by_the_probe() -> None:
    """The probe itself fails (and tries nothing) when the guard is missing: it can fail."""
    env = {k: v for k, v in os.environ.items() if k != offline_guard.ENV}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 1
    assert "the offline guard is not installed" in proc.stderr


def tripwire(*args: object, **kwargs: object) -> Any:
    raise RuntimeError("TRIPWIRE: the guard let a call through")


@pytest.mark.parametrize(
    "attempt",
    [
        lambda: socket.socket().connect(("192.0.2.1", 80)),
        lambda: socket.socket().connect_ex(("10.0.0.1", 443)),
        lambda: socket.create_connection(("198.51.100.7", 80), timeout=5),
        lambda: socket.getaddrinfo("example.com", 443),
        lambda: socket.gethostbyname("pypi.org"),
        lambda: socket.gethostbyaddr("192.0.2.1"),
    ],
    ids=["connect", "connect_ex", "create_connection", "getaddrinfo", "gethostbyname", "gethostbyaddr"],
)
def test_the_test_process_is_guarded(attempt: Callable[[], object], monkeypatch: pytest.MonkeyPatch) -> None:
    assert offline_guard.installed()  # else the attempt below would reach the real network
    for name in offline_guard.REAL:
        monkeypatch.setitem(offline_guard.REAL, name, tripwire)
    with pytest.raises(OSError, match=offline_guard.MESSAGE):
        attempt()


def test_loopback_stays_open() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        accepted: list[bytes] = []

        def serve() -> None:
            peer, _ = server.accept()
            with peer:
                accepted.append(peer.recv(4))

        thread = threading.Thread(target=serve)
        thread.start()
        with socket.create_connection(("localhost", port), timeout=5) as client:
            client.sendall(b"ping")
        thread.join(timeout=10)
    assert accepted == [b"ping"]


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("127.3.2.1", True),
        ("::1", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("", True),
        (None, True),
        ("0.0.0.0", True),
        ("192.0.2.1", False),
        ("10.0.0.1", False),
        ("::ffff:8.8.8.8", False),
        ("example.com", False),
        ("localhost.example.com", False),
        (b"pypi.org", False),
    ],
)
def test_what_counts_as_this_machine(host: object, local: bool) -> None:
    assert offline_guard.is_local(host) is local


STREAMLIT_PROBE = """
import json, os, socket, sys
import streamlit as st

guard = sys.modules.get("offline_guard")
outcome = {"installed": bool(guard and guard.installed())}
if outcome["installed"]:
    real = dict(guard.REAL)
    def tripwire(*args, **kwargs):
        raise RuntimeError("TRIPWIRE: the guard let a call through")
    try:
        for name in real:
            guard.REAL[name] = tripwire
        for name, attempt in {
            "create_connection": lambda: socket.create_connection(("192.0.2.1", 80), timeout=5),
            "getaddrinfo": lambda: socket.getaddrinfo("example.com", 80),
        }.items():
            try:
                attempt()
                outcome[name] = "connected"
            except BaseException as err:
                outcome[name] = f"{type(err).__name__}: {err}"
    finally:
        guard.REAL.update(real)
with open(os.environ["GEODATA_PROBE_OUT"], "w", encoding="utf-8") as out:
    json.dump(outcome, out)
st.write("probe done")
"""


@pytest.mark.browser
def test_the_streamlit_server_is_guarded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from playwright.sync_api import expect, sync_playwright

    from dashboard.serve import CHROMIUM, running_app

    script, out = tmp_path / "probe.py", tmp_path / "outcome.json"
    script.write_text(STREAMLIT_PROBE, encoding="utf-8")
    monkeypatch.setenv("GEODATA_PROBE_OUT", str(out))
    with running_app(script=script) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=browser_args())
        try:
            page = browser.new_page()
            page.goto(url)  # a session runs the script inside the server process
            expect(page.get_by_text("probe done")).to_be_visible(timeout=60_000)
        finally:
            browser.close()
    outcome = json.loads(out.read_text(encoding="utf-8"))
    assert outcome["installed"] is True
    assert offline_guard.MESSAGE in outcome["create_connection"], outcome
    assert offline_guard.MESSAGE in outcome["getaddrinfo"], outcome


@pytest.mark.browser
@pytest.mark.parametrize("url", ["http://example.com/", "http://192.0.2.1/"])
def test_the_tests_browser_sends_other_hosts_to_a_local_dead_end(url: str) -> None:
    """With a local stand-in for the closed proxy port, the browser's request for another host
    arrives there (so nothing leaves the machine), and with the real flags it fails at once."""
    from playwright.sync_api import Error, sync_playwright

    from dashboard.serve import CHROMIUM

    requests: list[str] = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.requestline)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"local")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy) as proxy:
        thread = threading.Thread(target=proxy.serve_forever, daemon=True)
        thread.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=browser_args(proxy_port=proxy.server_address[1])
                )
                try:
                    page = browser.new_page()
                    page.goto(url)
                    assert page.inner_text("body") == "local"
                finally:
                    browser.close()
        finally:
            proxy.shutdown()
    assert f"GET {url} HTTP/1.1" in requests, requests
    assert all(r.startswith("GET http://") for r in requests), requests

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=browser_args())
        try:
            started = time.monotonic()
            with pytest.raises(Error, match="ERR_PROXY_CONNECTION_FAILED"):
                browser.new_page().goto(url, timeout=30_000)
            assert time.monotonic() - started < 20
        finally:
            browser.close()
