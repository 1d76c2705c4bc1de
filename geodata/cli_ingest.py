"""``geodata ingest PATH... --store URL``: articles from files and folders into the store's review
queue, each once, with its drafts; a summary, and every problem listed at the end (exit 2)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
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


def _ingest(args: argparse.Namespace, out: TextIO) -> int:
    from geodata.geocoding import default_geocoder
    from geodata.ingest import ingest
    from geodata.merge import proposer

    who = reviewer(args.reviewer)
    with store_errors(), open_store(store_url(args.store), create=True) as store:
        # Each article's drafts are compared with the store's events and pending drafts: one
        # event reported again is proposed as a further source of it (geodata.merge).
        propose = proposer(default_geocoder())
        summary = ingest(store, args.paths, who=who, propose=propose, progress=sys.stderr.isatty())
    print(f"ingested into {store.url}: {summary.describe()}", file=out)
    if summary.problem_count:  # listed by the command line (the summary has the full count), exit 2
        raise CatalogError(summary.problems)
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {"ingest": _ingest}
