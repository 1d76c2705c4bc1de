"""Merging at scale: candidate search over synthetic events, in memory and through the store.

The catalogue is :func:`benchmarks.synth.synthetic_frame` (city-level events over two years in
the Middle East). Each synthetic article has three drafts of one story (within days of each
other): half report a catalogue event again (same type and actors, the same day or the next, a
kilometre or so away), half are new events (from a second synthetic catalogue, dated near).
The table gives the share of re-reports proposed into their event and into another, and of new
events proposed into one; the last is bounded below by the new events that have a look-alike
in the catalogue (one type, overlapping window, within 20 km: synthetic events of a big city
and a day are told apart by nothing), shown below it.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from geopy.location import Location

from benchmarks.synth import synthetic_frame
from geodata.cli_store import without_nat
from geodata.coords import haversine_km
from geodata.io.readers import frame_events
from geodata.merge import KeyIndex, best, candidates, key_of_event, keys_of_frame, propose
from geodata.model import Event, Place
from geodata.store import Store, review
from geodata.store.review import NewDraft

DRAFTS_PER_ARTICLE = 3
#: An article's re-reports are of catalogue events this many places either side of an anchor in
#: date order.
STORY = 200


class ExplicitOnly:
    """A geocoder for drafts that carry their coordinates (no gazetteer to load)."""

    def locate_place(self, place: Place) -> Location | None:
        if place.lat is None or place.lon is None:
            return None
        return Location(place.query, (place.lat, place.lon), {})


@dataclass(frozen=True)
class Article:
    drafts: list[Event]
    #: For each draft, the catalogue event it reports again (``None`` for a new event).
    sources: list[str | None]


def synthetic_articles(catalogue: Sequence[Event], count: int, *, seed: int = 11) -> list[Article]:
    """``count`` articles of :data:`DRAFTS_PER_ARTICLE` drafts, half of them re-reports. An
    article tells one story: its re-reports are of events within :data:`STORY` places of an
    anchor event in date order (a day or two), its new events dated within a week of it."""
    rng = np.random.default_rng(seed)
    fresh = iter(_events(synthetic_frame(count * DRAFTS_PER_ARTICLE, seed=seed)))
    ordered = sorted(catalogue, key=lambda e: e.date.start)
    articles = []
    for n in range(count):
        anchor = int(rng.integers(len(ordered)))
        nearby = ordered[max(0, anchor - STORY) : anchor + STORY]
        drafts: list[Event] = []
        sources: list[str | None] = []
        for k in range(DRAFTS_PER_ARTICLE):
            if rng.random() < 0.5:
                source = nearby[int(rng.integers(len(nearby)))]
                drafts.append(_again(source, rng, f"a{n}-{k}"))
                sources.append(source.id)
            else:
                new = next(fresh)
                shift = (
                    ordered[anchor].date.start - new.date.start + dt.timedelta(days=int(rng.integers(-7, 8)))
                )
                date = new.date.model_copy(
                    update={"start": new.date.start + shift, "end": new.date.end + shift}
                )
                drafts.append(new.model_copy(update={"id": f"a{n}-{k}", "date": date}))
                sources.append(None)
        articles.append(Article(drafts, sources))
    return articles


def _again(event: Event, rng: np.random.Generator, new_id: str) -> Event:
    """Another outlet's report of ``event``: a day later at times, a kilometre or so away."""
    assert event.place.lat is not None and event.place.lon is not None
    shift = dt.timedelta(days=int(rng.random() < 0.2)) if event.date.precision == "day" else dt.timedelta()
    place = event.place.model_copy(
        update={"lat": event.place.lat + rng.normal(0, 0.005), "lon": event.place.lon + rng.normal(0, 0.005)}
    )
    date = event.date.model_copy(update={"start": event.date.start + shift, "end": event.date.end + shift})
    return event.model_copy(update={"id": new_id, "place": place, "date": date, "actors": event.actors[:1]})


def _events(frame: object) -> list[Event]:
    return frame_events(without_nat(frame), name="synthetic")


def _score(articles: Sequence[Article], proposed: Sequence[Sequence[str | None]]) -> str:
    """Re-reports proposed into their event, into another; new events proposed into one."""
    again = found = elsewhere = new = merged = 0
    for article, targets in zip(articles, proposed, strict=True):
        for source, target in zip(article.sources, targets, strict=True):
            again, new = again + (source is not None), new + (source is None)
            found += source is not None and target == source
            elsewhere += source is not None and target is not None and target != source
            merged += source is None and target is not None
    return f"{found / max(again, 1):.3f} | {elsewhere / max(again, 1):.3f} | {merged / max(new, 1):.3f}"


def look_alikes(index: KeyIndex, articles: Sequence[Article]) -> float:
    """The share of new events that have a catalogue event of their type within 20 km whose
    window overlaps theirs: what no merger can tell apart without more than a draft holds."""
    new = alike = 0
    for article in articles:
        for event, source in zip(article.drafts, article.sources, strict=True):
            if source is not None:
                continue
            assert event.place.lat is not None and event.place.lon is not None
            key = key_of_event(event, (event.place.lat, event.place.lon))
            new += 1
            alike += any(
                k.type == key.type
                and k.start <= key.end
                and key.start <= k.end
                and k.point is not None
                and haversine_km(*k.point, *key.point) <= 20  # type: ignore[misc]
                for k in index.near(key)
            )
    return alike / max(new, 1)


class Clock:
    """Wall and CPU seconds (the machine is shared: CPU time is the steadier figure)."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def __enter__(self) -> Clock:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall += time.perf_counter() - self._wall
        self.cpu += time.process_time() - self._cpu

    def per(self, n: int, unit: str) -> str:
        scale = 1e3 if unit == "ms" else 1e6
        return f"{self.wall / n * scale:,.1f} {unit} ({self.cpu / n * scale:,.1f} CPU)"


def in_memory(frame: object, articles: Sequence[Article]) -> list[str]:
    with Clock() as build:
        index = KeyIndex(keys_of_frame(frame))
    looked, proposed = 0, []
    with Clock() as spent:
        for article in articles:
            targets: list[str | None] = []
            for event in article.drafts:
                assert event.place.lat is not None and event.place.lon is not None
                key = key_of_event(event, (event.place.lat, event.place.lon))
                looked += sum(1 for _ in index.near(key))
                pick = best(candidates(key, index))
                targets.append(str(pick.id) if pick is not None else None)
            proposed.append(targets)
    drafts = sum(len(a.drafts) for a in articles)
    label = f"in memory: candidates and best, per draft ({drafts:,} drafts, {looked / drafts:.0f} keys each)"
    alike = look_alikes(index, articles)
    return [
        f"| in memory: index of {len(index):,} events | {build.per(1, 'ms')} | - | - | - | - |",
        f"| {label} | {spent.per(drafts, 'µs')} | {drafts / spent.cpu:,.0f} drafts/s "
        f"| {_score(articles, proposed)} |",
        f"| new events with a look-alike in the catalogue (type, window, 20 km) | - | - | - | - "
        f"| {alike:.3f} |",
    ]


def through_store(events: Sequence[Event], articles: Sequence[Article]) -> list[str]:
    geocoder = ExplicitOnly()
    proposing, queueing, proposed = Clock(), Clock(), []
    with (
        tempfile.TemporaryDirectory(prefix="geodata-merge-") as folder,
        Store.open(f"sqlite:///{Path(folder) / 'store.db'}") as store,
    ):
        with Clock() as imported:
            store.import_events(events, who="benchmark", geocoder=geocoder)  # type: ignore[arg-type]
        for article in articles:
            with proposing:
                new = propose(store, [NewDraft(e, 0.5) for e in article.drafts], geocoder=geocoder)
            with queueing:
                review.add_drafts(store, new, who="benchmark")
            proposed.append([d.merge_target for d in new])
        pending = len(review.drafts(store))
    n = len(articles)
    both = proposing.cpu + queueing.cpu
    return [
        f"| SQLite store: import of {len(events):,} events | {imported.wall:.1f} s | - | - | - | - |",
        f"| SQLite store: propose, per article ({n:,} articles; {pending:,} drafts pending at the end) "
        f"| {proposing.per(n, 'ms')} | {n / proposing.cpu:,.0f} articles/s | {_score(articles, proposed)} |",
        f"| SQLite store: queueing them (add_drafts), per article | {queueing.per(n, 'ms')} "
        f"| {n / both:,.0f} articles/s proposed and queued | - | - | - |",
    ]


def scale_table(*, events: int, articles: int) -> str:
    frame = synthetic_frame(events)
    catalogue = _events(frame)
    made = synthetic_articles(catalogue, articles)
    lines = [
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{dt.date.today().isoformat()}; {events:,} synthetic events, {articles:,} articles of "
        f"{DRAFTS_PER_ARTICLE} drafts (half of them re-reports)",
        "",
        "| step | time (wall, CPU) | rate (CPU) | re-reports proposed into their event | into another "
        "| new events proposed into one |",
        "|---|---|---|---|---|---|",
        *in_memory(frame, made),
        *through_store(catalogue, made),
    ]
    return "\n".join(lines)
