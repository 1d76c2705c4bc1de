"""A new store is filled from a catalogue once, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from storekit import make_event, tiny_geocoder, write_catalogue

from geodata.store import open_store


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    return write_catalogue(tmp_path / "events.yaml", [make_event(n) for n in range(5)])


def test_a_new_store_is_seeded_from_the_catalogue_once(store_url: str, catalogue: Path) -> None:
    geo = tiny_geocoder()
    with open_store(store_url, seed=catalogue, geocoder=geo) as store:
        assert store.events() == [make_event(n) for n in range(5)]
        assert [c.action for c in store.history("ev-000")] == ["seed"]
        generation = store.generation()
    write_catalogue(catalogue, [make_event(n) for n in range(9)])  # the file changed since
    with open_store(store_url, seed=catalogue, geocoder=geo) as store:
        assert store.count() == 5 and store.generation() == generation


def test_a_store_emptied_by_its_users_is_not_seeded_again(store_url: str, catalogue: Path) -> None:
    geo = tiny_geocoder()
    with open_store(store_url, seed=catalogue, geocoder=geo) as store:
        for n in range(5):
            store.delete(f"ev-{n:03d}", expected_version=1, who="ana")
    with open_store(store_url, seed=catalogue, geocoder=geo) as store:
        assert store.count() == 0


def test_a_geocoder_given_as_a_function_is_called_only_to_fill_the_store(
    store_url: str, catalogue: Path
) -> None:
    calls = []

    def geocoder() -> Any:
        calls.append(1)
        return tiny_geocoder()

    with open_store(store_url, seed=catalogue, geocoder=geocoder) as store:
        assert store.events() == [make_event(n) for n in range(5)]
    assert len(calls) == 1
    with open_store(store_url, seed=catalogue, geocoder=geocoder) as store:
        assert store.count() == 5
    assert len(calls) == 1  # filled already: the gazetteer is not loaded
