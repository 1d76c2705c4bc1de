"""Read a catalogue from YAML, from the project's own GeoJSON export, or from its CSV export."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from geodata.catalog import Catalogue, check_places, parse_catalogue, read_catalogue
from geodata.coords import latlon_of_geojson_position
from geodata.errors import CatalogError, Problem
from geodata.io.yamlio import decode_text
from geodata.model import Event
from geodata.records import record_event

if TYPE_CHECKING:
    from geodata.geocoding import OfflineGeocoder

YAML_SUFFIXES = (".yaml", ".yml")
PARQUET_SUFFIXES = (".parquet", ".geoparquet")
GEOJSON_SUFFIXES = (".geojson", ".json")
CSV_SUFFIXES = (".csv",)


def read_events_file(path: str | os.PathLike[str], *, geocoder: OfflineGeocoder | None = None) -> Catalogue:
    """Read any supported catalogue file, chosen by its suffix."""
    suffix = Path(path).suffix.lower()
    if suffix in YAML_SUFFIXES:
        return read_catalogue(path, geocoder=geocoder)
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise CatalogError([Problem(f"cannot read the file: {err.strerror or err}", path=str(path))]) from err
    return parse_events_bytes(data, name=str(path), geocoder=geocoder)


def read_parquet_frame(path: str | os.PathLike[str]) -> Any:
    """A GeoParquet written by geodata as a GeoDataFrame, checked column by column (no per-event
    validation: this is the path for catalogues of hundreds of thousands of events)."""
    import geopandas as gpd
    import pandas as pd

    from geodata.frame import frame_from_columns
    from geodata.records import RECORD_FIELDS
    from geodata.taxonomy import EVENT_TYPES

    label = str(path)
    try:
        table = gpd.read_parquet(path)
    except (OSError, ValueError, TypeError) as err:
        raise CatalogError([Problem(f"not a GeoParquet file geodata can read: {err}", path=label)]) from err
    required = ("id", "type", "title", "date_start", "date_end", "date_precision", "lat", "lon")
    missing = [c for c in required if c not in table.columns]
    problems = [Problem(f"missing column {c!r}", field=c, path=label) for c in missing]
    if not missing:
        bad_types = sorted(set(table["type"].dropna()) - set(EVENT_TYPES))
        problems += [Problem(f"unknown type {t!r}", field="type", path=label) for t in bad_types[:20]]
        duplicated = table["id"][table["id"].duplicated()].head(20)
        problems += [Problem("duplicate id", event_id=str(i), field="id", path=label) for i in duplicated]
        start, end = pd.to_datetime(table["date_start"]), pd.to_datetime(table["date_end"])
        for i in table["id"][(end < start).to_numpy()].head(20):
            problems.append(Problem("end is before start", event_id=str(i), field="date", path=label))
        outside = ~table["lat"].between(-90, 90) | ~table["lon"].between(-180, 180)
        for i in table["id"][outside.to_numpy()].head(20):
            problems.append(Problem("lat/lon out of range", event_id=str(i), field="lat", path=label))
    if problems:
        raise CatalogError(problems)
    columns = {c: table[c].to_numpy() for c in RECORD_FIELDS if c in table.columns}
    for column in ("references", "provenance"):
        if column in columns:
            columns[column] = [json.loads(v) if isinstance(v, str) else v for v in columns[column]]
    for column in ("actors", "tags"):
        if column in columns:
            columns[column] = [list(v) if v is not None else [] for v in columns[column]]
    return frame_from_columns(columns)


def parse_events_bytes(data: bytes, *, name: str, geocoder: OfflineGeocoder | None = None) -> Catalogue:
    """Parse uploaded bytes as YAML, GeoJSON or CSV according to ``name``'s suffix."""
    suffix = Path(name).suffix.lower()
    if suffix in YAML_SUFFIXES:
        return parse_catalogue(data, path=name, geocoder=geocoder)
    text, problems = decode_text(data, path=name)
    if text is None:
        raise CatalogError(problems)
    if suffix in GEOJSON_SUFFIXES:
        records, problems = _geojson_records(text, name)
    elif suffix in CSV_SUFFIXES:
        records, problems = _csv_records(text, name)
    else:
        raise CatalogError(
            [Problem(f"unknown catalogue type {suffix!r}; use .yaml, .geojson or .csv", path=name)]
        )
    events, lines = [], {}
    for position, record in records:
        label = str(record.get("id") or f"#{position}")
        if label in lines:
            problems.append(Problem("duplicate id", event_id=label, field="id", line=position, path=name))
            continue
        lines[label] = position
        try:
            events.append(Event.model_validate(record_event(record)))
        except ValidationError as err:
            problems += [
                Problem(
                    str(e["msg"]).removeprefix("Value error, "),
                    event_id=label,
                    field=".".join(map(str, e["loc"])) or None,
                    line=position,
                    path=name,
                )
                for e in err.errors()
            ]
    if geocoder is not None:
        problems += check_places(events, geocoder, lines=lines, path=name)
    if problems:
        raise CatalogError(problems)
    return Catalogue(events=events, lines=lines, path=name)


def _geojson_records(text: str, name: str) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """Feature properties, numbered from 1 (reported as the 'line' of a problem)."""
    try:
        doc = json.loads(text)
    except ValueError as err:
        line = getattr(err, "lineno", None)
        return [], [Problem(f"not valid JSON: {err}", line=line, path=name)]
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        return [], [Problem("expected a GeoJSON FeatureCollection exported by geodata", path=name)]
    records, problems = [], []
    for number, feature in enumerate(doc["features"], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            problems.append(
                Problem(f"feature {number} has no properties object", event_id=f"#{number}", path=name)
            )
            continue
        props = dict(props)
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if geometry.get("type") == "Point" and isinstance(coords, list) and len(coords) >= 2:
            lat, lon = latlon_of_geojson_position(coords)
            props.setdefault("lat", lat)
            props.setdefault("lon", lon)
        records.append((number, props))
    return records, problems


def _csv_records(text: str, name: str) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """CSV rows, numbered by their line in the file."""
    try:
        reader = csv.DictReader(io.StringIO(text))
        rows = [(reader.line_num, dict(row)) for row in reader]
    except csv.Error as err:
        return [], [Problem(f"not valid CSV: {err}", path=name)]
    if not rows or "id" not in rows[0][1]:
        return [], [Problem("expected a CSV exported by geodata, with an 'id' column", path=name)]
    return rows, []
