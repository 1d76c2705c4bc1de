"""The "Add an article" page: draft events from a text, check them, and queue the good ones
in the store as pending drafts (the article kept with them) for the Review page."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from dashboard import add_articles, reviewer
from dashboard.event_form import FIELDS, apply_values, form_values, validation_lines
from dashboard.problems import problem_lines, show_problems
from dashboard.review_queue import CONFIDENT, draft_confidence
from geodata.catalog import dump_catalogue
from geodata.extract.article import Article, parse_article
from geodata.extract.pipeline import extract_article
from geodata.geocoding import OfflineGeocoder
from geodata.ingest.drafting import evidence
from geodata.merge import propose
from geodata.model import DATE_PRECISIONS, GEO_PRECISIONS, Event
from geodata.store import Store, review
from geodata.store.review import NewDraft
from geodata.taxonomy import EVENT_TYPES

#: What parse_article calls a publisher the front matter does not name.
UNKNOWN_PUBLISHER = "unknown publisher"
EDITABLE = ["keep", *FIELDS]


def drafts_table(events: list[Event], confidences: Sequence[float] | None = None) -> pd.DataFrame:
    """One editable row per draft, confident ones kept (``confidences``: the drafting's own, else
    each event's least sure field); the quote and the evidence are shown, not edited."""
    rows = []
    for n, e in enumerate(events):
        evidence = e.provenance.fields if e.provenance else {}
        confidence = (
            confidences[n] if confidences is not None and n < len(confidences) else draft_confidence(e)
        )
        rows.append(
            {
                "keep": confidence >= CONFIDENT,
                **form_values(e),
                "drafted with": round(confidence, 2),
                "quote": e.source.quote,
                "read from": "; ".join(f"{k}: “{v.text}” ({v.confidence:.0%})" for k, v in evidence.items()),
            }
        )
    return pd.DataFrame(rows)


def edited_events(originals: list[Event], table: pd.DataFrame) -> list[Event]:
    """The kept rows as events: edits applied, the source and provenance of each draft kept."""
    return [
        apply_values(original, row)
        for original, row in zip(originals, table.to_dict("records"), strict=True)
        if row["keep"]
    ]


def queue_drafts(
    store: Store,
    article: Article,
    events: list[Event],
    *,
    who: str,
    geocoder: OfflineGeocoder,
    confidences: Sequence[float] | None = None,
) -> tuple[list[int], bool]:
    """Store the article and queue ``events`` as its pending drafts (with the drafting's
    ``confidences``, else each one's least sure field); return their ids and whether the article
    is new. An article already stored with drafts queues nothing again."""
    article_id, new = review.add_article(store, article)
    if not new and review.drafts(
        store, status=("pending", "accepted", "rejected", "merged"), article_id=article_id
    ):
        return [], False
    sure = list(confidences) if confidences is not None else [draft_confidence(e) for e in events]
    drafts = [NewDraft(e, c, evidence(article, e)) for e, c in zip(events, sure, strict=True)]
    # Each draft compared with the store's events and pending drafts (geodata.merge): one that
    # reports an event again is proposed as a further source of it, with the evidence.
    drafts = propose(store, drafts, geocoder=geocoder, article_id=article_id)
    return review.add_drafts(store, drafts, who=who, article_id=article_id), new


def page(store: Store, geocoder: OfflineGeocoder, *, review_page: Any = None) -> None:
    """Draw the page; ``geocoder`` places the drafts (to propose merges), ``review_page`` is the
    page linked to once drafts are queued."""
    who = reviewer.ask()
    st.title("Add an article")
    st.caption(
        "Paste or upload a report; geodata drafts its events offline with the sentence behind "
        "every field. Check them, then queue them for review (or download them). Several files, "
        "or a file of several articles, are queued whole for the Review page."
    )
    uploads = (
        st.file_uploader(
            "Article files: text or Markdown with front matter, saved web pages, JSON Lines, RSS or Atom",
            type=add_articles.SUFFIXES,
            accept_multiple_files=True,
        )
        or []
    )
    if len(uploads) > 1 or (uploads and not uploads[0].name.lower().endswith(add_articles.ONE_ARTICLE)):
        add_articles.section(store, uploads, who=who, geocoder=geocoder, review_page=review_page)
        return
    upload = uploads[0] if uploads else None
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
        st.session_state.pop("queued", None)
        st.session_state["drafts"], st.session_state["drafted_article"] = _draft(
            raw, name=name, published=published, url=url, publisher=publisher
        )
    events = st.session_state.get("drafts") or []
    if events:
        _review(
            store,
            events,
            st.session_state["drafted_article"],
            who=who,
            geocoder=geocoder,
            review_page=review_page,
        )
    elif st.session_state.get("queued"):
        _queued(st.session_state["queued"], review_page)


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


def _draft(
    raw: str, *, name: str, published: dt.date, url: str, publisher: str
) -> tuple[list[Event], Article | None]:
    """The article's drafted events; its problems shown instead when it cannot be read."""
    try:
        drafts = extract_article(raw, published=published, url=url or None, name="article")
        article = parse_article(raw, published=published, url=url or None, name="article")
    except Exception as err:  # as above: the page keeps running
        show_problems(f"No events were drafted from {name}.", problem_lines(err, name=name))
        return [], None
    events = [d.event for d in drafts]
    # Only the drafts the drafting is sure of are ticked: one click should not map them all.
    st.session_state["drafts_confidence"] = [d.confidence for d in drafts]
    if publisher:
        article = dataclasses.replace(article, publisher=publisher)
        events = [
            e.model_copy(update={"source": e.source.model_copy(update={"publisher": publisher})})
            for e in events
        ]
    if not events:
        st.info("No events found: no sentence names both something that happened and a known place.")
    return events, article


def _review(
    store: Store,
    events: list[Event],
    article: Article,
    *,
    who: str | None,
    geocoder: OfflineGeocoder,
    review_page: Any,
) -> None:
    """The drafts as an editable table, a download, and the button that queues them."""
    st.caption(
        f"Drafts with a confidence of {CONFIDENT:.0%} or more are ticked; tick or untick as you see fit."
    )
    confidences = st.session_state.get("drafts_confidence") or [draft_confidence(e) for e in events]
    try:
        table = _editor(events)
        kept = edited_events(events, table)
        sure = [c for c, keep in zip(confidences, table["keep"], strict=True) if keep]
        drafted = dump_catalogue(kept) if kept else "[]\n"
    except ValidationError as err:
        show_problems("Some edits are not valid:", validation_lines(err))
        return
    except Exception as err:  # edited text is as hostile as an uploaded file
        show_problems("The edited drafts could not be read.", problem_lines(err, name="the drafts table"))
        return
    one, two = st.columns(2)
    one.download_button(
        "Download drafts (YAML)", drafted, file_name="drafts.yaml", mime="application/x-yaml", width="stretch"
    )
    if two.button(
        f"Queue {len(kept)} draft(s) for review",
        disabled=not kept or who is None,
        help=reviewer.ASK_FIRST if who is None else "They wait on the Review page as pending drafts",
        width="stretch",
    ):
        assert who is not None
        try:
            ids, new = queue_drafts(store, article, kept, who=who, geocoder=geocoder, confidences=sure)
        except Exception as err:  # a store that cannot be written is kept as it was
            show_problems(
                "Nothing was queued.", problem_lines(err, name="the store", failed="was not written")
            )
            return
        st.session_state["queued"] = (len(ids), new)
        st.session_state.pop("drafts", None)
        _queued((len(ids), new), review_page)


def _editor(events: list[Event]) -> pd.DataFrame:
    """The drafts as an editable table; returns it as edited."""
    table: pd.DataFrame = st.data_editor(
        drafts_table(events, st.session_state.get("drafts_confidence")),
        key="drafts_editor",
        hide_index=True,
        width="stretch",
        disabled=["drafted with", "quote", "read from"],
        column_order=[*EDITABLE, "drafted with", "quote", "read from"],
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
            "drafted with": st.column_config.NumberColumn("Drafting confidence", format="%.2f"),
        },
    )
    return table


def _queued(queued: tuple[int, bool], review_page: Any) -> None:
    count, new = queued
    if count == 0 and not new:
        st.warning("This article is already in the store with its drafts; nothing was queued again.")
    else:
        st.success(f"Queued {count} draft(s) for review.")
    if review_page is not None:
        st.page_link(review_page, label="Open the Review page", icon=":material/fact_check:")
