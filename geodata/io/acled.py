"""Events as a CSV with ACLED's column names (ACLED codebook 2024), and such a file read back.

Export writes one row per event: the type through the taxonomy's ACLED crosswalk, actor1/actor2
with their types ("inter1"/"inter2", the type the event gives, else the actor dictionary's),
the other actors as associated actors, admin1/admin2 (the place's hints, else found from the
point: :func:`geodata.admin.admin_areas`), ACLED's precision codes, the publishers joined by
"; " as ``source``, the summary (else the quote) as ``notes``. An unknown toll is an empty
``fatalities`` cell (ACLED writes 0 there); a range is written as its lower bound, as ACLED codes
the most conservative report.

Import reads ACLED's own exports and this one into catalogue records (:mod:`geodata.records`),
so they are validated like any catalogue: every bad row is a problem naming the file, the line,
the event and the column. ACLED's categories this taxonomy lacks (Battles, Protests, ...) come in
as the nearest type; export, import, export gives the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache, lru_cache
from typing import Any

import numpy as np
import pandas as pd

from geodata.errors import Problem
from geodata.io.csvcells import escape_cell, unescape_cell
from geodata.model import ACTOR_TYPES
from geodata.taxonomy import EVENT_TYPES

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "tags",
)
#: Without these a row cannot be an event.
REQUIRED = ("event_id_cnty", "event_date", "event_type", "location", "latitude", "longitude")
TIME_PRECISION = {"day": "1", "week": "2", "month": "3", "year": "3", "unknown": "3"}
GEO_PRECISION = {"facility": "1", "city": "1", "region": "2", "country": "3"}
_TIME_BACK = {"1": "day", "2": "week", "3": "month"}
_GEO_BACK = {"1": "city", "2": "region", "3": "country"}
#: ACLED event types the taxonomy has no type for, to the nearest one.
_NEAREST = {
    "Battles": "attack",
    "Explosions/Remote violence": "attack",
    "Violence against civilians": "attack",
    "Protests": "other",
    "Riots": "other",
    "Strategic developments": "other",
}
_SEP = "; "
#: (column, message) pairs of one row.
Faults = list[tuple[str, str]]


def is_acled_header(first_line: str) -> bool:
    """Whether a CSV's header row is ACLED's (it names ``event_id_cnty`` and no ``id``)."""
    names = {n.strip().strip('"').lower() for n in first_line.split(",")}
    return "event_id_cnty" in names and "id" not in names


# --- export ------------------------------------------------------------------------------------


def acled_csv_bytes(gdf: pd.DataFrame) -> bytes:
    """The events as CSV with ACLED's columns (:data:`COLUMNS`), spreadsheet-safe cells."""
    from geodata.admin import admin_areas

    n = len(gdf)
    column: Callable[[str], list[Any]] = lambda c: gdf[c].tolist() if c in gdf else [None] * n  # noqa: E731
    admin1, admin2 = admin_areas(
        gdf["lat"].to_numpy(float),
        gdf["lon"].to_numpy(float),
        column("place_region"),
        column("place_admin2"),
        column("geo_precision"),
    )
    kinds = [EVENT_TYPES[t] for t in gdf["type"].astype(str)]
    rows = []
    for i, (record, kind) in enumerate(zip(_records(gdf), kinds, strict=True)):
        first, second, others = _sides(record)
        rows.append(
            {
                "event_id_cnty": record["id"],
                "event_date": _day(record["date_start"]),
                "year": _day(record["date_start"])[:4],
                "time_precision": TIME_PRECISION[str(record["date_precision"])],
                "event_type": kind.acled_event_type,
                "sub_event_type": kind.acled_sub_event_type,
                "actor1": first[0],
                "assoc_actor_1": _SEP.join(others),
                "inter1": first[1],
                "actor2": second[0],
                "assoc_actor_2": "",
                "inter2": second[1],
                "country": _country_name(record.get("place_country")),
                "admin1": _text(admin1[i]),
                "admin2": _text(admin2[i]),
                "location": record["place_name"],
                "latitude": repr(float(record["lat"])),
                "longitude": repr(float(record["lon"])),
                "geo_precision": GEO_PRECISION.get(str(record.get("geo_precision")), "1"),
                "source": _SEP.join(_publishers(record)),
                "notes": _text(record.get("summary")) or _text(record.get("source_quote")),
                "fatalities": _toll(record.get("fatalities_low")),
                "tags": _SEP.join(_listable(t) for t in _listed(record.get("tags"))),
            }
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: escape_cell(v) if k in _TEXT_COLUMNS else v for k, v in row.items()})
    return out.getvalue().encode("utf-8")


_TEXT_COLUMNS = frozenset(COLUMNS) - {"event_date", "year", "time_precision", "latitude", "longitude"}


def _records(gdf: pd.DataFrame) -> Iterator[dict[str, Any]]:
    names = list(gdf.columns)
    for values in gdf.itertuples(index=False, name=None):
        yield dict(zip(names, values, strict=True))


def _sides(record: dict[str, Any]) -> tuple[tuple[str, str], tuple[str, str], list[str]]:
    """actor1 and actor2 with their types, and the other actors: an event without sides gives
    its first actor as actor1 (ACLED has no event without one) and no actor2."""
    from geodata.actors import actor_dictionary

    actors = [_listable(a) for a in _listed(record.get("actors"))]
    named = [_text(record.get(s)) for s in ("actor1", "actor2")]
    if not named[0] and actors:
        named[0] = actors[0]
    sides = []
    for side, name in zip(("actor1", "actor2"), named, strict=True):
        kind = _text(record.get(f"{side}_type"))
        if name and not kind:
            known = actor_dictionary().get(name)
            kind = known.type if known is not None else ""
        sides.append((_listable(name), kind))
    others = [a for a in dict.fromkeys(actors) if a and a not in {sides[0][0], sides[1][0]}]
    return sides[0], sides[1], others


def _publishers(record: dict[str, Any]) -> list[str]:
    refs = record.get("references")
    further = [r.get("publisher") for r in refs if isinstance(r, dict)] if isinstance(refs, list) else []
    return [p for p in dict.fromkeys([record["source_publisher"], *further]) if p]


def _listable(name: str) -> str:
    """A name that "; " does not split (a semicolon in a name becomes a comma)."""
    return name.replace(";", ",")


def _listed(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    return []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _day(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat()


def _toll(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(int(value))


def _country_name(code: Any) -> str:
    return _country_names().get(code, "") if isinstance(code, str) else ""


@cache
def _country_names() -> dict[str, str]:
    """REST Countries' name of each country by ISO code, read once (250 files: 20 ms a time)."""
    from geodata.gazetteer.sources.countries import _countryinfo

    return {code: str(record.get("name") or "") for code, record in _countryinfo().items()}


# --- import ------------------------------------------------------------------------------------


def acled_records(
    rows: Iterator[tuple[int, dict[Any, Any]]], header: Sequence[str], name: str, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Catalogue records of ACLED rows (numbered by line); a row with a cell that cannot be read
    gives ``None`` after its problems are added to ``problems``."""
    names = {_column(c) for c in header if c}
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        problems.append(
            Problem(
                f"an ACLED CSV needs the columns {', '.join(missing)}; export it again from ACLED", path=name
            )
        )
        return
    for line, raw in rows:
        row = {
            _column(k): unescape_cell(v).strip() if isinstance(v, str) else "" for k, v in raw.items() if k
        }
        faults: Faults = []
        record = _record(row, name, faults)
        extra = raw.get(None)  # the csv reader's place for cells beyond the header
        if extra:
            faults.append(("row", f"{len(extra)} more cell(s) than the header has columns; remove them"))
        label = (row.get("event_id_cnty") or "").lower() or f"#{line}"  # the id the event gets
        for field, message in faults:
            problems.append(Problem(message, event_id=label[:128], field=field, line=line, path=name))
        yield line, None if faults else record


def _column(name: str) -> str:
    """A header name as looked up: without spaces around, in small letters ("Event_Date")."""
    return name.strip().strip('"').lower()


def _record(row: dict[str, str], name: str, faults: Faults) -> dict[str, Any]:
    get = row.get
    kind = _type(get("event_type", ""), get("sub_event_type", ""), faults)
    notes = get("notes") or ""
    location = get("location") or ""
    label = get("sub_event_type") or get("event_type") or "Event"
    record: dict[str, Any] = {
        "id": (get("event_id_cnty") or "").lower() or None,
        "type": kind,
        "title": f"{label}: {location}" if location else label,
        "summary": notes,
        "date_start": _date(get("event_date", ""), faults),
        "date_precision": _code(get("time_precision"), _TIME_BACK, "time_precision", "day", faults),
        "place_name": location or None,
        "place_country": _country_code(get("country")),
        "place_region": get("admin1") or None,
        "place_admin2": get("admin2") or None,
        "geo_precision": _code(get("geo_precision"), _GEO_BACK, "geo_precision", "city", faults),
        "lat": get("latitude") or None,
        "lon": get("longitude") or None,
        "coordinate_source": f"ACLED ({name.rsplit('/', 1)[-1]})",
        "actors": [a for c in ("assoc_actor_1", "assoc_actor_2") for a in _split(get(c))],
        "tags": _split(get("tags")),
    }
    # ACLED lists its sources in one cell: the first is the event's source, the rest references,
    # each with the row's notes as what supports it.
    publishers = _split(get("source")) or ["ACLED"]
    title = f"ACLED event {get('event_id_cnty') or ''}".strip()
    quote = notes or f"{label} at {location or 'an unnamed place'} (ACLED, no notes)"
    record.update(source_publisher=publishers[0], source_title=title, source_quote=quote)
    record["references"] = [{"publisher": p, "title": title, "quote": quote} for p in publishers[1:]]
    for side, inter in (("actor1", "inter1"), ("actor2", "inter2")):
        record[side] = get(side) or None
        record[f"{side}_type"] = _actor_type(get(inter), inter, faults)
        if record[f"{side}_type"] and not record[side]:
            faults.append((inter, f"{inter} gives an actor type but {side} no actor; name the actor"))
    if record["actor2"] and not record["actor1"]:
        faults.append(("actor1", "actor2 is given without actor1; name the side that acted as actor1"))
    toll = get("fatalities") or ""
    if toll and not re.fullmatch(r"[0-9]{1,8}", toll):
        faults.append(
            ("fatalities", f"fatalities {toll[:40]!r} is not a whole number; write the count, e.g. 3")
        )
    whole = re.fullmatch(r"[0-9]{1,8}", toll)
    record["fatalities_low"] = record["fatalities_high"] = int(toll) if whole else None
    return record


def _type(event_type: str, sub_event_type: str, faults: Faults) -> str | None:
    for key, kind in EVENT_TYPES.items():
        if (kind.acled_event_type, kind.acled_sub_event_type) == (event_type, sub_event_type):
            return key
    if event_type in _NEAREST:
        return _NEAREST[event_type]
    faults.append(
        ("event_type", f"unknown ACLED event type {event_type[:60]!r}; use one of: {', '.join(_NEAREST)}")
    )
    return None


def _date(text: str, faults: Faults) -> str | None:
    for form in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    faults.append(
        ("event_date", f"event_date {text[:40]!r} is not a date; write YYYY-MM-DD or '30 March 2020'")
    )
    return None


def _code(value: str | None, codes: dict[str, str], field: str, default: str, faults: Faults) -> str:
    if not value:
        return default
    if value in codes:
        return codes[value]
    faults.append((field, f"{field} {value[:20]!r} is not one of ACLED's codes {', '.join(codes)}"))
    return default


def _actor_type(value: str | None, field: str, faults: Faults) -> str | None:
    """An actor type from ACLED's words ("State forces") or its inter code (1 to 8)."""
    if not value or value == "0":  # older exports write 0 where there is no actor
        return None
    if re.fullmatch(r"[1-8](?:\.0)?", value):
        return ACTOR_TYPES[int(value[0]) - 1]
    by_word = {t.lower().rstrip("s"): t for t in ACTOR_TYPES}
    found = by_word.get(value.lower().rstrip("s"))
    if found is None:
        kinds = ", ".join(ACTOR_TYPES)
        faults.append(
            (field, f"{field} {value[:40]!r} is no ACLED actor type; use 1 to 8 or one of: {kinds}")
        )
    return found


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _country_code(name: str | None) -> str | None:
    """The ISO code of an ACLED country name: REST Countries' names, then CLDR's English ones
    ("Kosovo"), with or without "the" ("Democratic Republic of Congo")."""
    from geodata.actors import country_code

    if not name:
        return None
    return country_code(name) or _cldr_codes().get(_plain_name(name))


@lru_cache(maxsize=1)
def _cldr_codes() -> dict[str, str]:
    """Country codes by plain name: REST Countries' names and other spellings, CLDR's English
    names and their parts ("Congo - Kinshasa", "Kosovo")."""
    from babel import Locale

    from geodata.gazetteer.sources.countries import _countryinfo

    out: dict[str, str] = {}
    for code, record in _countryinfo().items():
        for spelling in [record.get("name"), *(record.get("altSpellings") or [])]:
            if isinstance(spelling, str) and len(spelling) > 3:
                out.setdefault(_plain_name(spelling), code)
    for code, territory in Locale("en").territories.items():
        if len(code) == 2 and code.isalpha():
            for variant in [*re.split(r"\s*[()]\s*|\s+-\s+", territory), territory]:
                out.setdefault(_plain_name(variant), code)
    out.pop("", None)
    return out


def _plain_name(name: str) -> str:
    words = re.findall(r"[a-z]+", name.lower())
    return " ".join(w for w in words if w != "the")
