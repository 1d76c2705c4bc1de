"""Who is making changes: a name asked once per browser session (no accounts), written to the
store's change log with every action."""

from __future__ import annotations

import unicodedata

import streamlit as st

from dashboard.details import md_escape

#: Where the session keeps the reviewer's name.
KEY = "reviewer"
#: Names are cut to this many characters (they are shown in every history line).
MAX_NAME = 80
#: Set when the form was sent without a name (the warning is shown once).
NAMELESS = "reviewer_nameless"
#: What pages say beside a write that waits for a name.
ASK_FIRST = "Enter your name in the sidebar first: every change is logged with it."


def clean_name(text: str) -> str:
    """The name as it is logged: one line, no control characters, runs of spaces as one."""
    kept = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    return " ".join(kept.split())[:MAX_NAME]


def _change() -> None:
    st.session_state.pop(KEY, None)


def _sign_in() -> None:
    # A callback, not st.rerun() after the form: the run the form starts draws the page with the
    # name at once (one run, not two).
    cleaned = clean_name(st.session_state.get("reviewer_input", ""))
    if cleaned:
        st.session_state[KEY] = cleaned
    else:
        st.session_state[NAMELESS] = True


def ask() -> str | None:
    """The reviewer's name; until it is given, a small form in the sidebar asks for it."""
    name: str | None = st.session_state.get(KEY)
    with st.sidebar:
        if name:
            st.caption(f"Changes are logged as **{md_escape(name)}**.")
            st.button("Change name", key="reviewer_change", on_click=_change)
            return name
        with st.form("reviewer_form", border=True):
            st.markdown("**Your name, for the change log**")
            st.text_input(
                "Your name",
                key="reviewer_input",
                max_chars=MAX_NAME,
                label_visibility="collapsed",
                placeholder="Your name",
                help="Written to the change log with every change you make (no account: asked once "
                "per browser session).",
            )
            st.form_submit_button("Start reviewing", on_click=_sign_in)
        if st.session_state.pop(NAMELESS, False):
            st.warning("A name is needed: say who makes the changes.")
    return None
