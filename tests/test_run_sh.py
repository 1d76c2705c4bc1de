"""The README's first command, ``bash dashboard/run.sh``, as a user runs it (offline)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GOOD_EVENT, REPO, browser_args

from dashboard.serve import free_port, wait_until_healthy

USAGE = "usage: bash dashboard/run.sh [--port 8501] [--address 127.0.0.1] [--events PATH]"


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
    (bin_dir / "python").symlink_to(sys.executable)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        # An analyst's machine has no package index or mirror at all (this one has local ones).
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": "",
    }


@pytest.fixture
def started(tmp_path: Path, python_on_path: dict[str, str]) -> Iterator[str]:
    """``bash dashboard/run.sh --port P --events mine.yaml`` running; its URL. Stopped after, whole group."""
    catalogue = tmp_path / "mine.yaml"
    catalogue.write_text(GOOD_EVENT, encoding="utf-8")
    port = free_port()
    log = tmp_path / "run.log"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            ["bash", "dashboard/run.sh", "--port", str(port), "--events", str(catalogue)],
            cwd=REPO,
            env=python_on_path,
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


@pytest.mark.browser
def test_readme_command_serves_the_given_catalogue(started: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    from dashboard.screenshot import MAP_FRAME
    from dashboard.serve import CHROMIUM

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=browser_args())
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(started)
            expect(page.get_by_text("1 of 1 events")).to_be_visible(timeout=90_000)
            expect(page.get_by_text("catalogue: mine.yaml")).to_be_visible()
            marker = page.frame_locator(MAP_FRAME).locator(".geodata-marker")
            expect(marker).to_have_count(1, timeout=60_000)
            marker.click()
            popup = page.frame_locator(MAP_FRAME).locator(".leaflet-popup-content .geodata-popup")
            expect(popup.locator("h4")).to_have_text("Patriot battery shipped to Erbil")
        finally:
            browser.close()
