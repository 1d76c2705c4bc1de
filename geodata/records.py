"""Events as flat records (one mapping of plain values each) and back.

The flat record is the shape of a GeoDataFrame row, of a GeoJSON Feature's properties and of a
CSV line. :func:`event_record` and :func:`record_event` are inverses: an exported catalogue reads
back into the same events, with each resolved coordinate kept as an explicit one (with its source
and the gazetteer entry it came from), so export, read back, export gives the same file.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
from geopy.location import Location

from geodata.errors import GeodataError
from geodata.model import Event, Place
from geodata.taxonomy import event_type

PLACE_FIELDS = ("name", "canonical", "country", "region", "admin2", "geo_precision")
SOURCE_FIELDS = ("publisher", "title", "url", "published", "quote")
#: Columns that come from the event's type (the taxonomy), and the EventType attribute of each.
TYPE_COLUMNS: dict[str, str] = {
    "type_label": "label",
    "colour": "colour",
    "acled_event_type": "acled_event_type",
    "acled_sub_event_type": "acled_sub_event_type",
    "cameo_code": "cameo_code",
    "cameo_label": "cameo_label",
}
#: Columns of every record, in order.
RECORD_FIELDS: tuple[str, ...] = (
    "id",
    "type",
    "title",
    "summary",
    "date_start",
    "date_end",
    "date_precision",
    "date_text",
    "place_name",
    "place_canonical",
    "place_country",
    "place_region",
    "place_admin2",
    "geo_precision",
    "lat",
    "lon",
    "coordinate_source",
    "location_id",
    "said_at_name",
    "said_at_canonical",
    "said_at_country",
    "said_at_region",
    "said_at_admin2",
    "said_at_geo_precision",
    "said_at_lat",
    "said_at_lon",
    "said_at_coordinate_source",
    "actors",
    "actor1",
    "actor1_type",
    "actor2",
    "actor2_type",
    "fatalities_low",
    "fatalities_high",
    "tags",
    "confidence",
    "inference",
    "source_publisher",
    "source_title",
    "source_url",
    "source_published",
    "source_quote",
    "references",
    "provenance",
    *TYPE_COLUMNS,
)
LIST_FIELDS = ("actors", "tags", "references")
#: Fields written as JSON text where a format has no nested values (CSV, GeoPackage).
JSON_FIELDS = (*LIST_FIELDS, "provenance")
DERIVED_FIELDS = ("date_text", *TYPE_COLUMNS)


def event_record(event: Event, where: Location | None, said: Location | None = None) -> dict[str, Any]:
    """The flat record of an event located at ``where`` (and said at ``said``)."""
    kind = event_type(event.type)
    record: dict[str, Any] = {
        "id": event.id,
        "type": event.type,
        "title": event.title,
        "summary": event.summary,
        "date_start": event.date.start,
        "date_end": event.date.end,
        "date_precision": event.date.precision,
        "date_text": event.date.describe(),
    }
    record.update(_place_fields("place", event.place, where))
    record["geo_precision"] = record.pop("place_geo_precision")
    record["lat"] = record.pop("place_lat")
    record["lon"] = record.pop("place_lon")
    record["coordinate_source"] = record.pop("place_coordinate_source")
    record["location_id"] = record.pop("place_location_id")
    said_fields = _place_fields("said_at", event.said_at, said)
    said_fields.pop("said_at_location_id")
    record.update(said_fields)
    record.update(
        {
            "actors": list(event.actors),
            **_sides(event),
            "tags": list(event.tags),
            "confidence": event.confidence,
            "inference": event.inference,
        }
    )
    record.update({f"source_{k}": getattr(event.source, k) for k in SOURCE_FIELDS})
    record["references"] = [ref.model_dump(mode="json", exclude_none=True) for ref in event.references]
    record["provenance"] = event.provenance.model_dump(mode="json") if event.provenance else None
    record.update({column: getattr(kind, attribute) for column, attribute in TYPE_COLUMNS.items()})
    return {name: record.get(name) for name in RECORD_FIELDS}


def _sides(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for side in ("actor1", "actor2"):
        actor = getattr(event, side)
        out[side] = actor.name if actor is not None else None
        out[f"{side}_type"] = actor.type if actor is not None else None
    toll = event.fatalities
    out["fatalities_low"] = toll.low if toll is not None else None
    out["fatalities_high"] = toll.high if toll is not None else None
    return out


def _place_fields(prefix: str, place: Place | None, where: Location | None) -> dict[str, Any]:
    out: dict[str, Any] = {f"{prefix}_{k}": getattr(place, k) if place else None for k in PLACE_FIELDS}
    raw = where.raw if where is not None and isinstance(where.raw, dict) else {}
    out[f"{prefix}_lat"] = where.latitude if where is not None else None
    out[f"{prefix}_lon"] = where.longitude if where is not None else None
    out[f"{prefix}_coordinate_source"] = raw.get("source") if where is not None else None
    # An explicit point keeps the gazetteer entry it was taken from (the geocoder does not know it).
    explicit = place.location_id if place is not None and place.has_coordinates else None
    out[f"{prefix}_location_id"] = explicit or raw.get("id")
    return out


class RecordError(GeodataError, ValueError):
    """Cells of a flat record that cannot be read; ``faults`` holds ``(field, message)`` pairs."""

    def __init__(self, faults: list[tuple[str, str]]) -> None:
        self.faults = list(faults)
        super().__init__("; ".join(f"field {field!r}: {message}" for field, message in self.faults))


#: What each JSON cell should hold, for messages.
_JSON_SHAPES = {
    "actors": "a JSON array of names",
    "tags": "a JSON array of tags",
    "references": "a JSON array of source objects",
    "provenance": "a JSON object",
}


class NestingError(ValueError):
    """JSON nested too deeply for the parser's stack."""


def loads_cell(text: str, field: str) -> Any:
    """The value of JSON ``text`` in the cell ``field``; ``ValueError`` saying what to do if none.

    Nesting deep enough to exhaust the parser's stack is a :class:`NestingError`, never a
    ``RecursionError``.
    """
    shape = _JSON_SHAPES.get(field, "JSON")
    try:
        return json.loads(text)
    except RecursionError:
        raise NestingError(
            f"the JSON is nested too deeply to read; geodata writes {shape} here: "
            "export the catalogue again, or remove the nested brackets"
        ) from None
    except ValueError as err:
        raise ValueError(
            f"not valid JSON ({err}) in {_clip(text)!r}; write {shape}, or leave the cell empty"
        ) from None


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record_event(record: Mapping[str, Any]) -> dict[str, Any]:
    """The catalogue mapping of a flat record, ready for ``Event.model_validate``.

    Values may come from GeoJSON (lists, ISO strings) or CSV (JSON-encoded lists, empty cells).
    Raise :class:`RecordError` naming every JSON cell that cannot be read.
    """
    get = _getter(record)
    faults: list[tuple[str, str]] = []
    cells = {field: _json_cell(get(field), field, faults) for field in JSON_FIELDS}
    data: dict[str, Any] = {
        "id": get("id"),
        "type": get("type"),
        "title": get("title"),
        "summary": get("summary") or "",
        "date": {
            "start": _day(get("date_start")),
            "end": _day(get("date_end")),
            "precision": get("date_precision") or "day",
        },
        "place": _place(
            get, "place", precision_key="geo_precision", lat="lat", lon="lon", source="coordinate_source"
        ),
        "actors": _list(cells["actors"], get("actors")),
        "actor1": _actor(get, "actor1", faults),
        "actor2": _actor(get, "actor2", faults),
        "fatalities": _toll(get("fatalities_low"), get("fatalities_high")),
        "tags": _list(cells["tags"], get("tags")),
        "confidence": get("confidence") or "medium",
        "inference": get("inference"),
        "source": {
            k: (_day(get(f"source_{k}")) if k == "published" else get(f"source_{k}")) for k in SOURCE_FIELDS
        },
        "references": _list(cells["references"], get("references")),
        "provenance": cells["provenance"],
    }
    if faults:
        raise RecordError(faults)
    data["place"]["location_id"] = get("location_id")  # the said_at place has no column for it
    if get("said_at_name"):
        data["said_at"] = _place(
            get,
            "said_at",
            precision_key="said_at_geo_precision",
            lat="said_at_lat",
            lon="said_at_lon",
            source="said_at_coordinate_source",
        )
    return _drop_none(data)


def _place(get: Any, prefix: str, *, precision_key: str, lat: str, lon: str, source: str) -> dict[str, Any]:
    place = {k: get(f"{prefix}_{k}") for k in ("name", "canonical", "country", "region", "admin2")}
    place.update(
        geo_precision=get(precision_key),
        lat=_float(get(lat)),
        lon=_float(get(lon)),
        coordinate_source=get(source),
    )
    return place


def _actor(get: Any, side: str, faults: list[tuple[str, str]]) -> Any:
    name, kind = get(side), get(f"{side}_type")
    if name is None and kind is None:
        return None
    if name is None or (isinstance(name, str) and not name.strip()):
        faults.append((side, f"an actor type ({kind!r}) without a name; name the actor in {side}"))
        return None
    return {"name": name, "type": kind} if kind is not None else {"name": name}


def _toll(low: Any, high: Any) -> Any:
    """Fatalities from their two cells: whole numbers (a float from a column with gaps is one if
    it has no fraction); other values are left for the model to name."""
    low, high = _whole(low), _whole(high)
    if low is None and high is None:
        return None
    return {"low": low, "high": high}


def _whole(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value)  # true is no number of deaths: the model says so
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,8}", value.strip()):
        return int(value)
    return value


def _getter(record: Mapping[str, Any]) -> Any:
    def get(key: str) -> Any:
        value = record.get(key)
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        if isinstance(value, str) and value == "":
            return None
        if hasattr(value, "tolist"):  # numpy arrays and scalars from geopandas
            return value.tolist()
        return value

    return get


def _day(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and len(value) > 10 and value[10] in "T ":
        return value[:10]
    return value


def _float(value: Any) -> Any:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return value  # let validation name the bad value


_NOT_JSON = object()


def _json_cell(value: Any, field: str, faults: list[tuple[str, str]]) -> Any:
    """The parsed value of a JSON text cell (other values as they are); ``_NOT_JSON`` for text
    that is not JSON in a list cell (a single name), ``None`` after recording a fault."""
    if not isinstance(value, str):
        return value
    try:
        return loads_cell(value, field)
    except NestingError as err:
        faults.append((field, str(err)))
    except ValueError as err:
        if field in ("actors", "tags"):
            return _NOT_JSON  # a bare name typed into a spreadsheet
        faults.append((field, str(err)))
    return None


def _list(value: Any, original: Any) -> Any:
    if value is None:
        return []
    if value is _NOT_JSON:
        return [original]
    if isinstance(original, str):
        return value if isinstance(value, list) else [original]
    return list(value) if isinstance(value, (list, tuple)) else value


def _drop_none(value: dict[str, Any]) -> dict[str, Any]:
    """Drop empty fields of the record and of the mappings built here (date, place, source); the
    values of cells (provenance) are left as they are, however deep."""
    built = ("date", "place", "said_at", "source")
    return {
        k: ({kk: vv for kk, vv in v.items() if vv is not None} if k in built else v)
        for k, v in value.items()
        if v is not None
    }
