"""The dashboard's filter state, and how it lives in the URL so a link restores it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from geodata.taxonomy import EVENT_TYPES


@dataclass(frozen=True)
class Filters:
    """What the user chose: types, a time window, actors and a text query."""

    types: tuple[str, ...] = tuple(EVENT_TYPES)
    start: dt.date | None = None
    end: dt.date | None = None
    actors: tuple[str, ...] = ()
    text: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part for part in (value or "").split(",") if part)


def filters_from_params(params: Mapping[str, str], *, known_actors: set[str] | None = None) -> Filters:
    """Filters encoded in query parameters; anything unknown or malformed falls back to the default."""
    types = (
        tuple(t for t in _split(params.get("types")) if t in EVENT_TYPES)
        if "types" in params
        else tuple(EVENT_TYPES)
    )
    actors = tuple(a for a in _split(params.get("actors")) if known_actors is None or a in known_actors)
    start, end = _date(params.get("start")), _date(params.get("end"))
    if start and end and end < start:
        start, end = end, start
    return Filters(types=types, start=start, end=end, actors=actors, text=params.get("q", "")[:200])


def params_from_filters(filters: Filters, *, span: tuple[dt.date, dt.date] | None = None) -> dict[str, str]:
    """Query parameters for ``filters``; defaults are left out so links stay short."""
    params: dict[str, str] = {}
    if set(filters.types) != set(EVENT_TYPES):
        params["types"] = ",".join(filters.types)
    if filters.start and (span is None or filters.start != span[0]):
        params["start"] = filters.start.isoformat()
    if filters.end and (span is None or filters.end != span[1]):
        params["end"] = filters.end.isoformat()
    if filters.actors:
        params["actors"] = ",".join(filters.actors)
    if filters.text:
        params["q"] = filters.text
    return params


def clamp_window(
    start: dt.date | None, end: dt.date | None, span: tuple[dt.date, dt.date]
) -> tuple[dt.date, dt.date]:
    """A window inside the catalogue's span (the slider cannot show dates outside it)."""
    low, high = span
    start = min(max(start or low, low), high)
    end = min(max(end or high, low), high)
    return (start, end) if start <= end else (end, start)


def step_window(
    start: dt.date, end: dt.date, span: tuple[dt.date, dt.date], step_days: int
) -> tuple[dt.date, dt.date]:
    """The window moved by ``step_days``, wrapping to the start of the span after the end."""
    width = end - start
    new_start = start + dt.timedelta(days=step_days)
    if new_start > span[1]:
        new_start = span[0]
    new_end = min(new_start + width, span[1])
    return new_start, new_end
