"""Sidebar widgets: event types, timeline with playback, actors, text search."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

import streamlit as st

from dashboard.state import Filters, clamp_window, filters_from_params, step_window
from geodata.taxonomy import EVENT_TYPES

LABELS = {key: kind.label for key, kind in EVENT_TYPES.items()}
#: Seconds between two steps of the timeline while it plays.
PLAY_SECONDS = 1.2
#: The session key of the filters the app set since the last run that drew the whole page.
UNSENT = "_filters_unsent"
#: The filters sent to the browser with every run (see :func:`init_from_url`).
ALWAYS_SENT = ("f_types", "f_actors")
#: The session key of the catalogue's span the timeline's window was last drawn for.
WINDOW_SPAN = "_window_span"


def _set(key: str, value: object) -> None:
    """Set a filter from the app (not from the browser), to be sent to the browser with its widget."""
    st.session_state[key] = value
    st.session_state[UNSENT] = {*st.session_state.get(UNSENT, ()), key}


def init_from_url(span: tuple[dt.date, dt.date], actors: Sequence[str]) -> None:
    """On a session's first run, put the URL's filters into the widgets; on later runs, set
    again the filters whose value the browser may not have.

    The widgets have no value of their own (``value=``): the session holds them. When a click
    cuts a run short before its widgets reach the browser (a name given while the first run
    still draws the page), the browser starts them at their empty default and sends that back
    with the next click: one sign-in in eight emptied the type filter, and the map with it. A
    value set in the session before its widget is drawn goes to the browser with it. The type
    and actor filters are set on every run (a click on one is whole, and the latest run always
    sends the latest); the timeline and the search text only until a run has drawn the whole
    page, as setting them on every run would undo keys pressed or text typed during a run.
    """
    if st.session_state.get("_filters_initialised"):
        for key in {*ALWAYS_SENT, *st.session_state.get(UNSENT, ())}:
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
        return
    filters = filters_from_params(dict(st.query_params), known_actors=set(actors))
    _set("f_types", list(filters.types))
    _set("f_window", clamp_window(filters.start, filters.end, span))
    _set("f_actors", list(filters.actors))
    _set("f_text", filters.text)
    st.session_state["_filters_initialised"] = True


def drawn() -> None:
    """The whole page was drawn: the browser has every filter's value."""
    st.session_state.pop(UNSENT, None)


def follow_span(span: tuple[dt.date, dt.date]) -> None:
    """Keep the timeline's window when the catalogue's span changes under the session (another
    analyst adds or removes an event, an upload): a window narrowed by the analyst stays, clamped
    into the new span; a window over the whole span covers the whole new one.

    Streamlit draws a slider whose bounds changed as a new widget, back at its full range: without
    this, anyone's change to the store would undo the analyst's choice of window.
    """
    before = st.session_state.get(WINDOW_SPAN)
    st.session_state[WINDOW_SPAN] = span
    window = st.session_state.get("f_window")
    if before is None or before == span or window is None:
        return
    whole = tuple(window) == tuple(before)
    _set("f_window", span if whole else clamp_window(window[0], window[1], span))


def reset_filters(span: tuple[dt.date, dt.date]) -> None:
    _set("f_types", list(EVENT_TYPES))
    _set("f_window", span)
    _set("f_actors", [])
    _set("f_text", "")
    st.session_state["playing"] = False


def _step(span: tuple[dt.date, dt.date], direction: int) -> None:
    start, end = st.session_state["f_window"]
    if (start, end) == span and span[1] > span[0]:
        end = min(start + dt.timedelta(days=6), span[1])  # a whole-span window cannot move: use a week
    width = (end - start).days + 1
    if direction < 0:
        start, end = start - dt.timedelta(days=width), end - dt.timedelta(days=width)
        if end < span[0]:
            start, end = span[1] - dt.timedelta(days=width - 1), span[1]
        _set("f_window", clamp_window(start, end, span))
    else:
        _set("f_window", step_window(start, end, span, width))


def _toggle_play(span: tuple[dt.date, dt.date]) -> None:
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if playing and tuple(st.session_state["f_window"]) == span:
        _set("f_window", (span[0], min(span[0] + dt.timedelta(days=6), span[1])))


def filter_widgets(span: tuple[dt.date, dt.date], actors: Sequence[str]) -> Filters:
    """Draw the filter widgets and return what they select."""
    st.multiselect("Event types", options=list(EVENT_TYPES), format_func=LABELS.__getitem__, key="f_types")
    if span[1] > span[0]:
        st.slider(
            "Timeline",
            min_value=span[0],
            max_value=span[1],
            key="f_window",
            format="D MMM YYYY",
            help="An event shows when its date interval overlaps the window.",
        )
    else:
        st.caption(f"All events on {span[0]:%d %B %Y}")
        st.session_state["f_window"] = span
    back, play, forward = st.columns(3)
    back.button("◀", help="Move the window back", on_click=_step, args=(span, -1), width="stretch")
    playing = st.session_state.get("playing", False)
    play.button(
        "⏸ Pause" if playing else "▶ Play",
        help="Step the window through time",
        on_click=_toggle_play,
        args=(span,),
        width="stretch",
    )
    forward.button("▶▶", help="Move the window forward", on_click=_step, args=(span, +1), width="stretch")
    st.multiselect("Actors", options=list(actors), key="f_actors", placeholder="Any actor")
    st.text_input("Search text", key="f_text", placeholder="title, summary, quote, place …")
    st.button("Reset filters", on_click=reset_filters, args=(span,))
    start, end = st.session_state["f_window"]
    return Filters(
        types=tuple(st.session_state["f_types"]),
        start=start,
        end=end,
        actors=tuple(st.session_state["f_actors"]),
        text=st.session_state["f_text"].strip(),
    )


def apply_pending_step(span: tuple[dt.date, dt.date]) -> None:
    """Before the widgets are drawn, move the window if playback asked for it on the last run."""
    if st.session_state.pop("_advance", False) and st.session_state.get("playing"):
        _step(span, +1)


def play_on() -> None:
    """While playing, wait a beat, then run the app again with the window one step on."""
    if not st.session_state.get("playing"):
        return
    time.sleep(PLAY_SECONDS)
    st.session_state["_advance"] = True
    st.rerun()
