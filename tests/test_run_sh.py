"""The README's first command, ``bash dashboard/run.sh``, as a user runs it (offline)."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GOOD_EVENT, REPO, browser_args

from dashboard.serve import free_port, wait_until_healthy
from geodata.catalog import read_catalogue
from geodata.settings import DEFAULTS
from geodata.store import Store

USAGE = (
    "usage: bash dashboard/run.sh [--port 8501] [--address 127.0.0.1] [--events PATH] [--store URL] "
    "[--tiles PATH]"
)


def run_sh(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "dashboard/run.sh", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "unknown option: --bogus"),
        (["--port"], ""),
        (["--port", "80a"], "--port wants a number, not '80a'"),
        (["--events"], ""),
        (["--store"], ""),
    ],
)
def test_bad_options_exit_2_with_the_usage(args: list[str], message: str) -> None:
    proc = run_sh(*args)
    assert proc.returncode == 2, proc
    assert message in proc.stderr
    if not message.startswith("--port wants"):
        assert proc.stderr.strip().splitlines()[-1] == USAGE
    assert proc.stdout == ""


def test_help_prints_the_usage() -> None:
    proc = run_sh("--help")
    assert (proc.returncode, proc.stdout.strip()) == (0, USAGE)


@pytest.fixture
def python_on_path(tmp_path: Path) -> dict[str, str]:
    """The environment with this test's Python first on PATH as ``python`` (run.sh calls ``python``),
    and pip with nowhere to fetch from."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # A script, not a symlink: a virtual environment's Python is found by the path it is run by.
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    return {
        **{k: v for k, v in os.environ.items() if k not in ("GEODATA_EVENTS", "GEODATA_STORE")},
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        # An analyst's machine has no package index or mirror at all (this one has local ones).
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": "",
    }


@contextlib.contextmanager
def serving(args: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    """``bash dashboard/run.sh --port P ARGS`` running; its URL. Stopped after, whole group."""
    port = free_port()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            ["bash", "dashboard/run.sh", "--port", str(port), *args],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: pip, then streamlit, all stopped below
        )
    url = f"http://127.0.0.1:{port}"
    try:
        # pip checks the installed packages first: quick when all is installed, but allow for a slow machine.
        try:
            wait_until_healthy(url, proc, timeout=300)
        except (RuntimeError, TimeoutError) as err:
            pytest.fail(f"run.sh: {err}:\n{log.read_text(encoding='utf-8')}")
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def open_map(url: str, *, count: str, catalogue: str) -> str:
    """Open the dashboard at ``url``; once it shows ``count`` events from ``catalogue`` and its
    markers, click one and return its popup's title."""
    from playwright.sync_api import expect, sync_playwright

    from dashboard.screenshot import MAP_FRAME
    from dashboard.serve import CHROMIUM

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=browser_args())
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            expect(page.get_by_text(count)).to_be_visible(timeout=90_000)
            expect(page.get_by_text(f"catalogue: {catalogue}")).to_be_visible()
            frame = page.frame_locator(MAP_FRAME)
            frame.locator(".geodata-marker").first.click(timeout=60_000)
            title = frame.locator(".leaflet-popup-content .geodata-popup h4")
            expect(title).to_have_count(1)
            return title.inner_text()
        finally:
            browser.close()


@pytest.mark.browser
def test_readme_command_serves_the_given_catalogue(tmp_path: Path, python_on_path: dict[str, str]) -> None:
    catalogue = tmp_path / "mine.yaml"
    catalogue.write_text(GOOD_EVENT, encoding="utf-8")
    with serving(["--events", str(catalogue)], python_on_path, tmp_path / "run.log") as url:
        title = open_map(url, count="1 of 1 events", catalogue="mine.yaml")
    assert title == "Patriot battery shipped to Erbil"
    with Store.open(f"sqlite:///{tmp_path / 'geodata.db'}") as store:  # made beside it
        assert [e.id for e in store.events()] == ["patriot-erbil"]
    assert catalogue.read_text(encoding="utf-8") == GOOD_EVENT


@pytest.mark.browser
def test_readme_first_command_fills_a_fresh_store_and_shows_the_map(
    tmp_path: Path, python_on_path: dict[str, str]
) -> None:
    """``bash dashboard/run.sh`` as the README gives it, on a fresh machine: no store yet. The
    bundled catalogue is copied to a temporary folder (``GEODATA_EVENTS``, as if it were the
    clone's), so the test never makes a geodata.db beside the repository's events.yaml."""
    catalogue = tmp_path / "events.yaml"
    shutil.copy(DEFAULTS.default_catalogue, catalogue)
    bundled = read_catalogue(catalogue).events
    repo_store = [(p.name, p.stat().st_mtime_ns) for p in sorted(REPO.glob("geodata.db*"))]
    env = {**python_on_path, "GEODATA_EVENTS": str(catalogue)}
    with serving([], env, tmp_path / "run.log") as url:
        title = open_map(
            url,
            count=f"{len(bundled)} of {len(bundled)} events",
            catalogue="events.yaml, in the store geodata.db beside it",
        )
    assert title in {e.title for e in bundled}
    with Store.open(f"sqlite:///{tmp_path / 'geodata.db'}") as store:
        assert sorted(e.id for e in store.events()) == sorted(e.id for e in bundled)
        assert {c.action for e in bundled for c in store.history(e.id)} == {"seed"}
    assert catalogue.read_bytes() == DEFAULTS.default_catalogue.read_bytes()
    assert [(p.name, p.stat().st_mtime_ns) for p in sorted(REPO.glob("geodata.db*"))] == repo_store
