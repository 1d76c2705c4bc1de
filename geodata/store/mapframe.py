"""The map's GeoDataFrame read straight from the store's event columns, fast enough to reload
whenever the store changes (100,000 events in a few seconds).

Rows come back as plain tuples and are turned into whole columns at once: JSON and date columns
are cast to text in SQL, the JSON parsed in one ``json.loads`` per column and the dates by pandas
in one pass. Decoding value by value (SQLAlchemy's JSON and SQLite date types, psycopg's json
loader, pandas building a frame from row objects) took over half the time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, Text, cast, select
from sqlalchemy.orm import Session

from geodata.store.rows import EVENT_COLUMNS
from geodata.store.schema import EventRow, ReferenceRow

if TYPE_CHECKING:
    import geopandas as gpd

#: Columns holding JSON: read as text, parsed a column at a time.
JSON_COLUMNS = frozenset(c.name for c in EventRow.__table__.columns if isinstance(c.type, JSON))
#: Date columns: read as the database gives them (text on SQLite) and converted by pandas.
DATE_COLUMNS = frozenset(c.name for c in EventRow.__table__.columns if isinstance(c.type, Date))
AS_TEXT = JSON_COLUMNS | DATE_COLUMNS
#: The further sources' fields, as the catalogue names them, in the order they are selected.
REFERENCE_FIELDS = ("publisher", "title", "quote", "url", "published")


def read_frame(session: Session) -> gpd.GeoDataFrame:
    """Every event in ``session``'s snapshot as the map's frame, in id order."""
    import pandas as pd

    from geodata.frame import frame_from_columns

    selected = [
        cast(getattr(EventRow, name), Text)
        if name in JSON_COLUMNS | DATE_COLUMNS
        else getattr(EventRow, name)
        for name in EVENT_COLUMNS
    ]
    found = session.connection().execute(select(*selected).order_by(EventRow.id)).all()
    columns = list(zip(*found, strict=True)) if found else [() for _ in EVENT_COLUMNS]
    data: dict[str, Any] = {}
    for name, values in zip(EVENT_COLUMNS, columns, strict=True):
        if name in JSON_COLUMNS:
            data[name] = pd.Series(json_column(values), dtype=object)
        elif name in DATE_COLUMNS:  # days, as the catalogue's other readers give them
            data[name] = pd.to_datetime(pd.Series(values), errors="coerce").astype("datetime64[s]")
        else:
            data[name] = pd.Series(values)
    for name in ("actors", "tags"):  # lists, also for a value a hand-made row left empty
        data[name] = pd.Series([v if isinstance(v, list) else [] for v in data[name]], dtype=object)
    by_event = _references(session)
    data["references"] = pd.Series([by_event.get(i, []) for i in data["id"]], dtype=object)
    return frame_from_columns(data)


def json_column(values: Sequence[Any]) -> list[Any]:
    """Each value parsed from JSON text; values the driver already parsed (PostgreSQL's json
    type through psycopg) and NULLs are kept as they are."""
    texts = [v for v in values if isinstance(v, str)]
    if not texts:
        return list(values)
    parsed = iter(json.loads("[" + ",".join(texts) + "]"))
    return [next(parsed) if isinstance(v, str) else v for v in values]


def _references(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Each event's further sources, in order, as the catalogue writes them (no empty fields)."""
    columns = [getattr(ReferenceRow, name) for name in REFERENCE_FIELDS]
    query = select(ReferenceRow.event_id, *columns).order_by(ReferenceRow.event_id, ReferenceRow.position)
    out: dict[str, list[dict[str, Any]]] = {}
    for event_id, *values in session.connection().execute(query):
        reference = {k: v for k, v in zip(REFERENCE_FIELDS, values, strict=True) if v is not None}
        if "published" in reference:
            reference["published"] = reference["published"].isoformat()
        out.setdefault(event_id, []).append(reference)
    return out
