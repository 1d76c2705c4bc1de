"""Read a catalogue from YAML, from the project's own GeoJSON export, or from its CSV export.

Every read is bounded: files are read through :func:`~geodata.io.safefile.read_capped`, CSV lines
and cells have a size limit, JSON nested too deeply is a problem, not a ``RecursionError``, and
reading stops after :data:`MAX_PROBLEMS` problems. Whatever the input, the outcome is a
:class:`~geodata.catalog.Catalogue` or a :class:`~geodata.errors.CatalogError` listing problems.
"""

from __future__ import annotations

import csv
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from geodata.catalog import Catalogue, check_places, parse_catalogue, read_catalogue
from geodata.errors import CatalogError, FileError, Problem
from geodata.io.acled import acled_records, is_acled_header
from geodata.io.csvcells import unescape_cell
from geodata.io.features import geojson_records
from geodata.io.safefile import read_capped
from geodata.io.yamlio import decode_text
from geodata.model import Event
from geodata.records import RecordError, record_event
from geodata.settings import DEFAULTS

if TYPE_CHECKING:
    from geodata.geocoding import OfflineGeocoder

__all__ = ["parse_events_bytes", "read_events_file", "read_parquet_frame"]

YAML_SUFFIXES = (".yaml", ".yml")
PARQUET_SUFFIXES = (".parquet", ".geoparquet")
GEOJSON_SUFFIXES = (".geojson", ".json")
CSV_SUFFIXES = (".csv",)
#: Reading stops after this many problems: a file of a million bad rows is reported at once.
MAX_PROBLEMS = 200
#: Longest physical CSV line read; geodata's rows are far shorter. Longer lines could hold
#: millions of empty fields, so they are refused before the csv module splits them.
MAX_CSV_LINE = 1 << 20
_MESSAGE_LIMIT = 400


def read_parquet_frame(path: str | os.PathLike[str]) -> Any:
    """A GeoParquet catalogue as a GeoDataFrame, checked column by column (see
    :mod:`geodata.io.parquet`; imported here when first used, as it needs pandas and pyarrow)."""
    from geodata.io.parquet import read_parquet_frame as read

    return read(path)


def frame_events(gdf: Any, *, name: str) -> list[Event]:
    """The events of a frame read from GeoParquet, each validated (for importing into a store);
    :class:`CatalogError` lists every problem, naming the row."""
    from geodata.records import RECORD_FIELDS

    columns = [c for c in RECORD_FIELDS if c in gdf.columns]
    rows = gdf[columns].itertuples(index=False, name=None)
    records = ((n, dict(zip(columns, row, strict=True))) for n, row in enumerate(rows, start=1))
    problems: list[Problem] = []
    events, _, _ = _validate(records, name, problems, unit="row")
    if problems:
        raise CatalogError(problems)
    return events


def read_events_file(path: str | os.PathLike[str], *, geocoder: OfflineGeocoder | None = None) -> Catalogue:
    """Read any supported catalogue file, chosen by its suffix."""
    suffix = Path(path).suffix.lower()
    if suffix in YAML_SUFFIXES:
        return read_catalogue(path, geocoder=geocoder)
    label = str(path)
    if suffix not in GEOJSON_SUFFIXES + CSV_SUFFIXES:
        raise CatalogError([_unknown_type(suffix, label)])
    try:
        data = read_capped(path, limit=DEFAULTS.max_catalogue_bytes, what="catalogue")
    except FileError as err:
        raise CatalogError([Problem(str(err).removeprefix(f"{label}: "), path=label)]) from err
    return parse_events_bytes(data, name=label, geocoder=geocoder)


def parse_events_bytes(data: bytes, *, name: str, geocoder: OfflineGeocoder | None = None) -> Catalogue:
    """Parse uploaded bytes as YAML, GeoJSON or CSV according to ``name``'s suffix."""
    suffix = Path(name).suffix.lower()
    if suffix in YAML_SUFFIXES:
        return parse_catalogue(data, path=name, geocoder=geocoder)
    if suffix not in GEOJSON_SUFFIXES + CSV_SUFFIXES:
        raise CatalogError([_unknown_type(suffix, name)])
    limit = DEFAULTS.max_catalogue_bytes
    if len(data) > limit:
        raise CatalogError(
            [Problem(f"the catalogue is larger than {limit:,} bytes; split it, or use GeoParquet", path=name)]
        )
    text, problems = decode_text(data, path=name)
    if text is None:
        raise CatalogError(problems)
    if suffix in GEOJSON_SUFFIXES:
        records, unit = geojson_records(text, name, problems), "feature"
    elif is_acled_header(text[: min(len(text), MAX_CSV_LINE)].split("\n", 1)[0]):
        records, unit = _acled_csv_records(text, name, problems), "line"
    else:
        records, unit = _csv_records(text, name, problems), "line"
    events, lines, failed = _validate(records, name, problems, unit=unit)
    if geocoder is not None:
        _check_places([e for e in events if e.id not in failed], geocoder, lines, name, problems)
    if problems:
        raise CatalogError(problems)
    return Catalogue(events=events, lines=lines, path=name)


def _check_places(
    events: list[Event], geocoder: OfflineGeocoder, lines: dict[str, int], name: str, problems: list[Problem]
) -> None:
    """Check that each place resolves, a batch at a time, stopping at the problem limit."""
    for start in range(0, len(events), 1000):
        if len(problems) > MAX_PROBLEMS:
            return  # reading stopped already
        problems += check_places(events[start : start + 1000], geocoder, lines=lines, path=name)
        if len(problems) > MAX_PROBLEMS:
            del problems[MAX_PROBLEMS:]
            stop = f"stopped after {MAX_PROBLEMS} problems; fix these and read again"
            problems.append(Problem(stop, path=name))


def _unknown_type(suffix: str, name: str) -> Problem:
    return Problem(f"unknown catalogue type {suffix!r}; use .yaml, .geojson or .csv", path=name)


def _validate(
    records: Iterable[tuple[int, dict[str, Any] | None]], name: str, problems: list[Problem], *, unit: str
) -> tuple[list[Event], dict[str, int], set[str]]:
    """Validate records as they come; return the events, their lines and the ids with problems."""
    events: list[Event] = []
    lines: dict[str, int] = {}
    failed: set[str] = set()
    seen = len(problems)
    for position, record in records:
        flagged, seen = len(problems) > seen, len(problems)  # the reader reported this record
        if len(problems) >= MAX_PROBLEMS:
            del problems[MAX_PROBLEMS:]  # the last record may have added several
            stop = f"stopped after {MAX_PROBLEMS} problems, at {unit} {position}; fix these and read again"
            problems.append(Problem(stop, path=name))
            break
        if record is None:
            continue  # unreadable; the reader reported it
        raw_id = record.get("id")
        label = raw_id if isinstance(raw_id, str) and 0 < len(raw_id) <= 128 else f"#{position}"
        if flagged:
            failed.add(label)
        if label in lines:
            problems.append(
                Problem(
                    f"duplicate id; {unit} {lines[label]} has it already; give each event its own id",
                    event_id=label,
                    field="id",
                    line=position,
                    path=name,
                )
            )
            continue
        lines[label] = position
        event = _event(record, label, position, name, problems)
        if event is not None:
            events.append(event)
        seen = len(problems)
    return events, lines, failed


def _event(
    record: dict[str, Any], label: str, position: int, name: str, problems: list[Problem]
) -> Event | None:
    try:
        return Event.model_validate(record_event(record))
    except RecordError as err:
        problems += [
            Problem(_clip(message), event_id=label, field=field, line=position, path=name)
            for field, message in err.faults
        ]
    except ValidationError as err:
        problems += [
            Problem(
                _clip(str(e["msg"]).removeprefix("Value error, ")),
                event_id=label,
                field=".".join(map(str, e["loc"])) or None,
                line=position,
                path=name,
            )
            for e in err.errors()
        ]
    return None


def _clip(message: str) -> str:
    """A message of bounded length (a hostile value quoted in it may be megabytes long)."""
    return message if len(message) <= _MESSAGE_LIMIT else message[: _MESSAGE_LIMIT - 1] + "…"


class _LongLine(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` (ending at ``\\n``), refusing any longer than :data:`MAX_CSV_LINE`
    before it is copied."""
    start, number, size = 0, 0, len(text)
    while start < size:
        number += 1
        end = text.find("\n", start, start + MAX_CSV_LINE + 1)
        if end < 0:
            if size - start > MAX_CSV_LINE:
                raise _LongLine(number)
            end = size - 1
        yield text[start : end + 1]
        start = end + 1


def _csv_records(text: str, name: str, problems: list[Problem]) -> Iterator[tuple[int, dict[str, Any]]]:
    """CSV rows, numbered by the line each starts on, with spreadsheet escapes undone
    (see :mod:`geodata.io.csvcells`); problems are appended to ``problems``."""

    def header(fields: Sequence[str]) -> bool:
        if "id" in fields:
            return True
        problems.append(Problem("expected a CSV exported by geodata, with an 'id' column", path=name))
        return False

    for line, row in _csv_rows(text, name, problems, header):
        yield line, {k: unescape_cell(v) if isinstance(v, str) else v for k, v in row.items()}


def _acled_csv_records(
    text: str, name: str, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """The catalogue records of a CSV with ACLED's columns (:mod:`geodata.io.acled`)."""
    fields: list[str] = []

    def header(names: Sequence[str]) -> bool:
        fields.extend(names)
        return True

    rows = _csv_rows(text, name, problems, header)
    first = next(rows, None)  # reads the header
    if first is None and not fields:
        return
    yield from acled_records(itertools.chain([first] if first else [], rows), fields, name, problems)


def _csv_rows(
    text: str, name: str, problems: list[Problem], header: Callable[[Sequence[str]], bool]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of a CSV text by the line each starts on, once ``header`` accepts its columns;
    a line or cell beyond the limits, or text that is no CSV, ends it with a problem."""
    reader = csv.DictReader(_lines(text))
    start = 1
    try:
        if not header(list(reader.fieldnames or ())):
            return
        start = reader.line_num + 1
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except _LongLine as err:
        problems.append(
            Problem(
                f"line {err.line} is longer than {MAX_CSV_LINE:,} characters; a geodata CSV row is far "
                "shorter: check that this is a CSV exported by geodata",
                line=err.line,
                path=name,
            )
        )
    except csv.Error as err:
        if "field larger than field limit" in str(err):
            message = (
                f"a cell of the row starting on line {start} is longer than {csv.field_size_limit():,} "
                "characters (an unclosed quote?); close the quote or shorten the cell"
            )
        else:
            message = f"not valid CSV: {err}; save the file as CSV (comma-separated, UTF-8)"
        problems.append(Problem(message, line=start, path=name))
