"""Loaded at start-up by every Python the tests start (this folder is first on PYTHONPATH).

Installs ``tests/offline_guard.py`` when ``GEODATA_OFFLINE_GUARD=1``, then runs any other
``sitecustomize`` on the path, which this file would otherwise hide.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _load(name: str, path: str) -> None:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


if os.environ.get("GEODATA_OFFLINE_GUARD") == "1":
    _load("offline_guard", str(_HERE.parent / "offline_guard.py"))
    sys.modules["offline_guard"].install()

_others = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
_other = importlib.machinery.PathFinder.find_spec("sitecustomize", _others)
if _other is not None and _other.origin:
    _load("_next_sitecustomize", _other.origin)
