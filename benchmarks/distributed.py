"""Geoparsing and ingestion on Dask distributed: documents per second with 1 and 2 worker
processes (a LocalCluster; at most 2 on this 2-core machine), and each worker's memory.

    python -m benchmarks distributed [--documents 20000] [--workers 1 2] [--partition-size N]

The corpus is the dev set's reports copied with their own dateline and date
(:func:`benchmarks.ingest.wire_articles`). Each worker loads the gazetteer before the clock
starts (from its on-disk cache). Rows:

- ``geoparse``: ``geodata geoparse --workers N``'s work (parts written, then joined);
- ``draft``: the workers' part of ingestion alone (articles in, drafts as GeoParquet out);
- ``ingest``: the whole of ``geodata ingest --workers N`` into a new SQLite store, the one writer
  (this process, on the same two cores) loading each partition and proposing merges;
- ``ingest, no merging``: the same without proposing merges.

With ``--ceiling``, each of ``geoparse`` and ``draft`` is also run with no Dask at all: the
partitions dealt to N plain processes started together, each with its parser loaded before the
clock starts. What N such processes reach over one is what this machine's cores give (two
virtual cores need not be two cores' worth of work); Dask's own rows are read against it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _warm() -> int:
    """Load what a worker needs (run on every worker before the clock starts)."""
    import resource

    from geodata.extract.pipeline import default_parser
    from geodata.geocoding import default_geocoder
    from geodata.parallel.geoparse import Options, _parser

    default_parser()
    default_geocoder()
    options = Options()
    _parser(options.min_population, options.demonyms)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _peak_mb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def write_corpus(folder: Path, count: int) -> Path:
    from benchmarks.ingest import wire_articles

    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for record in wire_articles(count):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def measure(kind: str, corpus: Path, workers: int, size: int, folder: Path) -> dict[str, Any]:
    """One row: ``kind`` of work on a fresh LocalCluster of ``workers`` processes."""
    from geodata.parallel.cluster import connect

    with connect(workers=workers) as client:
        loaded = max(client.run(_warm).values())
        started = time.perf_counter()
        documents = _work(kind, corpus, client, size, folder)
        seconds = time.perf_counter() - started
        peak = max(client.run(_peak_mb).values())
    return {
        "work": kind,
        "workers": workers,
        "documents": documents,
        "seconds": round(seconds, 1),
        "per_second": round(documents / seconds, 1),
        "worker_mb_loaded": loaded,
        "worker_mb_peak": peak,
    }


def _work(kind: str, corpus: Path, client: Any, size: int, folder: Path) -> int:
    from geodata.geocoding import default_geocoder
    from geodata.merge import proposer
    from geodata.parallel.cluster import run
    from geodata.parallel.drafts import draft_articles
    from geodata.parallel.geoparse import Options, geoparse_partitioned
    from geodata.parallel.ingest import _jobs, ingest_partitioned
    from geodata.store import Store

    runs = folder / f"runs-{kind}-{time.monotonic_ns()}"
    if kind == "geoparse":
        out = folder / "geoparsed.jsonl"
        return geoparse_partitioned(corpus, out, client=client, options=Options(), size=size, work_dir=runs)
    with Store.open(f"sqlite:///{folder / f'{time.monotonic_ns()}.db'}") as store:
        if kind == "draft":
            from geodata.parallel.ingest import plan

            read: dict[str, Any] = {}
            jobs = _jobs(store, plan([corpus], size=size), read)
            return sum(len(read.pop(name).new) for name, _ in run(client, draft_articles, jobs))
        propose = proposer(default_geocoder()) if kind == "ingest" else None
        summary, _ = ingest_partitioned(
            store, [corpus], who="bench", client=client, propose=propose, size=size, work_dir=runs
        )
        return summary.new


KINDS = ("geoparse", "draft", "ingest", "ingest, no merging")
PLAIN = ("geoparse", "draft")


def _plain_worker(kind: str, corpus: str, size: int, share: int, shares: int, ready: Any, go: Any) -> None:
    """One plain process's part of the ceiling: every ``shares``-th partition, from ``share``."""
    from geodata.errors import Problem
    from geodata.parallel.drafts import draft_articles
    from geodata.parallel.geoparse import Job, Options, geoparse_job
    from geodata.parallel.ingest import _items, plan

    _warm()
    partitions = plan([Path(corpus)], size=size)[share::shares]
    ready.wait()
    go.wait()
    for partition in partitions:
        if kind == "geoparse":
            with open(partition.path, "rb") as handle:
                handle.seek(partition.start)
                data = handle.read(partition.end - partition.start)
            geoparse_job(Job(partition.path, partition.first_line, data, Options()))
        else:
            draft_articles([item.article for item in _items(partition) if not isinstance(item, Problem)])


def ceiling(kind: str, corpus: Path, processes: int, size: int, documents: int) -> dict[str, Any]:
    """One row of the ceiling: ``kind`` of work dealt to ``processes`` plain processes."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    ready, go = context.Barrier(processes + 1), context.Barrier(processes + 1)
    children = [
        context.Process(target=_plain_worker, args=(kind, str(corpus), size, n, processes, ready, go))
        for n in range(processes)
    ]
    for process in children:
        process.start()
    ready.wait()
    go.wait()
    started = time.perf_counter()
    for process in children:
        process.join()
    seconds = time.perf_counter() - started
    if any(p.exitcode for p in children):
        raise RuntimeError(f"a plain {kind} process failed")
    return {
        "work": f"{kind}, plain processes",
        "workers": processes,
        "documents": documents,
        "seconds": round(seconds, 1),
        "per_second": round(documents / seconds, 1),
        "worker_mb_loaded": "",
        "worker_mb_peak": "",
    }


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks distributed", description=__doc__)
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--partition-size",
        type=int,
        help="lines per partition (default: geodata's own for each kind of work)",
    )
    parser.add_argument("--work", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--ceiling", action="store_true", help="also run geoparse and draft without Dask")
    parser.add_argument(
        "--rounds", type=int, default=1, help="rounds of each kind, its worker counts taken in turn"
    )
    args = parser.parse_args(argv)
    print(
        f"{args.documents:,} documents, partitions of {args.partition_size or 'the default size'}; "
        "LocalCluster, 1 thread "
        f"each; {args.rounds} round(s), the worker counts in turn: the median (least-most)"
    )
    print(
        "| work | workers | documents | seconds | documents/s | vs 1 worker | worker MB loaded "
        "| worker MB peak |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="geodata-distributed-") as tmp:
        corpus = write_corpus(Path(tmp), args.documents)
        runs = [(kind, False) for kind in args.work]
        if args.ceiling:
            runs = [(k, True) for k in PLAIN if k in args.work] + runs
        for kind, plain in runs:
            rows: dict[int, list[dict[str, Any]]] = {w: [] for w in args.workers}
            for _ in range(args.rounds):  # in turn: a slow spell of the machine falls on both
                for workers in args.workers:
                    size = args.partition_size or _default_size(kind)
                    if plain:
                        row = ceiling(kind, corpus, workers, size, args.documents)
                    else:
                        row = measure(kind, corpus, workers, size, Path(tmp))
                    rows[workers].append(row)
            base = statistics.median(r["per_second"] for r in rows[args.workers[0]])
            for done in rows.values():
                print("| " + " | ".join(_cells(done, base)) + " |", flush=True)
    return 0


def _default_size(kind: str) -> int:
    from geodata.parallel.partitions import GEOPARSE_PARTITION_SIZE, PARTITION_SIZE

    return GEOPARSE_PARTITION_SIZE if kind == "geoparse" else PARTITION_SIZE


def _cells(rows: list[dict[str, Any]], base: float) -> list[str]:
    """A table row of the rounds of one kind and worker count: medians, and their spread."""
    first = rows[0]

    def spread(name: str, fmt: str = "{:,.1f}") -> str:
        values = [r[name] for r in rows]
        middle = fmt.format(statistics.median(values))
        return (
            middle if len(values) == 1 else f"{middle} ({fmt.format(min(values))}-{fmt.format(max(values))})"
        )

    rates = [r["per_second"] / base for r in rows]
    ratio = f"{statistics.median(rates):.2f}×" + (
        f" ({min(rates):.2f}-{max(rates):.2f})" if len(rows) > 1 else ""
    )
    memory = [
        str(max(r[name] for r in rows)) if isinstance(first[name], int) else ""
        for name in ("worker_mb_loaded", "worker_mb_peak")
    ]
    return [
        first["work"],
        str(first["workers"]),
        f"{first['documents']:,}",
        spread("seconds"),
        spread("per_second"),
        ratio,
        *memory,
    ]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
