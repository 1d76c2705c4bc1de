"""The store's commands: ``geodata import``, ``export --store``, ``review`` and ``history``.

The store is named by ``--store URL`` or, failing that, by ``$GEODATA_STORE``.
"""

from __future__ import annotations

import argparse
import getpass
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

from geodata.errors import GeodataError

ENV_STORE = "GEODATA_STORE"
EXIT_OK = 0


def store_url(given: str | None, environ: Mapping[str, str] | None = None) -> str:
    """``--store``, else ``$GEODATA_STORE``; a clear error when neither is set."""
    url = given or (os.environ if environ is None else environ).get(ENV_STORE)
    if not url:
        raise GeodataError(
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


def add_parsers(sub: Any) -> None:
    """The store's sub-commands, on the main parser's sub-parsers."""
    store_help = f"the store: sqlite:///PATH or postgresql://USER@HOST/DB (default: ${ENV_STORE})"
    importer = sub.add_parser("import", help="add catalogue files to a store (all or nothing)")
    importer.add_argument("files", nargs="+", help="YAML, GeoJSON, CSV or GeoParquet catalogues")
    importer.add_argument("--store", help=store_help)
    importer.add_argument("--reviewer", help="the name written to the change log (default: your login)")

    review = sub.add_parser("review", help="accept the store's pending drafts")
    review.add_argument("--store", help=store_help)
    review.add_argument("--accept-all", action="store_true", required=True, help="accept every pending draft")
    review.add_argument("--min-confidence", type=float, help="only drafts at least this sure (0 to 1)")
    review.add_argument("--reviewer", help="the name written to the change log (default: your login)")

    history = sub.add_parser("history", help="the change log of one event")
    history.add_argument("event_id")
    history.add_argument("--store", help=store_help)


def _import(args: argparse.Namespace, out: TextIO) -> int:
    from geodata.errors import CatalogError
    from geodata.geocoding import default_geocoder
    from geodata.store import Store

    events, problems = [], []
    for path in args.files:
        try:
            events += read_events(Path(path))
        except CatalogError as err:
            problems += err.problems
    if problems:
        raise CatalogError(problems)
    with Store.open(store_url(args.store)) as store:
        label = args.files[0] if len(args.files) == 1 else None
        count = store.import_events(
            events, who=reviewer(args.reviewer), geocoder=default_geocoder(), path=label
        )
    print(f"imported {count} events into {store.url}", file=out)
    return EXIT_OK


def read_events(path: Path) -> list[Any]:
    """The validated events of a catalogue file of any supported format."""
    from geodata.geocoding import default_geocoder
    from geodata.io.readers import PARQUET_SUFFIXES, frame_events, read_events_file, read_parquet_frame

    if path.suffix.lower() in PARQUET_SUFFIXES:
        return frame_events(read_parquet_frame(path), name=str(path))
    return read_events_file(path, geocoder=default_geocoder()).events


def export_store(args: argparse.Namespace, out: TextIO) -> int:
    """``geodata export --store URL -o OUT``: the accepted events (or ``--drafts``)."""
    from geodata.catalog import write_catalogue
    from geodata.io.export import export_events, format_for
    from geodata.store import Store

    fmt = "yaml" if args.format == "yaml" else None
    if fmt is None and Path(args.output).suffix.lower() in (".yaml", ".yml"):
        fmt = "yaml"
    with Store.open(store_url(args.store)) as store:
        if args.drafts:
            count = _export_drafts(store, Path(args.output))
            print(f"wrote {count} pending drafts to {args.output}", file=out)
            return EXIT_OK
        if fmt == "yaml":
            events = store.events()
            write_catalogue(events, Path(args.output), backup=False)
            print(f"wrote {len(events)} events to {args.output} (yaml)", file=out)
            return EXIT_OK
        kind = format_for(args.output, args.format)
        gdf = store.frame()
    target = export_events(gdf, Path(args.output), fmt=kind)
    print(f"wrote {len(gdf)} events to {target} ({kind})", file=out)
    return EXIT_OK


def _export_drafts(store: Any, path: Path) -> int:
    from geodata.io.safefile import atomic_write
    from geodata.io.yamlio import dump_yaml
    from geodata.store import review
    from geodata.store.rows import event_data

    queued = review.drafts(store)
    data = [
        {
            "draft": d.id,
            "confidence": round(d.confidence, 3),
            "article": d.article_id,
            "merge_target": d.merge_target,
            "evidence": d.evidence,
            "event": event_data(d.event),
        }
        for d in queued
    ]
    atomic_write(path, dump_yaml({"drafts": data}))
    return len(queued)


def _review(args: argparse.Namespace, out: TextIO) -> int:
    from geodata.geocoding import default_geocoder
    from geodata.store import Store, review

    with Store.open(store_url(args.store)) as store:
        accepted, merged = review.accept_all(
            store,
            who=reviewer(args.reviewer),
            geocoder=default_geocoder(),
            min_confidence=args.min_confidence,
        )
    print(f"accepted {accepted} drafts as events, merged {merged} into existing events", file=out)
    return EXIT_OK


def _history(args: argparse.Namespace, out: TextIO) -> int:
    from geodata.store import Store

    with Store.open(store_url(args.store)) as store:
        changes = store.history(args.event_id)
    if not changes:
        raise GeodataError(f"event {args.event_id!r} has no history in this store (is the id right?)")
    for change in changes:
        what = change.action + (f" (draft {change.draft_id})" if change.draft_id else "")
        fields = _changed_fields(change.before, change.after)
        note = f" — {change.note}" if change.note else ""
        print(f"{change.id:>6}  {change.at:%Y-%m-%d %H:%M:%S}  {change.who}  {what}{fields}{note}", file=out)
    return EXIT_OK


def _changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    if before is None or after is None:
        return ""
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return f": {', '.join(keys)}" if keys else ""


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "import": _import,
    "review": _review,
    "history": _history,
}
