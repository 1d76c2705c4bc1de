"""What the merger found for a draft, beside it on the Review page: the proposed event (or the
pending draft it reports again) side by side with the draft, the evidence of the match, and for
a general report the events it may cover. The tables (``review_queue``) are plain text: they
render no markup; headings and notes are escaped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import streamlit as st

from dashboard import review_queue as rq
from dashboard.details import md_escape
from geodata.errors import StoreError
from geodata.model import Event
from geodata.store import review

if TYPE_CHECKING:
    from geodata.store import Store
    from geodata.store.review import QueuedDraft


def candidate_event(store: Store, candidate: Mapping[str, Any]) -> Event | None:
    """The proposed event, or the pending draft's event, as the store holds it now."""
    if candidate["kind"] == "event":
        stored = store.get(str(candidate["id"]))
        return stored.event if stored is not None else None
    try:
        return review.draft(store, int(candidate["id"])).event
    except StoreError:
        return None


def show(store: Store, draft: QueuedDraft) -> None:
    """The match beside the draft (nothing when the merger found none)."""
    match = draft.match or {}
    candidate = match.get("candidate")
    if candidate is not None:
        st.markdown(f"##### {md_escape(rq.heading(draft, candidate))}")
        label = f"Event {candidate['id']}" if candidate["kind"] == "event" else f"Draft {candidate['id']}"
        left, right = st.columns([3, 2])
        other = candidate_event(store, candidate)
        left.dataframe(rq.side_by_side(draft.event, other, label), hide_index=True, width="stretch")
        right.dataframe(rq.evidence_table(candidate), hide_index=True, width="stretch")
        for note in candidate["evidence"].get("notes", []):
            st.caption(md_escape(note))
    related = match.get("related") or []
    if related:
        with st.expander(f"A general report: {len(related)} event(s) it may cover (not merged)"):
            st.dataframe(rq.related_table(related), hide_index=True, width="stretch")
