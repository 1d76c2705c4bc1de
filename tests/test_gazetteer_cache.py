"""The on-disk copy of built gazetteers: same answers, and never a reason to fail."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import entry_for

from geodata.gazetteer import cache as gazetteer_cache
from geodata.gazetteer import load_gazetteer
from geodata.settings import DEFAULTS


@pytest.fixture()
def settings(tmp_path: Path) -> object:
    return dataclasses.replace(DEFAULTS, gazetteer_cache_dir=tmp_path / "cache")


def test_a_second_load_reads_the_copy_and_answers_the_same(settings: object, tmp_path: Path) -> None:
    built = load_gazetteer(settings, small_towns=False)  # type: ignore[arg-type]
    files = list((tmp_path / "cache").glob("gazetteer-*.pickle"))
    assert len(files) == 1
    read = load_gazetteer(settings, small_towns=False)  # type: ignore[arg-type]
    assert read.entries == built.entries and read.demonyms == built.demonyms
    for name in ("Erbil", "Ain al-Asad", "Strait of Hormuz", "Suffolk County", "Iraqi", "Xqzzy"):
        assert read.lookup(name) == built.lookup(name), name
    assert read.first_words() == built.first_words()


def test_a_damaged_copy_is_rebuilt(settings: object, tmp_path: Path) -> None:
    load_gazetteer(settings, small_towns=False)  # type: ignore[arg-type]
    (path,) = (tmp_path / "cache").glob("gazetteer-*.pickle")
    path.write_bytes(b"not a pickle")
    again = load_gazetteer(settings, small_towns=False)  # type: ignore[arg-type]
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
