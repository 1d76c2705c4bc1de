"""Where the store is when none is named, and its first filling from a catalogue file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from geodata.store.engine import SEED_LOCK, one_at_a_time
from geodata.store.schema import ChangeRow
from geodata.store.store import Store

if TYPE_CHECKING:
    from geodata.geocoding import OfflineGeocoder

#: The file name of the store made beside a catalogue when no store is named.
DEFAULT_NAME = "geodata.db"


def default_store_url(catalogue: Path) -> str:
    """``sqlite:///`` + ``geodata.db`` in the catalogue's directory."""
    return f"sqlite:///{(catalogue.resolve().parent / DEFAULT_NAME)}"


def open_store(
    url: str,
    *,
    seed: Path | None = None,
    geocoder: OfflineGeocoder | Callable[[], OfflineGeocoder] | None = None,
    who: str = "geodata (seed)",
) -> Store:
    """Open the store at ``url``; if it has never held anything and ``seed`` is given, fill it
    from that catalogue file in the same transaction that finds it empty (so two first starts
    do not both fill it). ``geocoder`` may be a function giving one: it is called only to fill
    the store (loading the gazetteer takes a second every later start need not spend)."""
    store = Store.open(url)
    if seed is None:
        return store
    from geodata.geocoding import OfflineGeocoder, default_geocoder
    from geodata.io.readers import read_events_file

    with store.writing() as session:
        one_at_a_time(session.connection(), SEED_LOCK)
        if session.scalar(select(func.count()).select_from(ChangeRow)):
            return store  # it has a history: never seed again, even if every event was deleted
        if isinstance(geocoder, OfflineGeocoder):
            located_by = geocoder
        else:
            located_by = geocoder() if geocoder is not None else default_geocoder()
        events = read_events_file(seed, geocoder=located_by).events
        store.import_in(session, events, who=who, geocoder=located_by, path=str(seed), action="seed")
    return store
