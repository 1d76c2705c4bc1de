"""What went wrong with a user's file, shown as plain text: never a traceback, Markdown or HTML.

Uploads and pasted articles are hostile input: a reader may fail with any exception (a
RecursionError from deep nesting, a ValueError from a 5,000-digit integer, an AttributeError
from a malformed GeoJSON), and its message may echo the file's own text. So every boundary
that reads such input catches everything, and the message is shown in a code block, which
Streamlit renders as text.
"""

from __future__ import annotations

import logging

import streamlit as st

from dashboard.details import md_escape
from geodata.errors import CatalogError, GeodataError

#: At most this many problem lines are shown; a hostile file can have a million.
MAX_LINES = 200
#: An unexpected exception's message is cut to this many characters.
MAX_MESSAGE = 200

_LOG = logging.getLogger(__name__)


def short_message(error: BaseException) -> str:
    """The exception's type and the first line of its message, cut short."""
    text = str(error).strip()
    first = text.splitlines()[0] if text else ""
    if len(first) > MAX_MESSAGE:
        first = first[: MAX_MESSAGE - 1] + "…"
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def problem_lines(error: BaseException, *, name: str, failed: str = "could not be read") -> list[str]:
    """One line per problem: a CatalogError's own list, else one line naming ``name`` and the error."""
    if isinstance(error, CatalogError) and error.problems:
        # Kept in the session while the upload stays: a hostile file can have a million problems.
        lines = [p.format() for p in error.problems[:MAX_LINES]]
        if len(error.problems) > MAX_LINES:
            lines.append(f"… and {len(error.problems) - MAX_LINES:,} more")
        return lines
    if not isinstance(error, GeodataError):
        # Not raised on purpose: the server log keeps the traceback for whoever fixes the reader.
        _LOG.warning("%s %s", name, failed, exc_info=error)
    return [f"{name} {failed}: {short_message(error)}"]


def show_problems(title: str, lines: list[str]) -> None:
    """An error box with ``title`` (escaped) over the problem lines as a text block."""
    st.error(md_escape(title))
    shown = lines[: MAX_LINES + 1]
    if len(lines) > len(shown):
        shown.append(f"… and {len(lines) - len(shown):,} more")
    st.code("\n".join(shown), language=None)
