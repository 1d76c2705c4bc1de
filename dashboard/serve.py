"""Start the dashboard on a free local port and stop it after (for browser tests and screenshots)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
#: Flags for Debian's Chromium run as root on a machine without internet.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def wait_until_healthy(url: str, proc: subprocess.Popen[bytes], *, timeout: float) -> None:
    """Wait until the Streamlit server at ``url`` answers its health check; raise
    :class:`RuntimeError` if ``proc`` ends first, :class:`TimeoutError` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with _DIRECT.open(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the server did not answer on {url} within {timeout:.0f} s")
        time.sleep(0.3)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _command(
    script: Path,
    port: int,
    events: Path | None,
    *,
    env_events: bool,
    root: Path | None = None,
    args: Sequence[str] = (),
) -> tuple[list[str], dict[str, str]]:
    """The command line that starts the dashboard (as ``dashboard/run.sh`` does: ``python -m
    dashboard``; ``streamlit run`` for another script, or a checkout from before the launcher)
    and its environment."""
    base = root or ROOT  # python -m dashboard runs the checkout it is started in: only for its own app
    launcher = script == base / "dashboard" / "app.py" and (base / "dashboard" / "__main__.py").is_file()
    command = [
        sys.executable,
        "-m",
        *(["dashboard"] if launcher else ["streamlit", "run", str(script)]),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    # Only what is named here: a store or catalogue of the caller's own is never used by mistake.
    env = {k: v for k, v in os.environ.items() if k not in ("GEODATA_EVENTS", "GEODATA_STORE")}
    if root is not None:  # another checkout's code, before the installed geodata
        env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    app_args = list(args)
    if events is not None and env_events:
        env["GEODATA_EVENTS"] = str(events)
    elif events is not None:
        app_args = ["--events", str(events), *app_args]
    if app_args:
        command += ["--", *app_args]
    return command, env


@contextlib.contextmanager
def running_app(
    events: Path | None = None,
    *,
    timeout: float = 120.0,
    script: Path | None = None,
    env_events: bool = False,
    pid: list[int] | None = None,
    root: Path | None = None,
    args: Sequence[str] = (),
) -> Iterator[str]:
    """Run the dashboard (``python -m dashboard``, or ``streamlit run script``) headless on
    127.0.0.1; yield its URL.

    With ``env_events`` the catalogue goes through ``GEODATA_EVENTS`` instead of ``--events``;
    the server's process id is appended to ``pid`` when given; with ``root``, the dashboard and
    the library of that checkout are run (for benchmarks beside an earlier version); ``args`` go
    to the dashboard (``--tiles PATH``).
    """
    port = free_port()
    base = root or ROOT
    command, env = _command(
        script or base / "dashboard" / "app.py", port, events, env_events=env_events, root=root, args=args
    )
    proc = subprocess.Popen(
        command,
        cwd=base,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    if pid is not None:
        pid.append(proc.pid)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, proc, timeout=timeout)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
