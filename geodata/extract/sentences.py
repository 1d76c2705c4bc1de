"""Split article text into sentences and paragraphs, keeping character offsets."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bCapt)(?<!\bGen)(?<!\bSt)"
    r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=\S)"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
#: A longer "sentence" is a table, a list or text without full stops: not drafted.
MAX_SENTENCE_CHARS = 1200


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() + 1 if text[m.start()] in ".!?" else m.start()
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def paragraph_numbers(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """The paragraph (0, 1, ...) each sentence of ``spans`` (in text order) belongs to; a blank
    line starts a paragraph."""
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
    numbers, at = [], 0
    for start, _ in spans:
        while at < len(breaks) and breaks[at] < start:
            at += 1
        numbers.append(at)
    return numbers


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
