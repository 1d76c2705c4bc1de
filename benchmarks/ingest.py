"""Ingestion at scale: N synthetic wire-style articles as JSON Lines (or saved web pages) into a
fresh SQLite store.

    python -m benchmarks ingest [--sizes 1000 10000] [--formats jsonl html] [--batches 50]
                                [--no-merge] [--profile]

The articles are the dev set's reports (benchmarks/devset/reports), each copy with its own
dateline, wire number and publication date, so no two texts are the same and every one is
drafted and stored. Each size runs in a process of its own (its peak resident memory is its
own), which first loads the geoparser and drafts every dev report once: the time is that of
``geodata.ingest.ingest`` after loading, in one process on one core: wall-clock (with the disk's
syncs) and the process's CPU time (which other work on a shared machine inflates less).
Each article's drafts are proposed against the store's events and pending drafts (merging, as
``geodata ingest`` does; ``--no-merge`` leaves that out). ``--batches 1 50`` compares one
transaction per article with the default batch; ``--profile`` prints where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import html
import itertools
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPORTS = Path(__file__).resolve().parent / "devset" / "reports"
CITIES = ("BAGHDAD", "ERBIL", "WASHINGTON", "KYIV", "SANAA", "AMMAN", "BEIRUT", "DAMASCUS")


def wire_articles(count: int) -> Iterator[dict[str, Any]]:
    """``count`` JSON Lines records built from the dev set's reports, each text unique."""
    from geodata.extract.article import parse_article

    reports = [parse_article(p.read_text("utf-8"), name=p.name) for p in sorted(REPORTS.glob("*.md"))]
    for n in range(count):
        report = reports[n % len(reports)]
        assert report.published is not None
        published = report.published + dt.timedelta(days=(n // len(reports)) % 30)
        dateline = f"{CITIES[n % len(CITIES)]}, {published:%d %B %Y} (Wire {n:06d}) —"
        yield {
            "id": f"wire-{n:06d}",
            "title": f"{report.title} ({n})",
            "url": f"https://wire.example.org/{published:%Y/%m/%d}/{n:06d}",
            "publisher": "The Synthetic Wire",
            "published": published.isoformat(),
            "text": f"{dateline} {report.text.strip()}\n",
        }


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} | The Synthetic Wire</title>
<meta property="og:site_name" content="{publisher}"><link rel="canonical" href="{url}">
<meta property="article:published_time" content="{published}T08:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe</a></nav>
<article><h1>{title}</h1>{paragraphs}</article>
<aside><h3>Most read</h3><ul><li>Markets close higher</li><li>Weather: a warm week</li></ul></aside>
<footer>Copyright The Synthetic Wire. Cookie policy. Newsletter.</footer></body></html>
"""


def write_sources(folder: Path, count: int, kind: str) -> Path:
    """``count`` articles as one JSON Lines file, or as one saved web page each."""
    if kind == "jsonl":
        source = folder / "wire.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for record in wire_articles(count):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return source
    source = folder / "pages"
    source.mkdir()
    for record in wire_articles(count):
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in record["text"].split("\n\n") if p.strip())
        values = {k: html.escape(v) for k, v in record.items() if k != "text"}
        (source / f"{record['id']}.html").write_text(PAGE.format(paragraphs=paragraphs, **values), "utf-8")
    return source


def _size_mb(source: Path) -> float:
    files = [source] if source.is_file() else list(source.iterdir())
    return sum(f.stat().st_size for f in files) / 1e6


def run_one(count: int, batch: int, *, kind: str, profile: bool, merge: bool = True) -> dict[str, Any]:
    """Ingest ``count`` articles in this process (each article's drafts proposed against the
    store as ``geodata ingest`` does, unless ``merge`` is false); the figures as a mapping."""
    from geodata.extract.article import parse_article
    from geodata.extract.pipeline import default_parser
    from geodata.geocoding import default_geocoder
    from geodata.ingest import ingest
    from geodata.ingest.drafting import article_drafting
    from geodata.merge import proposer
    from geodata.store import Store

    with tempfile.TemporaryDirectory(prefix="geodata-ingest-bench-") as tmp:
        source = write_sources(Path(tmp), count, kind)
        started = time.perf_counter()
        draft = article_drafting(default_parser())
        for path in sorted(REPORTS.glob("*.md")):  # loads everything drafting loads lazily
            draft(parse_article(path.read_text("utf-8"), name=path.name))
        propose = proposer(default_geocoder()) if merge else None
        loading = time.perf_counter() - started
        loaded_rss = _peak_rss_mb()
        with Store.open(f"sqlite:///{Path(tmp) / 'store.db'}") as store:
            profiler = cProfile.Profile() if profile else None
            started, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            summary = ingest(store, [source], who="bench", draft=draft, batch=batch, propose=propose)
            if profiler:
                profiler.disable()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profiler:
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        size_mb = _size_mb(source)
    assert summary.new == count and summary.problem_count == 0, summary.describe()
    return {
        "kind": kind,
        "merge": "yes" if merge else "no",
        "articles": count,
        "batch": batch,
        "input_mb": round(size_mb, 1),
        "loading_s": round(loading, 1),
        "seconds": round(seconds, 1),
        "per_second": round(count / seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "per_cpu_second": round(count / cpu, 1),
        "drafts": summary.drafts,
        "merges": summary.merges,
        "loaded_rss_mb": round(loaded_rss),
        "peak_rss_mb": round(_peak_rss_mb()),
    }


COLUMNS = (
    ("format", "kind"),
    ("articles", "articles"),
    ("batch", "batch"),
    ("merges proposed", "merge"),
    ("input MB", "input_mb"),
    ("load s", "loading_s"),
    ("ingest s", "seconds"),
    ("articles/s", "per_second"),
    ("CPU s", "cpu_seconds"),
    ("articles/CPU s", "per_cpu_second"),
    ("drafts", "drafts"),
    ("merges", "merges"),
    ("RSS after loading MB", "loaded_rss_mb"),
    ("peak RSS MB", "peak_rss_mb"),
)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks ingest", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--batches", type=int, nargs="+", default=[50], help="articles per transaction")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--formats", nargs="+", choices=("jsonl", "html"), default=["jsonl"])
    parser.add_argument("--no-merge", action="store_true", help="draft and store only, as before merging")
    parser.add_argument("--one", nargs=3, metavar=("FORMAT", "N", "BATCH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        kind, count, batch = args.one[0], int(args.one[1]), int(args.one[2])
        print(json.dumps(run_one(count, batch, kind=kind, profile=args.profile, merge=not args.no_merge)))
        return 0
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"ingest -> SQLite, one process per row; {python}; {os.cpu_count()} CPUs")
    print(" | ".join(label for label, _ in COLUMNS))
    print(" | ".join("---" for _ in COLUMNS))
    for kind, batch, count in itertools.product(args.formats, args.batches, args.sizes):
        command = [sys.executable, "-m", "benchmarks.ingest", "--one", kind, str(count), str(batch)]
        flags = (["--profile"] if args.profile else []) + (["--no-merge"] if args.no_merge else [])
        done = subprocess.run(command + flags, capture_output=True, text=True, check=True)
        if args.profile:
            print(done.stderr, file=sys.stderr)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(" | ".join(str(row[key]) for _, key in COLUMNS))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
