"""An event's history from the store's change log, an undo of its last change, and an edit form
that carries the version it was made from: a save that would overwrite someone else's change is
refused, and both versions are shown side by side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from dashboard.details import md_escape
from dashboard.event_form import FIELDS, edit_form, form_values
from dashboard.problems import problem_lines, show_problems
from dashboard.reviewer import ASK_FIRST
from geodata.errors import ConflictError, GeodataError
from geodata.model import Event

if TYPE_CHECKING:
    from geodata.geocoding import OfflineGeocoder
    from geodata.store import Store
    from geodata.store.rows import Change, Stored

#: Session keys: the edit in progress, a refused save, what the last action did or why it failed.
EDITING, CONFLICT, FLASH, FAILED = "event_editing", "event_conflict", "event_flash", "event_failed"
#: The change log's action for the events a store was first filled with.
SEED = "seed"
FIELD_LABELS = {
    "type": "Type",
    "title": "Title",
    "date_start": "From",
    "date_end": "To",
    "date_precision": "Date precision",
    "place": "Place",
    "canonical": "Canonical place",
    "country": "Country",
    "geo_precision": "Geo precision",
    "actors": "Actors",
    "confidence": "Confidence",
}


def _flat(data: Mapping[str, Any] | None, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (data or {}).items():
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def changed_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> str:
    """What a change did to an event: "created", "deleted", or the fields it changed."""
    if before is None and after is None:
        return ""
    if before is None:
        return "created"
    if after is None:
        return "deleted"
    old, new = _flat(before), _flat(after)
    return ", ".join(sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))) or "nothing"


def history_table(changes: list[Change]) -> pd.DataFrame:
    """The change log of one event, newest first, as a plain table."""
    return pd.DataFrame(
        {
            "When (UTC)": [f"{c.at:%Y-%m-%d %H:%M:%S}" for c in reversed(changes)],
            "Who": [c.who for c in reversed(changes)],
            "Action": [c.action for c in reversed(changes)],
            "Changed fields": [changed_fields(c.before, c.after) for c in reversed(changes)],
            "Note": [c.note or "" for c in reversed(changes)],
        }
    )


def messages() -> None:
    """What the last edit or undo did, or why it was refused (shown once)."""
    flash, failed = st.session_state.pop(FLASH, None), st.session_state.pop(FAILED, None)
    if flash:
        st.success(md_escape(flash))
    if failed:
        st.error(md_escape(failed))


def in_progress(event_id: str) -> bool:
    """Whether this session is editing the event, or holds a refused save of it."""
    return any(
        (entry := st.session_state.get(key)) is not None and entry["id"] == event_id
        for key in (EDITING, CONFLICT)
    )


def panel(store: Store, event_id: str, *, who: str | None, geocoder: OfflineGeocoder) -> None:
    """Under an event's details: edit, undo, the conflict of a refused save, and the history."""
    stored = store.get(event_id)
    if stored is None:
        return
    conflict = st.session_state.get(CONFLICT)
    if conflict is not None and conflict["id"] == event_id:
        _show_conflict(conflict["current"], conflict["proposed"], conflict["from"])
    editing = st.session_state.get(EDITING)
    changes = store.history(event_id)
    if editing is not None and editing["id"] == event_id:
        _edit(store, editing, who=who, geocoder=geocoder)
    else:
        _actions(store, stored, changes, who=who, geocoder=geocoder)
    with st.expander(f"History ({len(changes)} change{'s' if len(changes) != 1 else ''})"):
        st.dataframe(history_table(changes), hide_index=True, width="stretch", key=f"history_{event_id}")


def _start_edit(event_id: str, version: int, event: Event) -> None:
    st.session_state[EDITING] = {"id": event_id, "version": version, "event": event}
    st.session_state.pop(CONFLICT, None)


def _actions(
    store: Store, stored: Stored, changes: list[Change], *, who: str | None, geocoder: OfflineGeocoder
) -> None:
    left, right = st.columns(2)
    left.button(
        "Edit",
        key="event_edit",
        on_click=_start_edit,
        args=(stored.event.id, stored.version, stored.event),
        disabled=who is None,
        help=ASK_FIRST if who is None else f"Edit version {stored.version} of this event",
        width="stretch",
    )
    if not changes or changes[-1].action == SEED:
        return  # the catalogue the store was filled from is where an event starts, not a change
    last = changes[-1]
    label = f"Undo {last.action} by {last.who}" + (" (removes the event)" if last.before is None else "")
    right.button(
        md_escape(label),
        key="event_undo",
        on_click=_undo,
        # The change shown is the one undone: if another came since, the store refuses.
        args=(store, last, who, geocoder),
        disabled=who is None,
        help=ASK_FIRST if who is None else "Put the event back as it was before this change",
        width="stretch",
    )


def _undo(store: Store, change: Change, who: str | None, geocoder: OfflineGeocoder) -> None:
    if who is None:
        return
    try:
        store.undo(change.id, who=who, geocoder=geocoder)
    except GeodataError as err:
        st.session_state[FAILED] = f"Not undone: {err}"
        return
    st.session_state[FLASH] = f"Undone: {change.action} by {change.who} at {change.at:%Y-%m-%d %H:%M} UTC."


def _edit(store: Store, editing: dict[str, Any], *, who: str | None, geocoder: OfflineGeocoder) -> None:
    event: Event = editing["event"]
    st.caption(f"Editing version {editing['version']} of this event.")
    action, edited = edit_form(
        event,
        key=f"edit_{event.id}_{editing['version']}",
        submit="Save",
        cancel="Cancel",
        disabled=who is None,
    )
    if action == "cancel":
        st.session_state.pop(EDITING, None)
        st.rerun()
    if edited is None:
        return
    assert who is not None
    try:
        version = store.save(edited, expected_version=editing["version"], who=who, geocoder=geocoder)
    except ConflictError as err:
        st.session_state[CONFLICT] = {
            "id": event.id,
            "current": err.current,
            "proposed": err.proposed,
            "from": editing["version"],
        }
        st.session_state.pop(EDITING, None)
        st.rerun()
    except GeodataError as err:
        show_problems("Not saved.", problem_lines(err, name=event.id, failed="was not saved"))
        return
    st.session_state.pop(EDITING, None)
    st.session_state[FLASH] = f"Saved as version {version}."
    st.rerun()


def _show_conflict(current: Stored | None, proposed: Event, started_from: int) -> None:
    """The refused edit beside what the store holds now; the reviewer chooses what to keep."""
    if current is None:
        st.error("Not saved: the event was deleted while you edited it. Your edit is shown below.")
    else:
        st.error(
            md_escape(
                f"Not saved: {current.updated_by} saved version {current.version} of this event at "
                f"{current.updated_at:%Y-%m-%d %H:%M} UTC while you were editing version {started_from}. "
                "Nothing was overwritten: compare both versions."
            )
        )
    mine = form_values(proposed)
    theirs = form_values(current.event) if current is not None else {}
    left, right = st.columns(2)
    with left:
        st.markdown("**Your edit (not saved)**")
        _version_lines(mine, theirs, key="conflict_mine")
    with right:
        st.markdown(f"**In the store now (version {current.version})**" if current else "**Deleted**")
        if current is not None:
            _version_lines(theirs, mine, key="conflict_theirs")
    one, two = st.columns(2)
    if current is not None:
        one.button(
            f"Edit again from version {current.version}, with my changes",
            key="conflict_retry",
            on_click=_retry,
            args=(current.event.id, current.version, proposed),
            width="stretch",
        )
    two.button("Discard my edit", key="conflict_discard", on_click=_discard, width="stretch")


def _version_lines(values: dict[str, Any], other: dict[str, Any], *, key: str) -> None:
    table = pd.DataFrame(
        {
            "Field": [FIELD_LABELS[f] for f in FIELDS],
            "Value": [str(values.get(f, "")) for f in FIELDS],
            "Differs": ["≠" if values.get(f) != other.get(f) else "" for f in FIELDS],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key=key)


def _retry(event_id: str, version: int, proposed: Event) -> None:
    _start_edit(event_id, version, proposed)


def _discard() -> None:
    st.session_state.pop(CONFLICT, None)
