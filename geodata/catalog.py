"""Read, validate and write the event catalogue (YAML), reporting every problem at once."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from geodata.errors import CatalogError, FileError, Problem
from geodata.io.safefile import atomic_write, read_capped
from geodata.io.yamlio import LineDict, decode_text, dump_yaml, load_yaml, short_repr
from geodata.model import Event
from geodata.settings import DEFAULTS

if TYPE_CHECKING:
    from geodata.geocoding import OfflineGeocoder


@dataclass
class Catalogue:
    """Validated events, in file order, with the line where each one starts."""

    events: list[Event]
    lines: dict[str, int] = field(default_factory=dict)
    path: str | None = None

    def __len__(self) -> int:
        return len(self.events)

    def by_id(self) -> dict[str, Event]:
        return {event.id: event for event in self.events}


def read_catalogue(path: str | os.PathLike[str], *, geocoder: OfflineGeocoder | None = None) -> Catalogue:
    """Read and validate a YAML catalogue file; raise :class:`CatalogError` listing every problem.

    With a ``geocoder``, also check that every place without coordinates resolves offline.
    """
    label = str(path)
    try:
        data = read_capped(path, limit=DEFAULTS.max_catalogue_bytes, what="catalogue")
    except FileError as err:
        raise CatalogError([Problem(str(err).removeprefix(f"{label}: "), path=label)]) from err
    return parse_catalogue(data, path=label, geocoder=geocoder)


def parse_catalogue(
    data: bytes | str, *, path: str | None = None, geocoder: OfflineGeocoder | None = None
) -> Catalogue:
    """Validate catalogue text (YAML bytes or str); raise :class:`CatalogError` on any problem."""
    if isinstance(data, bytes):
        text, problems = decode_text(data, path=path)
        if text is None:
            raise CatalogError(problems)
    else:
        text = data
    raw, problems = load_yaml(text, path=path)
    if problems and raw is None:
        raise CatalogError(problems)
    items, shape_problems = _event_items(raw, path=path)
    problems += shape_problems
    events, lines, event_problems = validate_items(items, path=path)
    problems += event_problems
    if geocoder is not None:
        problems += check_places(events, geocoder, lines=lines, path=path)
    if problems:
        raise CatalogError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return Catalogue(events=events, lines=lines, path=path)


def _event_items(raw: Any, *, path: str | None) -> tuple[list[Any], list[Problem]]:
    if raw is None:
        return [], [Problem("the catalogue is empty; expected a list of events", path=path)]
    if isinstance(raw, dict) and "events" in raw:
        extra = sorted(str(k) for k in raw if k != "events")
        problems = []
        if extra:
            line = raw.lines.get(extra[0]) if isinstance(raw, LineDict) else None
            problems.append(
                Problem(f"unknown top-level key(s) {extra}; only 'events' is read", line=line, path=path)
            )
        raw = raw["events"]
        if raw is None:
            return [], [*problems, Problem("'events' is empty; expected a list of events", path=path)]
    else:
        problems = []
    if not isinstance(raw, list):
        return [], [
            *problems,
            Problem(
                f"expected a list of events (or a mapping with an 'events' list), got {type(raw).__name__}",
                line=getattr(raw, "line", None),
                path=path,
            ),
        ]
    return raw, problems


def validate_items(
    items: Sequence[Any], *, path: str | None = None
) -> tuple[list[Event], dict[str, int], list[Problem]]:
    """Validate raw event mappings; return the valid events, their lines and all problems."""
    events: list[Event] = []
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for index, item in enumerate(items):
        label = f"#{index + 1}"
        if not isinstance(item, dict):
            problems.append(
                Problem(
                    f"item {label} is a {type(item).__name__} ({_short(item)}), expected a mapping of "
                    "event fields",
                    event_id=label,
                    line=_item_line(items, index),
                    path=path,
                )
            )
            continue
        raw_id = item.get("id")
        event_id: str = raw_id if isinstance(raw_id, str) else label
        line = item.line if isinstance(item, LineDict) else None
        if event_id in lines:
            problems.append(
                Problem(
                    f"duplicate id; it is already used by the event at line {lines[event_id]}",
                    event_id=_id_label(event_id),
                    field="id",
                    line=_line_of(item, ("id",)) or line,
                    path=path,
                )
            )
            continue
        try:
            event = Event.model_validate(dict(item))
        except ValidationError as err:
            problems += [_problem_from(e, item, _id_label(event_id), path) for e in err.errors()]
            lines[event_id] = line or 0
            continue
        problems += _semantic_problems(event, item, path)
        events.append(event)
        lines[event.id] = line or 0
    return events, lines, problems


def _semantic_problems(event: Event, item: Any, path: str | None) -> list[Problem]:
    found = []
    published = event.source.published
    if published is not None and event.date.start > published:
        found.append(
            Problem(
                f"the event starts on {event.date.start.isoformat()}, after its source was published "
                f"({published.isoformat()}); check the year and month",
                event_id=event.id,
                field="date",
                line=_line_of(item, ("date",)),
                path=path,
            )
        )
    return found


def check_places(
    events: Iterable[Event],
    geocoder: OfflineGeocoder,
    *,
    lines: dict[str, int] | None = None,
    path: str | None = None,
) -> list[Problem]:
    """Problems for every place that has no coordinates and does not resolve offline."""
    problems = []
    for event in events:
        for name in ("place", "said_at"):
            place = getattr(event, name)
            if place is None or place.has_coordinates:
                continue
            if geocoder.locate_place(place) is None:
                problems.append(
                    Problem(
                        f"place {_short(place.query)} (country {_short(place.country)}) has no lat/lon "
                        "and is not in "
                        "the offline gazetteer; add lat, lon and coordinate_source, or a sites entry",
                        event_id=event.id,
                        field=f"{name}.name",
                        line=(lines or {}).get(event.id),
                        path=path,
                    )
                )
    return problems


_FRIENDLY = {
    "missing": "missing required field",
    "extra_forbidden": "unknown field",
}


def _problem_from(error: Any, item: Any, event_id: str, path: str | None) -> Problem:
    loc = tuple(error["loc"])
    field_name = ".".join(str(part) for part in loc) or None
    message = _FRIENDLY.get(error["type"], str(error["msg"]).removeprefix("Value error, "))
    given = error.get("input")
    if isinstance(given, str) and len(given) > 80:  # the model's messages quote it whole
        message = message.replace(repr(given), _short(given))
    if error["type"] == "extra_forbidden":
        allowed = _allowed_fields(loc)
        message += f"; allowed here: {', '.join(allowed)}" if allowed else ""
    elif error["type"] != "missing" and not isinstance(given, (dict, list)):
        message += f" (got {_short(given)})"
    return Problem(message, event_id=event_id, field=field_name, line=_line_of(item, loc), path=path)


def _allowed_fields(loc: tuple[Any, ...]) -> list[str]:
    from geodata.model import DateSpan, Place, Source

    parent = loc[:-1]
    models: dict[str, Any] = {"place": Place, "said_at": Place, "source": Source, "date": DateSpan}
    if not parent:
        return list(Event.model_fields)
    head = str(parent[0])
    if head == "references":
        return list(Source.model_fields)
    model = models.get(head)
    return list(model.model_fields) if model else []


def _line_of(item: Any, loc: Sequence[Any]) -> int | None:
    """The most specific line known for a field path inside a line-tagged mapping."""
    line = getattr(item, "line", None)
    current = item
    for part in loc:
        if isinstance(current, LineDict) and part in current:
            line = current.lines.get(part, line)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            line = _item_line(current, part) or line
            current = current[part]
        else:
            break
    return line


def _item_line(items: Sequence[Any], index: int) -> int | None:
    lines = getattr(items, "lines", None)
    return lines[index] if lines and index < len(lines) else None


def _short(value: Any, limit: int = 80) -> str:
    """A bounded ``repr``: a few items of a few levels, so shared (aliased) values never expand."""
    return short_repr(value, limit)


def _id_label(raw_id: str) -> str:
    """The id as problems name it; one longer than any valid id is cut (the id problem says why)."""
    return raw_id if len(raw_id) <= _MAX_ID_SHOWN else raw_id[: _MAX_ID_SHOWN - 3] + "..."


_MAX_ID_SHOWN = 130  # a valid id has at most 128 characters


def event_to_yaml_data(event: Event) -> dict[str, Any]:
    """The plain mapping written for an event, without defaults, dates in their short form."""
    data = event.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    data = {"id": event.id, "type": event.type, **data}
    span = event.date
    if span.precision == "day" and span.start == span.end:
        data["date"] = span.start
    return data


def dump_catalogue(events: Iterable[Event]) -> str:
    """YAML text of a catalogue, the inverse of :func:`parse_catalogue`."""
    return dump_yaml([event_to_yaml_data(e) for e in events])


def write_catalogue(events: Iterable[Event], path: str | os.PathLike[str], *, backup: bool = True) -> Path:
    """Write a catalogue atomically; the previous file is kept as ``<name>.bak``.

    See :func:`geodata.io.safefile.replacing`: a crash at any point leaves either the old or
    the new file whole, a symlinked catalogue stays a link to the updated file, a read-only one
    is refused, and its permissions are kept.
    """
    text = dump_catalogue(events)
    parse_catalogue(text, path=str(path))  # never write what we could not read back
    return atomic_write(path, text, backup=backup)
