"""A second process for the store's concurrency tests: it opens a store, waits for the test's
signal, does one action, and can stop inside that action's open transaction so the test can kill it.

Usage: python tests/store_child.py URL ACTION ARG [--ready FILE] [--go FILE]
                                   [--pause-after SQL --inside FILE [--release FILE]]

ACTION is ``import PREFIX`` (``--count N`` events, ``--batch`` rows per INSERT), ``accept
DRAFT_ID``, ``merge DRAFT_ID --target EVENT_ID``, ``seed CATALOGUE`` (open the store, filling
it from CATALOGUE if new), or ``ingest PATH`` (articles drafted over the tiny gazetteer, ``--batch``
articles per transaction). The child creates ``--ready`` when it is about to act, then waits for
``--go`` to appear. With ``--pause-after``, the first statement that starts with SQL is followed
by creating the ``--inside`` file and waiting, still inside the transaction, for ``--release`` to
appear (without it, until the test kills the child).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from storekit import make_event, tiny_geocoder

from geodata.extract.geoparse import Geoparser
from geodata.ingest import ingest
from geodata.ingest.drafting import sentence_drafting
from geodata.store import Store, open_store, review
from geodata.store import store as store_module

#: Seconds to wait for the test's signal; far beyond what a test takes.
PATIENCE = 300.0


def _wait_for(path: Path | None, *, timeout: float = PATIENCE) -> None:
    deadline = time.monotonic() + timeout
    while path is None or not path.exists():
        if time.monotonic() > deadline:
            sys.exit(f"store_child: {path} never appeared")
        time.sleep(0.005)


def _pause_after(prefix: str, inside: Path, release: Path | None) -> None:
    done = False

    @event.listens_for(Engine, "after_cursor_execute")  # every engine, also those made later
    def _after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        nonlocal done
        if not done and statement.lstrip().upper().startswith(prefix.upper()):
            done = True
            inside.touch()
            _wait_for(release)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("action", choices=("import", "accept", "merge", "seed", "ingest"))
    parser.add_argument("arg")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--target")
    parser.add_argument("--batch", type=int, default=None, help="rows per INSERT in an import")
    parser.add_argument("--ready", type=Path)
    parser.add_argument("--go", type=Path)
    parser.add_argument("--pause-after")
    parser.add_argument("--inside", type=Path)
    parser.add_argument("--release", type=Path)
    args = parser.parse_args()
    geocoder = tiny_geocoder()
    if args.batch is not None and args.action == "import":
        store_module.BATCH = args.batch
    events = [make_event(n, prefix=args.arg) for n in range(args.count)] if args.action == "import" else []
    if args.pause_after:
        _pause_after(args.pause_after, args.inside, args.release)
    if args.action == "seed":  # opening is the action: wait before it
        _ready(args)
        with open_store(args.url, seed=Path(args.arg), geocoder=geocoder) as store:
            print(store.count())
        return
    with Store.open(args.url) as store:
        _ready(args)
        if args.action == "import":
            print(store.import_events(events, who=f"child {args.arg}", geocoder=geocoder))
        elif args.action == "ingest":
            print(
                ingest(
                    store,
                    [args.arg],
                    who="child",
                    draft=sentence_drafting(Geoparser(geocoder.gazetteer)),
                    batch=args.batch or 50,
                ).describe()
            )
        elif args.action == "accept":
            print(review.accept(store, int(args.arg), who="child", geocoder=geocoder))
        else:
            review.merge(store, int(args.arg), args.target, who="child", geocoder=geocoder)
            print(args.target)


def _ready(args: argparse.Namespace) -> None:
    if args.ready:
        args.ready.touch()
    if args.go:
        _wait_for(args.go)


if __name__ == "__main__":
    main()
