"""Several article files at once on the "Add an article" page: each read, drafted and queued as
one article is (merges proposed against the store's events and pending drafts), as ``geodata
ingest`` does, with what became of each file and its problems listed per file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import reviewer
from dashboard.problems import problem_lines, show_problems
from geodata.geocoding import OfflineGeocoder
from geodata.ingest import Summary, ingest_sources
from geodata.ingest.drafting import article_drafting
from geodata.ingest.sources import KINDS, read_data
from geodata.merge import proposer
from geodata.store import Store

#: The suffixes the uploader takes (without the dot, as Streamlit wants them).
SUFFIXES = sorted(suffix.lstrip(".") for suffix in KINDS)
#: What the article page drafts and edits one at a time; any other upload is queued whole.
ONE_ARTICLE = (".md", ".markdown", ".txt")


def queue_files(
    store: Store, files: Sequence[tuple[str, bytes]], *, who: str, geocoder: OfflineGeocoder
) -> Summary:
    """Store each article of ``files`` (name, content) once, with its drafts pending review; a
    draft that reports an event or a pending draft again is proposed as a further source of it
    (``geodata.merge``, placed by ``geocoder``)."""
    from geodata.extract.pipeline import default_parser

    sources = [(name, read_data(name, data)) for name, data in files]
    draft = article_drafting(default_parser())
    return ingest_sources(store, sources, who=who, draft=draft, propose=proposer(geocoder))


def files_table(summary: Summary) -> pd.DataFrame:
    """One row per file: what became of its articles (plain text: the table renders no markup)."""
    return pd.DataFrame(
        {
            "File": list(summary.by_file),
            "Articles": [t.read for t in summary.by_file.values()],
            "New": [t.new for t in summary.by_file.values()],
            "Already stored": [t.skipped for t in summary.by_file.values()],
            "Drafts queued": [t.drafts for t in summary.by_file.values()],
            "Merges proposed": [t.merges for t in summary.by_file.values()],
            "Problems": [t.problems for t in summary.by_file.values()],
        }
    )


def section(
    store: Store,
    uploads: Sequence[Any],
    *,
    who: str | None,
    geocoder: OfflineGeocoder,
    review_page: Any,
) -> None:
    """The files, the button that queues them all, and what became of each."""
    key = tuple((u.name, u.size) for u in uploads)
    st.caption(
        f"{len(uploads)} file(s). Each article is stored once (one already in the store is skipped) "
        "and all its drafts wait on the Review page, pending; a file that cannot be read is listed "
        "with its problems and the others go in."
    )
    if st.button(
        f"Queue the drafts of {len(uploads)} file(s)",
        type="primary",
        disabled=who is None,
        help=reviewer.ASK_FIRST if who is None else "Read, draft and queue every article of the files",
    ):
        assert who is not None
        try:
            with st.spinner("Reading and drafting…"):
                summary = queue_files(
                    store, [(u.name, u.getvalue()) for u in uploads], who=who, geocoder=geocoder
                )
        except Exception as err:  # the store failed: what was queued before stays, with its drafts
            show_problems(
                "The files were not all queued.", problem_lines(err, name="the store", failed="failed")
            )
            return
        st.session_state["ingested"] = (key, summary)
    done = st.session_state.get("ingested")
    if done is not None and done[0] == key:
        _results(done[1], review_page)


def _results(summary: Summary, review_page: Any) -> None:
    text = (
        f"Queued {summary.drafts} draft(s) from {summary.new} new article(s); {summary.skipped} "
        f"article(s) already in the store were skipped."
    )
    (st.success if summary.new else st.warning)(text)
    st.dataframe(files_table(summary), hide_index=True, width="stretch")
    for name, tally in summary.by_file.items():
        if tally.problems:
            lines = [p.format() for p in summary.problems if p.path == name]
            show_problems(f"{name}: {tally.problems} problem(s), left out", lines)
    if review_page is not None and summary.drafts:
        st.page_link(review_page, label="Open the Review page", icon=":material/fact_check:")
