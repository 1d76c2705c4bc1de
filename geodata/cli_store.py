"""The store's commands: ``geodata import``, ``export --store``, ``review`` and ``history``.

The store is named by ``--store URL`` or, failing that, by ``$GEODATA_STORE``. Every problem
(a bad address, a catalogue that does not validate, an id already in the store) is one clear
message and exit code 2; an import writes all of its files or nothing.

``export --drafts`` writes the pending drafts: see :mod:`geodata.cli_drafts`.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import getpass
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from geodata.cli_drafts import export_drafts, refuse_drafts_file
from geodata.errors import CatalogError, GeodataError, Problem, StoreError

if TYPE_CHECKING:
    from geodata.model import Event
    from geodata.store import Store

ENV_STORE = "GEODATA_STORE"
EXIT_OK = 0


def store_url(given: str | None, environ: Mapping[str, str] | None = None) -> str:
    """``--store``, else ``$GEODATA_STORE``; a clear error when neither is set."""
    url = given or (os.environ if environ is None else environ).get(ENV_STORE)
    if not url:
        raise StoreError(
            f"name the store: --store sqlite:///PATH or postgresql://USER@HOST/DB, or set {ENV_STORE}"
        )
    return url


def reviewer(given: str | None) -> str:
    """The name written to the change log: ``--reviewer``, else the login name."""
    if given and given.strip():
        return given.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def open_store(url: str, *, create: bool) -> Store:
    """The store at ``url``, its schema brought up to date; a SQLite file is made only when
    ``create`` (an import), so a mistyped path in ``export`` or ``history`` is an error."""
    from geodata.store import Store
    from geodata.store.engine import normalise_url, sqlite_path

    path = sqlite_path(url)
    if path is None and normalise_url(url).startswith("sqlite"):
        raise StoreError(f"{url!r} is a store in memory, gone when the command ends; use sqlite:///PATH")
    if path is not None:
        try:
            _check_sqlite_file(path, create=create)
        except OSError as err:  # a directory on the way that this user may not enter
            raise StoreError(f"cannot reach the store {str(path)!r}: {err.strerror or err}") from err
    try:
        return Store.open(url)
    except StoreError as err:
        raise StoreError(first_line(err)) from err


def _check_sqlite_file(path: Path, *, create: bool) -> None:
    """Refuse, with what to do, the SQLite paths the driver would only call "unable to open"."""
    parent = path.parent
    if path.is_dir():
        raise StoreError(f"{str(path)!r} is a directory; name the store's file: sqlite:///{path}/geodata.db")
    if not parent.exists():
        raise StoreError(f"the directory {str(parent)!r} of the store does not exist; create it first")
    if not parent.is_dir():
        raise StoreError(f"{str(parent)!r} is not a directory; the store must be a file in a directory")
    if path.exists() and not path.is_file():
        raise StoreError(f"{str(path)!r} is not a regular file; name a database file")
    if not path.exists() and not create:
        raise StoreError(
            f"there is no store at {str(path)!r}; check the path, or make one with "
            f"`geodata import FILE --store sqlite:///{path}`"
        )
    # SQLite in WAL mode writes NAME-wal and NAME-shm beside the file, even to read.
    if not os.access(parent, os.W_OK | os.X_OK):
        raise StoreError(f"cannot write in {str(parent)!r}, where the store keeps its files; check its mode")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(f"the store {str(path)!r} is not readable and writable by you; check its mode")


def first_line(err: BaseException) -> str:
    """An error's first line (drivers append hints and addresses on further lines)."""
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


@contextlib.contextmanager
def store_errors() -> Iterator[None]:
    """A database error a store method lets through becomes one line, not a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except SQLAlchemyError as err:
        reason = first_line(getattr(err, "orig", None) or err)
        raise StoreError(f"the store failed: {reason}") from err


def add_parsers(sub: Any) -> None:
    """The store's sub-commands, on the main parser's sub-parsers."""
    store_help = f"the store: sqlite:///PATH or postgresql://USER@HOST/DB (default: ${ENV_STORE})"
    importer = sub.add_parser("import", help="add catalogue files to a store (all of them or nothing)")
    importer.add_argument("files", nargs="+", help="YAML, GeoJSON, CSV or GeoParquet catalogues")
    importer.add_argument("--store", help=store_help)
    importer.add_argument("--reviewer", help="the name written to the change log (default: your login)")

    review = sub.add_parser("review", help="accept the store's pending drafts")
    review.add_argument("--store", help=store_help)
    review.add_argument("--accept-all", action="store_true", required=True, help="accept every pending draft")
    review.add_argument("--min-confidence", type=float, help="only drafts at least this sure (0 to 1)")
    review.add_argument("--reviewer", help="the name written to the change log (default: your login)")

    history = sub.add_parser("history", help="the change log of one event, oldest first")
    history.add_argument("event_id")
    history.add_argument("--store", help=store_help)


# --- import -------------------------------------------------------------------------------


def _import(args: argparse.Namespace, out: TextIO) -> int:
    from geodata.geocoding import default_geocoder

    events: list[Event] = []
    origin: dict[str, tuple[str, int | None]] = {}  # id -> the file and line it is read from
    problems: list[Problem] = []
    for name in args.files:
        try:
            found, lines = read_events(Path(name))
        except CatalogError as err:
            problems += err.problems
            continue
        for event in found:
            if event.id in origin:  # the store would refuse the second; say where both are
                message = f"{origin[event.id][0]} has this id already; give each event its own id"
                problems.append(
                    Problem(message, event_id=event.id, field="id", line=lines.get(event.id), path=name)
                )
            else:
                origin[event.id] = (name, lines.get(event.id))
                events.append(event)
    if problems:
        raise CatalogError(problems)
    with store_errors(), open_store(store_url(args.store), create=True) as store:
        try:
            count = store.import_events(events, who=reviewer(args.reviewer), geocoder=default_geocoder())
        except CatalogError as err:  # name the file and line each refused event came from
            raise CatalogError([_placed(p, origin) for p in err.problems]) from err
    print(f"imported {count} events from {len(args.files)} file(s) into {store.url}", file=out)
    return EXIT_OK


def _placed(problem: Problem, origin: Mapping[str, tuple[str, int | None]]) -> Problem:
    path, line = origin.get(problem.event_id or "", (problem.path, problem.line))
    return dataclasses.replace(problem, path=problem.path or path, line=problem.line or line)


def read_events(path: Path) -> tuple[list[Event], dict[str, int]]:
    """The validated events of a catalogue file of any supported format, and the line (or row)
    each starts on."""
    from geodata.geocoding import default_geocoder
    from geodata.io.readers import (
        CSV_SUFFIXES,
        GEOJSON_SUFFIXES,
        PARQUET_SUFFIXES,
        YAML_SUFFIXES,
        frame_events,
        read_events_file,
        read_parquet_frame,
    )

    suffix = path.suffix.lower()
    if os.path.isdir(path) or suffix not in (
        *YAML_SUFFIXES,
        *GEOJSON_SUFFIXES,
        *CSV_SUFFIXES,
        *PARQUET_SUFFIXES,
    ):
        kind = "a directory" if os.path.isdir(path) else f"of unknown type {suffix!r}"
        message = f"{kind}; import a catalogue: .yaml, .geojson, .csv or .parquet"
        raise CatalogError([Problem(message, path=str(path))])
    refuse_drafts_file(path)
    if suffix in PARQUET_SUFFIXES:
        if not os.path.isfile(path):  # the GeoParquet reader would call it "not GeoParquet"
            raise CatalogError([Problem("no such file; name a GeoParquet file", path=str(path))])
        events = frame_events(without_nat(read_parquet_frame(path)), name=str(path))
        return events, {e.id: n for n, e in enumerate(events, start=1)}
    catalogue = read_events_file(path, geocoder=default_geocoder())
    return catalogue.events, catalogue.lines


def without_nat(frame: Any) -> Any:
    """``frame`` with its missing dates as ``None``: ``frame_events`` hands pandas' ``NaT`` (a
    datetime that is not one) to pydantic, which fails with a TypeError, not a problem."""
    import pandas as pd

    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]) and frame[column].isna().any():
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


# --- export -------------------------------------------------------------------------------


def export_store(args: argparse.Namespace, out: TextIO) -> int:
    """``geodata export --store URL -o OUT``: the accepted events (or ``--drafts``), written to a
    new file that replaces ``OUT`` by a rename (a YAML ``OUT`` is kept as ``OUT.bak``)."""
    from geodata.catalog import write_catalogue
    from geodata.frame import frame_from_records
    from geodata.io.export import export_events, format_for

    target = Path(args.output)
    fmt = args.format or ("yaml" if target.suffix.lower() in (".yaml", ".yml") else None)
    if args.drafts and fmt != "yaml":
        raise GeodataError("--drafts writes YAML: name the output NAME.yaml (or add --format yaml)")
    kind = fmt if fmt == "yaml" else format_for(target, fmt)  # a bad suffix fails before the store opens
    with store_errors(), open_store(store_url(args.store), create=False) as store:
        if args.drafts:
            count = export_drafts(store, target)
            print(f"wrote {count} pending drafts to {target} (not a catalogue: see its header)", file=out)
            return EXIT_OK
        if kind == "yaml":
            events = store.events()
            kept = target.is_file()
            write_catalogue(events, target, backup=True)
            note = f"; the previous file is {target}.bak" if kept else ""
            print(f"wrote {len(events)} events to {target} (yaml){note}", file=out)
            return EXIT_OK
        # Store.frame() fails on an empty store (frame.search_text adds a float column to the
        # text ones); an empty export is still a valid file.
        gdf = store.frame() if store.count() else frame_from_records([])
    written = export_events(gdf, target, fmt=kind)
    print(f"wrote {len(gdf)} events to {written} ({kind})", file=out)
    return EXIT_OK


# --- review and history -------------------------------------------------------------------


def _review(args: argparse.Namespace, out: TextIO) -> int:
    from geodata.geocoding import default_geocoder
    from geodata.store import review

    least = args.min_confidence
    if least is not None and not 0.0 <= least <= 1.0:  # also refuses nan
        raise GeodataError(f"--min-confidence {least!r} is not between 0 and 1")
    who = reviewer(args.reviewer)
    with store_errors(), open_store(store_url(args.store), create=False) as store:
        accepted, merged = review.accept_all(
            store, who=who, geocoder=default_geocoder(), min_confidence=least
        )
    print(
        f"accepted {accepted} drafts as new events, merged {merged} into existing events (by {who})", file=out
    )
    return EXIT_OK


def _history(args: argparse.Namespace, out: TextIO) -> int:
    with store_errors(), open_store(store_url(args.store), create=False) as store:
        changes = store.history(args.event_id)
    if not changes:
        raise StoreError(f"no event {args.event_id!r} has ever been in this store; check the id")
    for change in changes:
        what = change.action + (f" (draft {change.draft_id})" if change.draft_id else "")
        note = f" — {change.note}" if change.note else ""
        line = (
            f"#{change.id}  {_utc(change.at)}  {change.who}  {what}: {changed(change.before, change.after)}"
        )
        print(line + note, file=out)
    return EXIT_OK


def changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """Which fields a change touched (``place.name``, ``references``), or created / deleted."""
    if before is None:
        return "created" if after is not None else "nothing"
    if after is None:
        return "deleted"
    fields = sorted(_differing(before, after, ""))
    return ", ".join(fields) if fields else "no field"


def _differing(before: Mapping[str, Any], after: Mapping[str, Any], prefix: str) -> Iterator[str]:
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, Mapping) and isinstance(new, Mapping):  # date.start, place.name
            yield from _differing(old, new, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


def _utc(when: dt.datetime) -> str:
    """A change's time in UTC (SQLite hands back the stored UTC time without its zone)."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return f"{when:%Y-%m-%d %H:%M:%S} UTC"


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "import": _import,
    "review": _review,
    "history": _history,
}
