"""The code stays ruff- and mypy-clean, with the settings of pyproject.toml."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True)


def test_ruff_check() -> None:
    proc = _run("ruff", "check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format() -> None:
    proc = _run("ruff", "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_covers_the_library_the_dashboard_the_benchmarks_the_tools_and_the_tests() -> None:
    proc = _run("mypy", "--no-error-summary")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for package in ("geodata", "dashboard", "benchmarks", "tools", "tests"):
        assert package in _configured_mypy_files(), package


def _configured_mypy_files() -> list[str]:
    import tomllib

    with open(REPO / "pyproject.toml", "rb") as handle:
        return list(tomllib.load(handle)["tool"]["mypy"]["files"])
