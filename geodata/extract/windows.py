"""Long texts in windows: a geoparser reads each window as a document of its own, so the context
it weighs, and the work it does, are bounded however long the text.

A text of at most ``WINDOW_CHARS`` characters (every news article of the evaluation corpora,
whose longest is 8,059) is one window and is read exactly as before. A longer one is cut after
the last paragraph break of each stretch of that many characters (else a line break, a
sentence end, a space, else anywhere), each window at least half full, never inside a span the
caller keeps whole.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate

WINDOW_CHARS = 50_000
#: Where to cut, best first: a paragraph break, a line break, a sentence end, a space.
_BREAKS = ("\n\n", "\n", ". ", " ")


def windows(
    text: str, size: int = WINDOW_CHARS, *, keep: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """(start, end) of consecutive windows that cover ``text``, each of at most ``size``
    characters unless a span of ``keep`` (sorted by start) had to be kept whole."""
    if size < 2:
        raise ValueError(f"a window of {size!r} characters is too small")
    if len(text) <= size:
        return [(0, len(text))]
    starts = [s for s, _ in keep]
    reach = list(accumulate((e for _, e in keep), max))  # the furthest end of the spans so far
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        cut = _outside(_cut(text, start, start + size), starts, reach)
        if cut >= len(text):
            break
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _cut(text: str, start: int, limit: int) -> int:
    """The best place to end a window that begins at ``start`` and may not pass ``limit``."""
    least = start + (limit - start) // 2
    for mark in _BREAKS:
        at = text.rfind(mark, least, limit)
        if at != -1:
            return at + len(mark)
    return limit


def _outside(cut: int, starts: list[int], reach: list[int]) -> int:
    """``cut``, or moved forward past every span that holds it."""
    while True:
        before = bisect_left(starts, cut)  # the spans that begin before the cut
        if before == 0 or reach[before - 1] <= cut:
            return cut
        cut = reach[before - 1]
