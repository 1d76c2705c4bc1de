"""Events, drafts and snapshots for the store tests (shared with ``store_child.py``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from conftest import TINY_ENTRIES
from sqlalchemy import event, select

from geodata.gazetteer import Gazetteer
from geodata.geocoding import OfflineGeocoder
from geodata.model import Event
from geodata.store import Store
from geodata.store.review import NewDraft
from geodata.store.rows import event_data
from geodata.store.schema import Base

TYPES = ("attack", "statement", "troop_movement", "air_defence_deployment")


def tiny_geocoder() -> OfflineGeocoder:
    """The conftest's six-entry gazetteer as a geocoder (Erbil, Iraq, Camp Taji, ...)."""
    return OfflineGeocoder(Gazetteer(list(TINY_ENTRIES)))


def make_event(n: int, *, prefix: str = "ev", **changes: Any) -> Event:
    """A placed event numbered ``n``; every third one has references, and a few field values
    that are hard on a database (non-ASCII, quotes, a backslash)."""
    data: dict[str, Any] = {
        "id": f"{prefix}-{n:03d}",
        "type": TYPES[n % len(TYPES)],
        "title": f"Event {n}: “Ḥadītha” O'Neil \\ 50% _x_",
        "summary": f"Summary {n}" if n % 2 else "",
        "date": {"start": dt.date(2020, 1, 1) + dt.timedelta(days=n), "precision": "day"},
        "place": {
            "name": f"Site {n}",
            "country": "IQ",
            "lat": round(33.0 + n / 997, 6),
            "lon": round(44.0 + n / 991, 6),
            "geo_precision": "facility",
            "coordinate_source": "test",
        },
        "actors": ["United States", f"Actor {n % 3}"],
        "tags": ["test"] if n % 2 else [],
        "confidence": ("low", "medium", "high")[n % 3],
        "source": {
            "publisher": "The Test",
            "title": f"Report {n}",
            "url": f"https://example.org/{prefix}/{n}",
            "published": dt.date(2020, 6, 1),
            "quote": f"Something happened at site {n}.",
        },
        "references": [
            {"publisher": f"Ref {k}", "title": f"Ref {k} of {n}", "quote": f"Quote {k}."}
            for k in range(n % 3)
        ],
    }
    data.update(changes)
    return Event.model_validate(data)


def rich_event() -> Event:
    """An event with every field the model has, placed by name through the gazetteer."""
    return Event.model_validate(
        {
            "id": "rich.event_1",
            "type": "statement",
            "title": "Patriot battery shipped to Erbil",
            "summary": "A line\nand another, with \"quotes\" and 'apostrophes' and \u2028 a separator.",
            "date": {"start": "2020-03-23", "end": "2020-03-29", "precision": "week"},
            "place": {
                "name": "Arbil",
                "canonical": "Erbil",
                "country": "IQ",
                "admin2": "Erbil District",
                "geo_precision": "city",
            },
            "said_at": {"name": "Camp Taji", "country": "IQ", "geo_precision": "facility"},
            "actors": ["United States", "Iraq"],
            "actor1": {"name": "United States", "type": "External/Other forces"},
            "actor2": "Iraq",
            "fatalities": {"low": 0, "high": 2},
            "tags": ["air defence", "Patriot"],
            "confidence": "high",
            "inference": "Dated from 'last week' in a report of 2 April.",
            "source": {
                "publisher": "The National",
                "title": "US says build-up of air defences in Iraq going ahead",
                "url": "https://example.org/article",
                "published": "2020-04-02",
                "quote": "Another was shipped to Erbil.",
            },
            "references": [
                {"publisher": "A", "title": "First", "quote": "One.", "published": "2020-04-03"},
                {"publisher": "B", "title": "Second", "quote": "Two.", "url": "https://example.org/b"},
            ],
            "provenance": {
                "start": 10,
                "end": 40,
                "fields": {"place": {"text": "Erbil", "start": 33, "end": 38, "confidence": 0.9}},
                "method": "test",
            },
        }
    )


def new_draft(
    n: int, *, confidence: float = 0.5, merge_target: str | None = None, **changes: Any
) -> NewDraft:
    event = make_event(n, prefix="draft", **changes)
    evidence = [{"text": event.source.quote, "start": 0, "end": len(event.source.quote)}]
    return NewDraft(event, confidence, evidence, merge_target)


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the store's schema declares, in key order: what "the store as it
    was" means in the tests."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.reading() as session:
        for table in Base.metadata.sorted_tables:
            order = [c for c in table.primary_key.columns]
            out[table.name] = [tuple(row) for row in session.execute(select(table).order_by(*order))]
    return out


@contextlib.contextmanager
def interleaved(store: Store, prefix: str, other: Callable[[], object]) -> Iterator[threading.Thread]:
    """Run ``other`` in a thread as soon as this thread's transaction has run its first statement
    starting with ``prefix``: on PostgreSQL it runs to its end (commits) before this one goes
    on; on SQLite it waits for this one's write lock. The thread, to join after."""
    me, thread = threading.current_thread(), threading.Thread(target=other)

    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        first = threading.current_thread() is me and thread.ident is None
        if first and statement.lstrip().upper().startswith(prefix.upper()):
            thread.start()
            if store.engine.dialect.name == "postgresql":
                thread.join()

    event.listen(store.engine, "after_cursor_execute", after)
    try:
        yield thread
    finally:
        event.remove(store.engine, "after_cursor_execute", after)
        if thread.ident is not None:
            thread.join()


def write_catalogue(path: Path, events: list[Event]) -> Path:
    """A YAML catalogue file of ``events``."""
    path.write_text(yaml.safe_dump({"events": [event_data(e) for e in events]}, allow_unicode=True), "utf-8")
    return path
