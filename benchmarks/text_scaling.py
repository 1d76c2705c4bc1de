"""Drafting and geoparsing speed and memory as a text grows, on news and on hostile text.

    python -m benchmarks text_scaling [--sizes 10000,100000,1000000,4999000] [--kinds news,commas]
        [--eval-dir ../shared/eval] [--no-memory]

Each row is one text: news-like text (the founding article and the evaluation corpora's
documents, shuffled and joined as paragraphs), or text made to be hard: one sentence with no
full stop, every word capitalised, all capitals, a million commas, a list of places, dates
only, cue words only, one word with no space, blank lines, a huge front matter. For each, the
seconds and KB/s of ``extract_article`` (drafting) and of ``Geoparser.parse``, and the peak of
Python memory that drafting allocates (traced, in a run of its own). Linear work shows as KB/s
that stays level as sizes grow.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

from geodata.errors import GeodataError
from geodata.extract.article import MAX_CHARS
from geodata.extract.geoparse import Geoparser
from geodata.extract.pipeline import extract_article
from geodata.gazetteer import load_gazetteer
from geodata.settings import DATA_DIR, PROJECT_DIR

PUBLISHED = dt.date(2020, 4, 2)
SIZES = (10_000, 100_000, 1_000_000, MAX_CHARS - 1_000)
_PLACES = "Erbil, Mosul, Baghdad, Basra, Kirkuk, Paris, Texas, Georgia, Washington, London, Ontario, "
_DATES = "on Monday, 30 March 2020, last week, March 30 and yesterday; "
_CUES = "Patriot air defence troops forces rockets warned said withdrew "


def _paragraphs(eval_dir: Path) -> list[str]:
    """The founding article's text and, where the corpora are found, their documents."""
    article = next((DATA_DIR / "articles").glob("*.md")).read_text(encoding="utf-8")
    texts = [article.split("---", 2)[2].strip()]
    for name in ("geowebnews.jsonl", "geovirus.jsonl"):
        path = eval_dir / name
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    return texts


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def kinds(paragraphs: list[str]) -> dict[str, Callable[[int], str]]:
    """Text makers by name: each gives a text of exactly the size asked."""

    def news(size: int) -> str:
        rng = random.Random(size)
        parts: list[str] = []
        total = 0
        while total < size:
            parts.append(rng.choice(paragraphs))
            total += len(parts[-1]) + 2
        return "\n\n".join(parts)[:size]

    return {
        "news": news,
        "one sentence": lambda size: re.sub(r"[.!?\n]+", ",", news(size)),
        "Title Case": lambda size: news(size).title(),
        "UPPER CASE": lambda size: news(size).upper(),
        "commas": lambda size: "," * size,
        "place list": lambda size: _repeat(_PLACES, size),
        "dates": lambda size: _repeat(_DATES, size),
        "cue words": lambda size: _repeat(_CUES, size),
        "cue sentences": lambda size: _repeat(_repeat(_CUES, 1150) + " in Erbil. ", size),
        "one word": lambda size: "Q" * size,
        "blank lines": lambda size: _repeat("\n \n\t", size),
        "front matter": _front_matter,
    }


def _front_matter(size: int) -> str:
    """An article whose front matter is nearly all of it (distinct keys: duplicates are refused)."""
    body = "---\nRockets hit Erbil on Monday."
    lines = "".join(f"k{i}: value\n" for i in range(size // 10))
    lines = lines[: lines.rfind("\n", 0, max(0, size - len(body) - 4)) + 1]
    return ("---\n" + lines + body).ljust(size)


def _in_child(work: Callable[[], object], *, memory: bool) -> tuple[str, float]:
    """What came of ``work`` (a count, or "refused") and its seconds, or with ``memory`` its
    peak of Python memory in MB (traced, so not timed), run in a forked child where one exists:
    no run inherits another's garbage or caches."""
    if not hasattr(os, "fork"):
        return _measure(work, memory=memory)
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the child: measure, report, leave without cleanup
        os.close(read_end)
        with os.fdopen(write_end, "w") as pipe:
            json.dump(_measure(work, memory=memory), pipe)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        outcome, value = json.load(pipe)
    os.waitpid(child, 0)
    return outcome, value


def _measure(work: Callable[[], object], *, memory: bool) -> tuple[str, float]:
    if memory:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        result = work()
        outcome = str(len(result)) if isinstance(result, list) else "done"
    except GeodataError:
        outcome = "refused"
    seconds = time.perf_counter() - start
    if memory:
        return outcome, tracemalloc.get_traced_memory()[1] / 1e6
    return outcome, seconds


def _row(kind: str, text: str, geoparser: Geoparser, *, memory: bool) -> str:
    extract = partial(extract_article, text, published=PUBLISHED, parser=geoparser)
    drafted, extract_s = _in_child(extract, memory=False)
    found, parse_s = _in_child(partial(geoparser.parse, text), memory=False)
    peak = f"{_in_child(extract, memory=True)[1]:,.0f}" if memory else ""
    kb = len(text) / 1000
    return (
        f"| {kind} | {kb:,.0f} KB | {extract_s:.2f} | {kb / extract_s:,.0f} | {drafted} | "
        f"{parse_s:.2f} | {kb / parse_s:,.0f} | {found} | {peak} |"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks text_scaling")
    parser.add_argument("--eval-dir", type=Path, default=PROJECT_DIR.parent / "shared" / "eval")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="text sizes in characters")
    parser.add_argument("--kinds", default="", help="comma-separated kinds of text (default: all)")
    parser.add_argument("--no-memory", action="store_true", help="skip the (traced, slower) memory run")
    args = parser.parse_args(argv)
    makers = kinds(_paragraphs(args.eval_dir))
    chosen = [k for k in args.kinds.split(",") if k] or list(makers)
    unknown = [k for k in chosen if k not in makers]
    if unknown:
        parser.error(f"unknown kinds {unknown}; choose from {', '.join(makers)}")
    geoparser = Geoparser(load_gazetteer())
    geoparser.gazetteer.small_towns()  # loaded on first need otherwise: not inside a timing
    geoparser.parse("Warm-up in Springfield and Paris, Texas.")
    print(
        "| text | size | extract s | extract KB/s | drafts | geoparse s | geoparse KB/s | toponyms "
        "| extract peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for kind in chosen:
        for size in (int(s) for s in args.sizes.split(",")):
            print(_row(kind, makers[kind](size), geoparser, memory=not args.no_memory), flush=True)
    return 0
