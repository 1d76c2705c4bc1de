"""The code stays ruff- and mypy-clean (settings here, as the top level holds no config files)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

RUFF = ["--line-length", "110", "--target-version", "py311",
        "--select", "E,F,W,I,B,UP,SIM,RUF", "--ignore", "RUF001,RUF002,RUF003,SIM905"]


def test_ruff() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", *RUFF, "geodata", "dashboard", "tests"],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy", "--ignore-missing-imports", "--python-version",
                           "3.11", "--no-error-summary", "geodata"],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
