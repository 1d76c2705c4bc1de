"""``geodata ingest PATH... --store URL``: articles from files and folders into the store's review
queue, each once, with its drafts; a summary, and every problem listed at the end (exit 2)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from geodata.cli_store import ENV_STORE, open_store, reviewer, store_errors, store_url
from geodata.errors import CatalogError

EXIT_OK = 0


def add_parser(sub: Any) -> None:
    """The ``ingest`` sub-command, on the main parser's sub-parsers."""
    from geodata.ingest.sources import KINDS

    ingest = sub.add_parser(
        "ingest",
        help="read articles into a store's review queue, each once, with its drafted events",
        description=(
            f"Folders are read recursively. Files: {', '.join(sorted(KINDS))} (Markdown and text "
            'with front matter; saved web pages; JSON Lines of {"id", "title", "url", "publisher", '
            '"published", "text"}; RSS and Atom feeds). An article already in the store (same URL or '
            "text) is skipped. A bad file, line or item is listed at the end and the others go in."
        ),
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files and folders of articles")
    ingest.add_argument(
        "--store", help=f"the store: sqlite:///PATH or postgresql://USER@HOST/DB (default: ${ENV_STORE})"
    )
    ingest.add_argument("--reviewer", help="the name written to the change log (default: your login)")
    ingest.add_argument(
        "--no-merge",
        action="store_true",
        help="queue the drafts without comparing them with the store's events and pending drafts: "
        "a bulk load of an archive, where the one writer's merging would be the limit; the reviewer "
        "sees no proposed merges for these drafts",
    )
    add_cluster_arguments(ingest)


def add_cluster_arguments(parser: Any, *, size: int | None = None, unit: str = "articles") -> None:
    """``--workers``, ``--scheduler``, ``--partition-size`` (``size`` ``unit`` by default) and
    ``--work-dir``, for commands that can run on Dask."""
    from geodata.parallel.partitions import PARTITION_SIZE

    size = PARTITION_SIZE if size is None else size
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=int, metavar="N", help="draft on a local Dask cluster of N worker processes"
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="draft on a running Dask cluster: its scheduler's tcp://HOST:PORT, or a scheduler file (.json)",
    )
    parser.add_argument(
        "--partition-size",
        type=int,
        default=size,
        metavar="N",
        help=f"{unit} per partition of distributed work (default {size})",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        help="where a distributed run keeps each partition's results (default ~/.cache/geodata/runs)",
    )


def _ingest(args: argparse.Namespace, out: TextIO) -> int:
    from geodata.geocoding import default_geocoder
    from geodata.ingest import ingest
    from geodata.merge import proposer

    who = reviewer(args.reviewer)
    distributed = args.workers is not None or args.scheduler is not None
    with store_errors(), open_store(store_url(args.store), create=True) as store:
        # Each article's drafts are compared with the store's events and pending drafts: one
        # event reported again is proposed as a further source of it (geodata.merge).
        propose = None if args.no_merge else proposer(default_geocoder())
        progress = sys.stderr.isatty()
        if distributed:
            summary, folder = _distributed(args, store, who=who, propose=propose, progress=progress)
        else:
            summary = ingest(store, args.paths, who=who, propose=propose, progress=progress)
    print(f"ingested into {store.url}: {summary.describe()}", file=out)
    if distributed:
        print(f"each partition's drafts (GeoParquet) are in {folder}", file=out)
    if summary.problem_count:  # listed by the command line (the summary has the full count), exit 2
        raise CatalogError(summary.problems)
    return EXIT_OK


def _distributed(args: argparse.Namespace, store: Any, **options: Any) -> tuple[Any, Path]:
    from geodata.parallel.cluster import connect
    from geodata.parallel.ingest import ingest_partitioned

    with connect(workers=args.workers, scheduler=args.scheduler) as client:
        return ingest_partitioned(
            store, args.paths, client=client, size=args.partition_size, work_dir=args.work_dir, **options
        )


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {"ingest": _ingest}
