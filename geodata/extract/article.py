"""Read an article: plain text, or Markdown with YAML front matter (title, publisher, published)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geodata.errors import GeodataError
from geodata.io.yamlio import load_yaml

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
MAX_CHARS = 5_000_000


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
        raise GeodataError(f"{name}: {len(raw):,} characters is more than the {MAX_CHARS:,} read")
    meta: dict[str, object] = {}
    text = raw
    match = _FRONT.match(raw)
    if match:
        data, problems = load_yaml(match.group(1), path=name)
        if problems:
            raise GeodataError("; ".join(p.format() for p in problems))
        if isinstance(data, dict):
            meta = dict(data)
        text = raw[match.end() :]
    date = published or meta.get("published")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            raise GeodataError(f"{name}: published {date!r} is not a date (YYYY-MM-DD)") from None
    if date is not None and not isinstance(date, dt.date):
        raise GeodataError(f"{name}: published {date!r} is not a date (YYYY-MM-DD)")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = str(meta.get("title") or (lines[0][:200] if lines else name))
    return Article(
        text=text,
        title=title,
        publisher=str(meta.get("publisher") or "unknown publisher"),
        published=date,
        url=url or (str(meta["url"]) if meta.get("url") else None),
    )
