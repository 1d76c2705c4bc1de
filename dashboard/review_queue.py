"""The review queue as the Review page shows it: filters, tables, the events a draft may be a
further report of (nearby in time and place first), and what the merger found for it (the
candidate beside the draft, the evidence). Pure functions over drafts and frames."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geodata.coords import EARTH_RADIUS_KM

# How sure a draft is, and what the article page pre-selects, live with the drafting (the
# command line's ingestion queues the same confidence); named here for the pages.
from geodata.ingest.drafting import CONFIDENT as CONFIDENT
from geodata.ingest.drafting import draft_confidence as draft_confidence
from geodata.model import Event
from geodata.settings import DEFAULTS
from geodata.taxonomy import EVENT_TYPES

if TYPE_CHECKING:
    import geopandas as gpd

    from geodata.store.review import QueuedDraft

#: In ranking events near a draft, a week apart counts as much as this many kilometres apart.
KM_PER_WEEK = 50.0
#: How many events the merge picker offers.
PICKER_SIZE = 200


def place_of(event: Event) -> str:
    return event.place.canonical or event.place.name


def filter_drafts(
    drafts: Sequence[QueuedDraft],
    *,
    article: int | None = None,
    types: Sequence[str] = (),
    places: Sequence[str] = (),
) -> list[QueuedDraft]:
    """The drafts from ``article`` (any when ``None``) of one of ``types`` at one of ``places``
    (any when empty)."""
    return [
        d
        for d in drafts
        if (article is None or d.article_id == article)
        and (not types or d.event.type in types)
        and (not places or place_of(d.event) in places)
    ]


def drafts_table(drafts: Sequence[QueuedDraft], articles: Mapping[int, str]) -> pd.DataFrame:
    """One row per draft, as plain text (the table escapes nothing because it renders no markup)."""
    return pd.DataFrame(
        {
            "Confidence": [round(d.confidence, 2) for d in drafts],
            "Type": [EVENT_TYPES[d.event.type].label for d in drafts],
            "Title": [d.event.title for d in drafts],
            "Date": [d.event.date.describe() for d in drafts],
            "Place": [place_of(d.event) for d in drafts],
            "Article": [articles.get(d.article_id, "") if d.article_id is not None else "" for d in drafts],
            "Merge into": [d.merge_target or "" for d in drafts],
            "Proposed": [proposal(d) for d in drafts],
            "Draft": [d.id for d in drafts],
        }
    )


def rejected_table(drafts: Sequence[QueuedDraft], articles: Mapping[int, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Title": [d.event.title for d in drafts],
            "Type": [EVENT_TYPES[d.event.type].label for d in drafts],
            "Place": [place_of(d.event) for d in drafts],
            "Reason": [d.reason or "" for d in drafts],
            "Rejected by": [d.reviewer or "" for d in drafts],
            "Article": [articles.get(d.article_id, "") if d.article_id is not None else "" for d in drafts],
            "Draft": [d.id for d in drafts],
        }
    )


def _days_apart(frame: gpd.GeoDataFrame, start: dt.date, end: dt.date) -> np.ndarray:
    starts = frame["date_start"].to_numpy(dtype="datetime64[D]")
    ends = frame["date_end"].to_numpy(dtype="datetime64[D]")
    first, last = np.datetime64(start, "D"), np.datetime64(end, "D")
    after = (starts - last).astype("int64")
    before = (first - ends).astype("int64")
    return np.maximum(0, np.maximum(after, before)).astype(float)


def km_apart(frame: gpd.GeoDataFrame, lat: float, lon: float) -> np.ndarray:
    """Great-circle distance from (lat, lon) to each event of ``frame``, in kilometres."""
    p1, p2 = np.radians(lat), np.radians(frame["lat"].to_numpy(dtype=float))
    dl = np.radians(frame["lon"].to_numpy(dtype=float) - lon)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def nearby(
    frame: gpd.GeoDataFrame,
    event: Event,
    where: tuple[float, float] | None,
    *,
    limit: int = PICKER_SIZE,
) -> list[str]:
    """Ids of the events nearest ``event`` in time and (when ``where`` is known) place, nearest
    first: a week apart weighs as much as ``KM_PER_WEEK`` km apart."""
    if frame.empty:
        return []
    score = _days_apart(frame, event.date.start, event.date.end) / 7.0
    if where is not None:
        score = score + km_apart(frame, *where) / KM_PER_WEEK
    order = np.argsort(score, kind="stable")[:limit]
    return [str(i) for i in frame.index[order]]


def target_label(row: Any) -> str:
    """How the merge picker names an event: title, date, place and id."""
    return f"{row['title']} · {row['date_text']} · {row['place_name']} ({row['id']})"


def proposal(draft: QueuedDraft) -> str:
    """The queue table's cell: what the draft is proposed to be, with the match's score."""
    match = draft.match or {}
    candidate = match.get("candidate")
    if candidate is not None:
        what = f"event {candidate['id']}" if candidate["kind"] == "event" else f"draft {candidate['id']}"
        return f"same as {what} ({candidate['score']:.2f})"
    related = match.get("related") or []
    return f"covers {len(related)} event(s)" if related else ""


def heading(draft: QueuedDraft, candidate: Mapping[str, Any]) -> str:
    if candidate["kind"] == "event":
        return f"Proposed: a further report of event {candidate['id']}"
    into = f", proposed into event {draft.merge_target}" if draft.merge_target else ""
    return f"Reports the same event as pending draft {candidate['id']}{into}"


def _row(event: Event | None) -> list[str]:
    if event is None:
        return ["(no longer in the store)"] + [""] * 5
    source = event.source.publisher + (f" · {event.source.title}" if event.source.title else "")
    return [
        EVENT_TYPES[event.type].label,
        event.title,
        event.date.describe(),
        event.place.canonical or event.place.name,
        ", ".join(event.actors),
        source,
    ]


def side_by_side(draft: Event, other: Event | None, label: str) -> pd.DataFrame:
    """The draft and the candidate, field by field."""
    return pd.DataFrame(
        {
            "": ["Type", "Title", "Date", "Place", "Actors", "Source"],
            "This draft": _row(draft),
            label: _row(other),
        }
    )


def evidence_table(candidate: Mapping[str, Any]) -> pd.DataFrame:
    """Why the merger proposed it: the score, what agreed, how far apart in days and km."""
    evidence = candidate["evidence"]
    distance = evidence.get("distance_km")
    rows = [
        ("Score", f"{candidate['score']:.2f} (proposed from {DEFAULTS.merge_threshold:.2f})"),
        ("Agreed", ", ".join(evidence.get("agreed", [])) or "-"),
        ("Dates", " / ".join(evidence.get("dates", []))),
        ("Days apart", str(evidence.get("days_apart", ""))),
        (
            "Distance",
            "-" if distance is None else f"{distance:g} km (within {evidence.get('allowed_km', 0):g})",
        ),
        ("Shared actors", ", ".join(evidence.get("shared_actors", [])) or "none named by both"),
    ]
    return pd.DataFrame(rows, columns=["Evidence", "Value"])


def related_table(related: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The events a general report may cover."""
    return pd.DataFrame(
        {
            "Event": [str(r["id"]) for r in related],
            "Title": [r.get("title", "") for r in related],
            "Date": [r["evidence"]["dates"][1] for r in related],
            "Place": [r["evidence"]["places"][1] for r in related],
        }
    )
