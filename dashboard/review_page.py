"""The "Review" page: pending drafts by confidence, filtered by article, type and place; accept,
edit then accept, reject with a reason, or merge into an event as a further source; one by one
or for every selected row. Each action is one transaction in the store, logged with the
reviewer's name; rejected drafts are kept and can be shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import streamlit as st
from sqlalchemy import select

from dashboard import review_match, reviewer
from dashboard import review_queue as rq
from dashboard.details import md_escape
from dashboard.event_form import edit_form
from dashboard.problems import problem_lines, show_problems
from geodata.errors import ConflictError, GeodataError
from geodata.store import review
from geodata.store.schema import ArticleRow
from geodata.taxonomy import EVENT_TYPES

if TYPE_CHECKING:
    import geopandas as gpd

    from geodata.geocoding import OfflineGeocoder
    from geodata.store import Store
    from geodata.store.review import QueuedDraft

#: Session keys: the last action's message; the round (raised by each action, filter change or
#: refresh: the table and its selection start again); the drafts the table lists in this round.
FLASH, ROUND, LISTED = "review_flash", "review_round", "review_listed"
_LABELS = {key: kind.label for key, kind in EVENT_TYPES.items()}


def articles(store: Store) -> dict[int, str]:
    """Each stored article's id and how it is named: "publisher: title"."""
    with store.reading() as session:
        found = session.execute(select(ArticleRow.id, ArticleRow.publisher, ArticleRow.title))
        return {int(i): f"{publisher}: {title}" for i, publisher, title in found}


def page(store: Store, geocoder: OfflineGeocoder, *, frame: Callable[[], gpd.GeoDataFrame]) -> None:
    """Draw the page; ``frame`` gives the store's events (for the merge picker)."""
    who = reviewer.ask()
    st.title("Review drafts")
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(md_escape(flash))
    named = articles(store)
    pending = review.drafts(store)
    top, refresh = st.columns([5, 1], vertical_alignment="center")
    top.caption(
        f"{len(pending)} pending draft(s), most confident first. Select rows to accept or reject them "
        "together; select one to see its evidence, edit it or merge it into an event."
    )
    refresh.button("Refresh the list", on_click=_new_round, width="stretch")
    if who is None:
        st.info(reviewer.ASK_FIRST)
    shown = _listed(_filtered(pending, named))
    round_ = st.session_state[ROUND]
    table = st.dataframe(
        rq.drafts_table(shown, named),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key=f"review_table_{round_}",
        column_config={"Confidence": st.column_config.NumberColumn(format="%.2f")},
    )
    rows = table.selection.rows if table is not None else []
    chosen = [shown[r] for r in rows if r < len(shown)]
    if chosen:
        _bulk(store, chosen, who=who, geocoder=geocoder)
    if len(chosen) == 1:
        _one(store, chosen[0], named, who=who, geocoder=geocoder, frame=frame)
    if st.toggle("Show rejected drafts", key="review_show_rejected"):
        rejected = review.drafts(store, status=("rejected",))
        st.caption(f"{len(rejected)} rejected draft(s), kept with the reason given.")
        st.dataframe(rq.rejected_table(rejected, named), hide_index=True, width="stretch")


def _new_round() -> None:
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1


def _listed(fresh: list[QueuedDraft]) -> list[QueuedDraft]:
    """The drafts the table lists: the same through a round, so that a selected row stays the
    draft the reviewer saw even when others review drafts meanwhile (an action on a draft
    changed since is refused by its version, and said so)."""
    round_ = st.session_state.setdefault(ROUND, 0)
    listed = st.session_state.get(LISTED)
    if listed is None or listed[0] != round_:
        listed = (round_, fresh)
        st.session_state[LISTED] = listed
    drafts: list[QueuedDraft] = listed[1]
    return drafts


def _filtered(pending: list[QueuedDraft], named: dict[int, str]) -> list[QueuedDraft]:
    ids = sorted({d.article_id for d in pending if d.article_id is not None})
    one, two, three = st.columns(3)
    article = one.selectbox(
        "Article",
        [None, *ids],
        format_func=lambda i: "All articles" if i is None else named.get(i, f"article {i}"),
        key="review_article",
        on_change=_new_round,
    )
    types = two.multiselect(
        "Type",
        sorted({d.event.type for d in pending}),
        format_func=lambda t: _LABELS.get(t, t),
        key="review_types",
        placeholder="Any type",
        on_change=_new_round,
    )
    places = three.multiselect(
        "Place",
        sorted({rq.place_of(d.event) for d in pending}),
        key="review_places",
        placeholder="Any place",
        on_change=_new_round,
    )
    return rq.filter_drafts(pending, article=article, types=types, places=places)


def _done(message: str) -> None:
    """After an action: say what was done, clear the selection, draw the page again."""
    st.session_state[FLASH] = message
    _new_round()
    st.session_state.pop("review_reason", None)
    st.rerun()


def _bulk(store: Store, chosen: Sequence[QueuedDraft], *, who: str | None, geocoder: OfflineGeocoder) -> None:
    merging = sum(d.merge_target is not None for d in chosen)
    left, middle, right = st.columns([2, 3, 2], vertical_alignment="bottom")
    accept = left.button(
        f"Accept selected ({len(chosen)})",
        type="primary",
        disabled=who is None,
        help=reviewer.ASK_FIRST
        if who is None
        else "Each becomes an event"
        + (f"; {merging} of them are merged into the event proposed for them" if merging else ""),
        width="stretch",
    )
    reason = middle.text_input("Reason (for a rejection)", key="review_reason", max_chars=500)
    reject = right.button(
        f"Reject selected ({len(chosen)})",
        disabled=who is None,
        help=reviewer.ASK_FIRST if who is None else "Kept, with the reason, among the rejected drafts",
        width="stretch",
    )
    if who is None or not (accept or reject):
        return
    if reject and not reason.strip():
        st.warning("Say why: a rejected draft is kept with its reason.")
        return
    done: list[str] = []
    skipped: list[str] = []
    for d in chosen:
        try:
            done.append(_review_one(store, d, who=who, geocoder=geocoder, reason=reason if reject else None))
        except GeodataError as err:
            skipped.append(f"draft {d.id} ({d.event.title}): {err}")
    counts = [f"{done.count(verb)} {verb}" for verb in ("accepted", "merged", "rejected") if verb in done]
    message = f"Drafts {', '.join(counts)}." if done else "No draft was reviewed."
    if skipped:
        message += f" {len(skipped)} not: " + "; ".join(skipped)
    _done(message)


def _review_one(
    store: Store, draft: QueuedDraft, *, who: str, geocoder: OfflineGeocoder, reason: str | None
) -> str:
    """Reject with ``reason``, else merge into the proposed event, else accept (one transaction);
    return what was done."""
    if reason is not None:
        review.reject(store, draft.id, who=who, reason=reason, expected_version=draft.version)
        return "rejected"
    if draft.merge_target is not None:
        review.merge(
            store, draft.id, draft.merge_target, who=who, geocoder=geocoder, expected_version=draft.version
        )
        return "merged"
    review.accept(store, draft.id, who=who, geocoder=geocoder, expected_version=draft.version)
    return "accepted"


def _one(
    store: Store,
    draft: QueuedDraft,
    named: dict[int, str],
    *,
    who: str | None,
    geocoder: OfflineGeocoder,
    frame: Callable[[], gpd.GeoDataFrame],
) -> None:
    """One selected draft: its evidence, "edit, then accept" and "merge into an event"."""
    event = draft.event
    st.markdown(f"#### {md_escape(event.title)}")
    source = f" · from {named[draft.article_id]}" if draft.article_id in named else ""
    st.caption(
        md_escape(
            f"{_LABELS[event.type]} · {event.date.describe()} · {event.place.name} · "
            f"confidence {draft.confidence:.2f}{source}"
        )
    )
    for evidence in draft.evidence:
        st.markdown(f"> {md_escape(evidence.get('text', ''))}")
    fields = event.provenance.fields if event.provenance else {}
    if fields:
        read = "; ".join(f"{k}: “{v.text}” ({v.confidence:.0%})" for k, v in fields.items())
        st.caption(md_escape(f"Read from: {read}"))
    review_match.show(store, draft)
    edit, merge = st.tabs(["Edit, then accept", "Merge into an event"])
    with edit:
        action, edited = edit_form(
            event,
            key=f"review_edit_{draft.id}_{draft.version}",
            submit="Accept the edited draft",
            disabled=who is None,
        )
        if action == "submit" and edited is not None and who is not None:
            name = who

            def accept() -> str:
                event_id = review.accept(
                    store,
                    draft.id,
                    who=name,
                    geocoder=geocoder,
                    edited=edited,
                    expected_version=draft.version,
                )
                return f"Accepted as event {event_id}."

            _act(accept, draft)
    with merge:
        _merge(store, draft, who=who, geocoder=geocoder, frame=frame)


def _act(action: Callable[[], str], draft: QueuedDraft) -> None:
    try:
        message = action()
    except ConflictError as err:
        st.error(md_escape(f"Not done: {err}"))
        return
    except GeodataError as err:
        show_problems("Not done.", problem_lines(err, name=f"draft {draft.id}", failed="was not reviewed"))
        return
    _done(message)


def _merge(
    store: Store,
    draft: QueuedDraft,
    *,
    who: str | None,
    geocoder: OfflineGeocoder,
    frame: Callable[[], gpd.GeoDataFrame],
) -> None:
    events = frame()
    located = geocoder.locate_place(draft.event.place)
    where = (located.latitude, located.longitude) if located is not None else None
    options = rq.nearby(events, draft.event, where)
    if draft.merge_target is not None and draft.merge_target in events.index:
        options = [draft.merge_target, *[o for o in options if o != draft.merge_target]]
    if not options:
        st.caption("There is no event to merge into.")
        return

    def label(event_id: str) -> str:
        text = rq.target_label(events.loc[event_id])
        return f"(proposed) {text}" if event_id == draft.merge_target else text

    target = st.selectbox(
        "Merge into (nearest in time and place first)",
        options,
        format_func=label,
        key=f"review_target_{draft.id}",
    )
    st.caption("The draft's source and quote are added to that event as a further report.")
    if st.button("Merge into this event", disabled=who is None, key="review_merge_one") and who is not None:

        def run() -> str:
            review.merge(store, draft.id, target, who=who, geocoder=geocoder, expected_version=draft.version)
            return f"Merged into event {target}."

        _act(run, draft)
