"""The "Add an article" page: draft events from a text, review them, keep the good ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from dashboard.details import md_escape
from dashboard.problems import problem_lines, show_problems
from geodata.catalog import dump_catalogue, parse_catalogue, read_catalogue, write_catalogue
from geodata.errors import CatalogError, GeodataError
from geodata.extract.article import Article, parse_article
from geodata.extract.pipeline import extract_article
from geodata.geocoding import OfflineGeocoder
from geodata.model import DATE_PRECISIONS, GEO_PRECISIONS, Event
from geodata.taxonomy import EVENT_TYPES

#: What parse_article calls a publisher the front matter does not name.
UNKNOWN_PUBLISHER = "unknown publisher"
EDITABLE = [
    "keep",
    "type",
    "title",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "canonical",
    "country",
    "geo_precision",
    "actors",
    "confidence",
]


def drafts_table(events: list[Event], keep: Sequence[bool] | None = None) -> pd.DataFrame:
    """One editable row per draft, ticked when ``keep`` says so (all, without it); the quote and
    the evidence are shown, not edited."""
    rows = []
    for n, e in enumerate(events):
        evidence = e.provenance.fields if e.provenance else {}
        rows.append(
            {
                "keep": True if keep is None or n >= len(keep) else bool(keep[n]),
                "type": e.type,
                "title": e.title,
                "date_start": e.date.start,
                "date_end": e.date.end,
                "date_precision": e.date.precision,
                "place": e.place.name,
                "canonical": e.place.canonical or "",
                "country": e.place.country or "",
                "geo_precision": e.place.geo_precision,
                "actors": ", ".join(e.actors),
                "confidence": e.confidence,
                "quote": e.source.quote,
                "read from": "; ".join(f"{k}: “{v.text}” ({v.confidence:.0%})" for k, v in evidence.items()),
            }
        )
    return pd.DataFrame(rows)


def edited_events(originals: list[Event], table: pd.DataFrame) -> list[Event]:
    """The kept rows as events: edits applied, the source and provenance of each draft kept."""
    out = []
    for original, row in zip(originals, table.to_dict("records"), strict=True):
        if not row["keep"]:
            continue
        data: dict[str, Any] = original.model_dump(mode="python", exclude_none=True)
        data.update(
            type=row["type"],
            title=str(row["title"]).strip(),
            confidence=row["confidence"],
            actors=[a.strip() for a in str(row["actors"] or "").split(",") if a.strip()],
        )
        data["date"] = {
            "start": _day(row["date_start"]),
            "end": _day(row["date_end"]),
            "precision": row["date_precision"],
        }
        place = data["place"]
        place.update(
            name=str(row["place"]).strip(),
            canonical=str(row["canonical"]).strip() or None,
            country=str(row["country"]).strip() or None,
            geo_precision=row["geo_precision"],
        )
        data["place"] = {k: v for k, v in place.items() if v is not None}
        out.append(Event.model_validate(data))
    return out


def _day(value: Any) -> Any:
    return value.date() if isinstance(value, (pd.Timestamp, dt.datetime)) else value


def add_to_catalogue(path: Path, new: list[Event], geocoder: OfflineGeocoder) -> int:
    """Append ``new`` to the YAML catalogue at ``path`` after validating the whole; return the count."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise GeodataError(f"the current catalogue {path.name} is not YAML; download the drafts instead")
    current = read_catalogue(path).events if path.exists() else []
    taken = {e.id for e in current}
    renamed = []
    for event in new:
        event_id, n = event.id, 2
        while event_id in taken:
            event_id, n = f"{event.id}-{n}", n + 1
        taken.add(event_id)
        renamed.append(event.model_copy(update={"id": event_id}))
    combined = current + renamed
    parse_catalogue(dump_catalogue(combined), path=str(path), geocoder=geocoder)  # every problem, at once
    write_catalogue(combined, path)
    return len(renamed)


def page(catalogue_path: Path, geocoder: OfflineGeocoder, on_saved: Any) -> None:
    """Draw the page."""
    st.title("Add an article")
    st.caption(
        "Paste or upload a report; geodata drafts its events offline with the sentence behind "
        "every field. Review them, then add them to the catalogue or download them."
    )
    upload = st.file_uploader("Article file (text or Markdown with front matter)", type=["txt", "md"])
    text = st.text_area("…or paste the text", height=220, key="article_text")
    raw = upload.getvalue().decode("utf-8", errors="replace") if upload is not None else text
    name = upload.name if upload is not None else "the pasted text"
    meta = None
    try:
        meta = parse_article(raw) if raw.strip() else None
    except Exception as err:  # a hostile file shows its problem, never a traceback
        show_problems(f"{name} could not be read.", problem_lines(err, name=name))
    fill_from_front_matter(raw, meta)
    left, middle, right = st.columns(3)
    published = left.date_input(
        "Published", key="article_published", min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)
    )
    publisher = middle.text_input("Publisher", key="article_publisher")
    url = right.text_input("Source URL", key="article_url")
    if st.button("Draft events", type="primary", disabled=not raw.strip()):
        st.session_state["drafts"] = _draft(raw, name=name, published=published, url=url, publisher=publisher)
    events = st.session_state.get("drafts") or []
    if events:
        _review(events, catalogue_path, geocoder, on_saved)


def fill_from_front_matter(raw: str, meta: Article | None) -> None:
    """A new article's front matter fills in its date and publisher; the user may still change them.

    The widgets are keyed, so a ``value=`` would count only when they are first drawn: an article
    pasted after that would keep today's date and draft its relative dates from it.
    """
    st.session_state.setdefault("article_published", dt.date.today())
    st.session_state.setdefault("article_publisher", "")
    if st.session_state.get("_article_read") == raw:
        return
    st.session_state["_article_read"] = raw
    if meta is not None and meta.published is not None:
        st.session_state["article_published"] = meta.published
    if meta is not None and meta.publisher != UNKNOWN_PUBLISHER:
        st.session_state["article_publisher"] = meta.publisher


def _draft(raw: str, *, name: str, published: dt.date, url: str, publisher: str) -> list[Event]:
    """The article's drafted events; its problems shown instead when it cannot be read."""
    try:
        drafts = extract_article(raw, published=published, url=url or None, name="article")
    except Exception as err:  # as above: the page keeps running
        show_problems(f"No events were drafted from {name}.", problem_lines(err, name=name))
        return []
    events = [d.event for d in drafts]
    # Only the drafts the drafting is sure of are ticked: one click should not map them all
    st.session_state["drafts_keep"] = [d.preselected for d in drafts]
    if publisher:
        events = [
            e.model_copy(update={"source": e.source.model_copy(update={"publisher": publisher})})
            for e in events
        ]
    if not events:
        st.info("No events found: no sentence names both something that happened and a known place.")
    return events


def _review(events: list[Event], catalogue_path: Path, geocoder: OfflineGeocoder, on_saved: Any) -> None:
    """The drafts as an editable table, a download, and the button that adds them."""
    table = st.data_editor(
        drafts_table(events, st.session_state.get("drafts_keep")),
        key="drafts_editor",
        hide_index=True,
        width="stretch",
        disabled=["quote", "read from"],
        column_order=[*EDITABLE, "quote", "read from"],
        column_config={
            "keep": st.column_config.CheckboxColumn("Keep"),
            "type": st.column_config.SelectboxColumn("Type", options=list(EVENT_TYPES), required=True),
            "date_start": st.column_config.DateColumn("From", required=True),
            "date_end": st.column_config.DateColumn("To", required=True),
            "date_precision": st.column_config.SelectboxColumn(
                "Date precision", options=list(DATE_PRECISIONS)
            ),
            "geo_precision": st.column_config.SelectboxColumn("Geo precision", options=list(GEO_PRECISIONS)),
            "confidence": st.column_config.SelectboxColumn("Confidence", options=["high", "medium", "low"]),
        },
    )
    try:
        kept = edited_events(events, table)
        drafted = dump_catalogue(kept) if kept else "[]\n"
    except ValidationError as err:
        lines = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors()]
        show_problems("Some edits are not valid:", lines)
        return
    except Exception as err:  # edited text is as hostile as an uploaded file
        show_problems("The edited drafts could not be read.", problem_lines(err, name="the drafts table"))
        return
    one, two = st.columns(2)
    one.download_button(
        "Download drafts (YAML)", drafted, file_name="drafts.yaml", mime="application/x-yaml", width="stretch"
    )
    label = f"Add {len(kept)} event(s) to {md_escape(catalogue_path.name)}"
    if two.button(label, disabled=not kept, width="stretch"):
        try:
            count = add_to_catalogue(catalogue_path, kept, geocoder)
        except Exception as err:  # a catalogue that cannot be read or written is kept as it was
            title = "Nothing was written" + (
                "; the catalogue would have these problems:" if isinstance(err, CatalogError) else "."
            )
            show_problems(title, problem_lines(err, name=catalogue_path.name, failed="was not written"))
            return
        st.success(
            md_escape(
                f"Added {count} event(s) to {catalogue_path} (the previous file is kept as "
                f"{catalogue_path.name}.bak)."
            )
        )
        st.session_state.pop("drafts", None)
        on_saved()
