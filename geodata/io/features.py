"""GeoJSON FeatureCollections (as geodata exports them) into flat records, located by their Point.

A feature's position is its geometry, a GeoJSON Point ``[lon, lat]``; its ``lat``/``lon``
properties are a copy of it, for tools that only read properties. When both are there they must
agree. A point moved in another tool (QGIS) with its properties left stale, or properties edited
with the point left behind, is reported, not resolved: either side may be the correction and the
other the slip, and silently choosing one moves an event without anyone knowing. The message
gives both positions and how to make them agree. A null geometry means "not located": the
properties' ``lat``/``lon`` are used, or the place is found by name. Any other geometry (Polygon,
LineString, a Point at NaN or out of range) is a problem, never a silent re-geocode.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

from geodata.coords import latlon_of_geojson_position
from geodata.errors import Problem

#: Positions closer than this (degrees, about 0.1 m) agree; exports round them to 7 decimals.
TOLERANCE_DEG = 1e-6
#: Deeper JSON is named in the report of a file too deeply nested to parse.
MAX_DEPTH = 64
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_FEATURES = re.compile(r'"features"\s*:\s*\[')
_SPACE = re.compile(r"[ \t\n\r]*")
_POINT_EXAMPLE = '{"type": "Point", "coordinates": [longitude, latitude]}'


def geojson_records(
    text: str, name: str, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Each feature's properties with its position as ``lat``/``lon``, numbered from 1 (reported
    as the 'line' of a problem), or ``None`` for a feature that has none; problems are appended
    to ``problems`` as they are found, so the caller can stop early."""
    try:
        doc = json.loads(text)
    except RecursionError:
        problems.append(nesting_problem(text, name))
        return
    except ValueError as err:
        message = f"not valid JSON: {err}; fix the file here, or export the catalogue again"
        problems.append(Problem(message, line=getattr(err, "lineno", None), path=name))
        return
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        problems.append(
            Problem(
                "expected a GeoJSON FeatureCollection exported by geodata "
                '({"type": "FeatureCollection", "features": [...]})',
                path=name,
            )
        )
        return
    features = doc.pop("features")
    for index in range(len(features)):
        # release each feature once read: only the events stay in memory, not the document
        feature, features[index] = features[index], None
        number = index + 1
        record, problem = feature_record(feature, number, name)
        if problem is not None:
            problems.append(problem)
        yield number, record


def feature_record(feature: Any, number: int, name: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """The flat record of one feature and the problem with its position, if any (the record is
    still returned then, so that its other fields are checked too)."""
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        what = "has no properties object" if isinstance(feature, dict) else f"is {_json_kind(feature)}"
        message = f"feature {number} {what}; each feature must be a GeoJSON Feature with 'properties'"
        return None, Problem(message, event_id=f"#{number}", line=number, path=name)
    props = dict(feature["properties"])
    raw_id = props.get("id")
    label = raw_id if isinstance(raw_id, str) and 0 < len(raw_id) <= 128 else f"#{number}"
    geometry = feature.get("geometry")
    if geometry is None:
        return props, None
    position, trouble = point_position(geometry)
    field = "geometry"
    if position is not None:
        trouble = _disagreement(props, position)
        field = "lat"
    if trouble is not None:
        problem = Problem(f"feature {number}: {trouble}", event_id=label, field=field, line=number, path=name)
        return props, problem
    assert position is not None
    props["lat"], props["lon"] = position
    return props, None


def point_position(geometry: Any) -> tuple[tuple[float, float] | None, str | None]:
    """``(lat, lon)`` of a GeoJSON Point, or what is wrong with ``geometry`` and what to do."""
    if not isinstance(geometry, dict):
        return None, (
            f"the geometry is {_json_kind(geometry)} ({_short(geometry)}), not a GeoJSON object; "
            f"write a Point such as {_POINT_EXAMPLE}, or null to locate the place by name"
        )
    kind = geometry.get("type")
    if kind != "Point":
        return None, (
            f"the geometry is a {_short(kind)}, but a geodata event is a point; replace it with a Point "
            "(in QGIS: Vector > Geometry Tools > Centroids), or set it to null and give 'lat' and 'lon'"
        )
    coords = geometry.get("coordinates")
    if not (
        isinstance(coords, list)
        and len(coords) >= 2
        and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords[:2])
    ):
        return None, (
            f"the Point's coordinates {_short(coords)} are not [longitude, latitude] numbers; "
            "write two numbers, longitude first"
        )
    lat, lon = latlon_of_geojson_position([float(coords[0]), float(coords[1])])
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None, (
            f"the Point's coordinates {_short(coords)} are not finite numbers; give the real position, "
            "or set the geometry to null to locate the place by name"
        )
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, (
            f"the Point's coordinates {_short(coords)} are outside the Earth's range; GeoJSON positions "
            "are [longitude, latitude] in degrees, longitude first: check the order"
        )
    return (lat, lon), None


def _disagreement(props: dict[str, Any], position: tuple[float, float]) -> str | None:
    """What is wrong when the ``lat``/``lon`` properties are not the geometry's position."""
    given = (props.get("lat"), props.get("lon"))
    if all(v is None or (isinstance(v, float) and math.isnan(v)) for v in given):
        return None
    try:
        plat, plon = float(given[0]), float(given[1])  # type: ignore[arg-type]
    except (TypeError, ValueError):
        plat = plon = math.nan
    lat, lon = position
    if abs(plat - lat) <= TOLERANCE_DEG and abs(plon - lon) <= TOLERANCE_DEG:
        return None
    return (
        f"the geometry puts the event at lat {lat}, lon {lon} but its 'lat'/'lon' properties say "
        f"{_short(given[0])}, {_short(given[1])}; if the point was moved on purpose (e.g. in QGIS), delete "
        "the 'lat' and 'lon' properties or set them to the new position, otherwise move the point back"
    )


def nesting_problem(text: str, name: str, *, limit: int = MAX_DEPTH) -> Problem:
    """Where ``text`` first nests deeper than ``limit``, and in which feature (on the error path
    only: the features are parsed one by one at the parser's speed until one fails, then that
    feature alone is scanned token by token)."""
    start, feature = _failing_feature(text)
    position = _deep_position(text, start, depth=0 if feature is None else 2, limit=limit)
    if position is None:
        return Problem("the JSON is nested too deeply to read; remove the nested brackets", path=name)
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    where = f" in feature {feature}" if feature is not None else ""
    return Problem(
        f"the JSON is nested more than {limit} levels deep{where}, too deeply to read; geodata's "
        "GeoJSON is a few levels deep: remove the nested brackets, or export the catalogue again",
        event_id=f"#{feature}" if feature is not None else None,
        line=line,
        column=column,
        path=name,
    )


def _failing_feature(text: str) -> tuple[int, int | None]:
    """The offset and number of the first feature the parser cannot read for its depth, or
    ``(0, None)`` when the trouble is elsewhere."""
    found = _FEATURES.search(text)
    if found is None:
        return 0, None
    decoder, position, number = json.JSONDecoder(), found.end(), 0
    while True:
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if position >= len(text) or text[position] == "]":
            return 0, None
        number += 1
        try:
            _, position = decoder.raw_decode(text, position)
        except RecursionError:
            return position, number
        except ValueError:
            return 0, None
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        position += text.startswith(",", position)


def _deep_position(text: str, start: int, *, depth: int, limit: int) -> int | None:
    """The offset where nesting first passes ``limit``, scanning from ``start`` at ``depth``."""
    for match in _TOKEN.finditer(text, start):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


def _json_kind(value: Any) -> str:
    """What a parsed JSON value is, in JSON's words ("an array", "a string")."""
    kinds = (
        (bool, "a boolean"),
        (str, "a string"),
        (int, "a number"),
        (float, "a number"),
        (list, "an array"),
    )
    return next(
        (word for kind, word in kinds if isinstance(value, kind)), "null" if value is None else "an object"
    )


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
