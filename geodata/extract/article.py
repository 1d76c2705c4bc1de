"""Read an article: plain text, or Markdown with YAML front matter (title, publisher, published)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import reprlib
from dataclasses import dataclass
from typing import Any

from geodata.errors import GeodataError
from geodata.io.yamlio import load_yaml

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
#: Largest article read, in characters (a book is not an article).
MAX_CHARS = 5_000_000
#: Publication dates read: dates in the text are read in these years only ("30 March 2020"),
#: and the dates a relative expression stands for ("last month") must exist.
EARLIEST_PUBLISHED = dt.date(1900, 1, 1)
LATEST_PUBLISHED = dt.date(2099, 12, 31)
#: Where the title is looked for when the front matter gives none.
_TITLE_SEARCH_CHARS = 10_000


@dataclass(frozen=True)
class Article:
    """An article's text and what is known about its source."""

    text: str
    title: str
    publisher: str
    published: dt.date | None
    url: str | None = None


def parse_article(
    raw: str, *, published: dt.date | None = None, url: str | None = None, name: str = "article"
) -> Article:
    """Split front matter from text; flags given here win over the front matter."""
    if len(raw) > MAX_CHARS:
        raise GeodataError(
            f"{name}: {len(raw):,} characters is more than the {MAX_CHARS:,} an article may have; "
            "split it into its articles"
        )
    meta: dict[str, object] = {}
    text = raw
    match = _FRONT.match(raw)
    if match:
        data, problems = load_yaml(match.group(1), path=name)
        if problems:
            # The front matter starts on the article's second line, after its opening "---".
            shifted = [dataclasses.replace(p, line=p.line + 1) if p.line else p for p in problems]
            raise GeodataError("; ".join(p.format() for p in shifted))
        if isinstance(data, dict):
            meta = dict(data)
        text = raw[match.end() :]
    date = check_published(published or meta.get("published"), name=name)
    return Article(
        text=text,
        title=_text(meta, "title", name) or _first_line(text) or name,
        publisher=_text(meta, "publisher", name) or "unknown publisher",
        published=date,
        url=url or _text(meta, "url", name) or None,
    )


def _text(meta: dict[str, object], key: str, name: str) -> str:
    """A front matter field that must be text (a number or a date is written as text)."""
    value = meta.get(key)
    if not value:
        return ""
    # Not str() of anything: a YAML list can hold itself by aliases a billion times over.
    if not isinstance(value, str | int | float | dt.date):
        raise GeodataError(f"{name}: front matter {key!r} is {shown(value)}, not text; write it as a string")
    return str(value)


def check_published(value: object, *, name: str = "article") -> dt.date | None:
    """A publication date (a date, or text YYYY-MM-DD) in the years dates are read in."""
    if value is None:
        return None
    if isinstance(value, str):
        try:  # a time of day ("2020-04-02T10:00:00Z", as scraped pages give it) is its date
            value = dt.datetime.fromisoformat(value).date()
        except ValueError:
            raise GeodataError(f"{name}: published is {shown(value)}, not a date (YYYY-MM-DD)") from None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise GeodataError(f"{name}: published is {shown(value)}, not a date (YYYY-MM-DD)")
    if not EARLIEST_PUBLISHED <= value <= LATEST_PUBLISHED:
        raise GeodataError(
            f"{name}: published {value.isoformat()!r} is outside {EARLIEST_PUBLISHED.year}-"
            f"{LATEST_PUBLISHED.year}, the years dates in news text are read in; give the real "
            "publication date (YYYY-MM-DD)"
        )
    return value


def shown(value: Any) -> str:
    """A bad value for a message, cut short: its repr if it is a plain value or a plain list or
    dict (abbreviated), else its type (the repr of a YAML node or of a structure that holds
    itself by aliases could be endless)."""
    if type(value) in (str, int, float, bool, list, dict, dt.date, dt.datetime) or value is None:
        try:
            return reprlib.repr(value)
        except ValueError:  # an integer of more digits than Python will print
            return f"an integer of {value.bit_length():,} bits"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _first_line(text: str) -> str:
    """The first line with words, cut to 200 characters (read from the start only)."""
    for line in text[:_TITLE_SEARCH_CHARS].splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""
