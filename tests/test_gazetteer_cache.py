"""The on-disk copy of built gazetteers: read back instead of building, the same answers, keyed by
the code and data it was built from, and never a reason to fail."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import TINY_ENTRIES, entry_for

from geodata.gazetteer import Entry, Gazetteer, load_gazetteer
from geodata.gazetteer import build as gazetteer_build
from geodata.gazetteer import cache as gazetteer_cache
from geodata.settings import DEFAULTS, PACKAGE_DIR, Settings

TOWN = Entry("geonames:1", "Tinytown", 40.0, 20.0, "city", "AL", population=600, source="test")


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return dataclasses.replace(DEFAULTS, gazetteer_cache_dir=tmp_path / "cache")


def _no_building(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, building either gazetteer fails: an answer can only come from the copy."""

    def refuse(*args: object, **kwargs: object) -> Gazetteer:
        raise AssertionError("built again although a copy is on disk")

    monkeypatch.setattr(gazetteer_build, "_main", refuse)
    monkeypatch.setattr(gazetteer_build, "_small_towns", refuse)


def test_a_second_load_reads_the_copy_and_answers_the_same(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = load_gazetteer(settings, small_towns=False)
    files = list((tmp_path / "cache").glob("gazetteer-*.pickle"))
    assert len(files) == 1
    _no_building(monkeypatch)
    read = load_gazetteer(settings, small_towns=False)
    assert read is not built
    assert read.entries == built.entries and read.demonyms == built.demonyms
    for name in ("Erbil", "Ain al-Asad", "Strait of Hormuz", "Suffolk County", "Iraqi", "Xqzzy"):
        assert read.lookup(name) == built.lookup(name), name
    assert entry_for(read, "Irbil").country == "IQ"
    assert read.first_words() == built.first_words()


def test_the_small_towns_are_read_from_their_own_copy(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small stand-ins for the two builders (the real small towns take many seconds to build).
    def main(settings: Settings, population: int, fallback: Callable[[], Gazetteer] | None) -> Gazetteer:
        return Gazetteer(list(TINY_ENTRIES), fallback=fallback)

    monkeypatch.setattr(gazetteer_build, "_main", main)
    monkeypatch.setattr(gazetteer_build, "_small_towns", lambda settings, below: Gazetteer([TOWN]))
    first = load_gazetteer(settings)
    assert first.lookup("Tinytown") == TOWN  # asks the small towns, which are built and saved
    assert len(list((tmp_path / "cache").glob("gazetteer-*.pickle"))) == 2

    _no_building(monkeypatch)
    again = load_gazetteer(settings)
    assert entry_for(again, "Erbil").id == "geonames:95446"
    assert again.lookup("Tinytown") == TOWN
    towns = again.small_towns()
    assert towns is not None and towns.entries == [TOWN]


def test_without_a_cache_directory_every_load_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = dataclasses.replace(DEFAULTS, gazetteer_cache_dir=None)
    calls: list[int] = []

    def main(settings: Settings, population: int, fallback: object) -> Gazetteer:
        calls.append(population)
        return Gazetteer(list(TINY_ENTRIES))

    monkeypatch.setattr(gazetteer_build, "_main", main)
    load_gazetteer(settings, small_towns=False)
    load_gazetteer(settings, small_towns=False)
    assert calls == [DEFAULTS.min_city_population] * 2


def test_a_damaged_copy_is_rebuilt(settings: Settings, tmp_path: Path) -> None:
    load_gazetteer(settings, small_towns=False)
    (path,) = (tmp_path / "cache").glob("gazetteer-*.pickle")
    path.write_bytes(b"not a pickle")
    again = load_gazetteer(settings, small_towns=False)
    assert entry_for(again, "Mosul").country == "IQ"
    assert path.stat().st_size > 1000  # written anew


def test_an_unwritable_cache_directory_only_means_building(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the directory should be")
    settings = dataclasses.replace(DEFAULTS, gazetteer_cache_dir=blocker / "cache")
    assert entry_for(load_gazetteer(settings, small_towns=False), "Erbil").country == "IQ"


def test_the_key_follows_the_data(tmp_path: Path) -> None:
    regions = tmp_path / "regions.yaml"
    regions.write_bytes(DEFAULTS.regions_file.read_bytes())
    settings = dataclasses.replace(DEFAULTS, regions_file=regions)
    before = gazetteer_cache.cache_key(settings, "main", 15000)
    assert gazetteer_cache.cache_key(settings, "main", 15000) == before
    assert gazetteer_cache.cache_key(settings, "main", 1000) != before
    regions.write_bytes(regions.read_bytes() + b"\n# changed\n")
    assert gazetteer_cache.cache_key(settings, "main", 15000) != before


def test_the_code_files_are_the_package_and_the_modules_it_imports() -> None:
    found = {path.relative_to(PACKAGE_DIR).as_posix() for path in gazetteer_cache.code_files()}
    package = {path.relative_to(PACKAGE_DIR).as_posix() for path in (PACKAGE_DIR / "gazetteer").rglob("*.py")}
    assert package <= found
    assert {"gazetteer/names.py", "gazetteer/points.py", "gazetteer/sources/regions.py"} <= found
    # Imported from the package, at one or two removes (coords through points).
    assert {"coords.py", "errors.py", "settings.py", "io/yamlio.py"} <= found
    # Nothing the gazetteer does not import: an edit to the extractor keeps the copy.
    assert not {"extract/recognise.py", "frame.py", "catalog.py", "cli.py"} & found


def test_imports_are_followed_whatever_their_form(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "import geodata.errors\n"
        "from geodata.gazetteer import names\n"
        "from geodata.coords import haversine_km\n"
        "from . import sibling\n"
        "import json\n"
        "def late():\n"
        "    from geodata.io.yamlio import load_yaml\n",
        encoding="utf-8",
    )
    found = {path.relative_to(PACKAGE_DIR).as_posix() for path in gazetteer_cache._imported_modules(module)}
    # A module imported from a package runs the package's __init__ too.
    assert found == {"errors.py", "gazetteer/__init__.py", "gazetteer/names.py", "coords.py", "io/yamlio.py"}


def test_the_key_follows_the_code(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copies = []
    for path in gazetteer_cache.code_files():
        copy = tmp_path / "code" / path.relative_to(PACKAGE_DIR)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        copies.append(copy)
    monkeypatch.setattr(gazetteer_cache, "code_files", lambda: tuple(copies))
    before = gazetteer_cache.cache_key(settings, "main", 15000)
    assert before == gazetteer_cache.cache_key(settings, "main", 15000)
    names = tmp_path / "code" / "gazetteer" / "names.py"
    names.write_text(names.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    after_names = gazetteer_cache.cache_key(settings, "main", 15000)
    assert after_names != before
    coords = tmp_path / "code" / "coords.py"
    coords.write_text(coords.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert gazetteer_cache.cache_key(settings, "main", 15000) not in (before, after_names)
