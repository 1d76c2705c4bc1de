"""Geoparsing and ingestion on Dask distributed: documents per second with 1 and 2 worker
processes (a LocalCluster; at most 2 on this 2-core machine), and each worker's memory.

    python -m benchmarks distributed [--documents 20000] [--workers 1 2] [--partition-size 500]

The corpus is the dev set's reports copied with their own dateline and date
(:func:`benchmarks.ingest.wire_articles`). Each worker loads the gazetteer before the clock
starts (from its on-disk cache). Rows:

- ``geoparse``: ``geodata geoparse --workers N``'s work (parts written, then joined);
- ``draft``: the workers' part of ingestion alone (articles in, drafts as GeoParquet out);
- ``ingest``: the whole of ``geodata ingest --workers N`` into a new SQLite store, the one writer
  (this process, on the same two cores) loading each partition and proposing merges;
- ``ingest, no merging``: the same without proposing merges.
"""

from __future__ import annotations

import argparse
import json
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


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks distributed", description=__doc__)
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--partition-size", type=int, default=500)
    parser.add_argument("--work", nargs="+", choices=KINDS, default=list(KINDS))
    args = parser.parse_args(argv)
    print(f"{args.documents:,} documents, partitions of {args.partition_size}; LocalCluster, 1 thread each")
    print(
        "| work | workers | documents | seconds | documents/s | vs 1 worker | worker MB loaded "
        "| worker MB peak |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="geodata-distributed-") as tmp:
        corpus = write_corpus(Path(tmp), args.documents)
        for kind in args.work:
            base = None
            for workers in args.workers:
                row = measure(kind, corpus, workers, args.partition_size, Path(tmp))
                base = base or row["per_second"]
                cells = [
                    kind, workers, f"{row['documents']:,}", row["seconds"], row["per_second"],
                    f"{row['per_second'] / base:.2f}×", row["worker_mb_loaded"], row["worker_mb_peak"],
                ]  # fmt: skip
                print("| " + " | ".join(str(c) for c in cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
