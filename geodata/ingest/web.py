"""HTML pages and RSS/Atom feeds saved to files, read offline.

A page's main text and metadata (title, date, site name, address) come from trafilatura, handed
the page's bytes and no URL, so it never fetches; the date is read from the page's markup only
(meta tags, ``<time>``, its address), not guessed from dates in the text, which are the events'.
A feed is parsed by feedparser from an in-memory stream: handed a string it would fetch a URL
or open a file by that name. feedparser drops entity definitions that refer to other entities
(the "billion laughs") and never loads external ones.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

from geodata.errors import Problem
from geodata.ingest import sources
from geodata.ingest.sources import Found, checked, located

#: htmldate's settings: the publication date (not the last change), from markup only.
DATE_PARAMS = {"extensive_search": False, "original_date": True}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BLOCKS = (
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table",
    "tr", "section", "article", "header", "footer", "figure", "figcaption", "dl", "dt", "dd", "hr",
)  # fmt: skip
#: Characters XML cannot hold (lxml refuses them); a feed's HTML may carry them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def read_html(name: str, raw: bytes) -> Found | Problem:
    """The article of a saved web page: its main text without menus, links and footers."""
    import trafilatura

    if len(raw) > sources.MAX_FILE_BYTES:
        return Problem(f"larger than the {sources.MAX_FILE_BYTES:,} bytes a page may have", path=name)
    doc = trafilatura.bare_extraction(
        raw, url=None, with_metadata=True, include_comments=False, date_extraction_params=DATE_PARAMS
    )
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        return Problem("no article text found in the page; save the article's own page as HTML", path=name)
    fields = {
        "text": doc.text,
        "title": doc.title,
        "publisher": doc.sitename or doc.hostname,
        "url": doc.url,
        "published": doc.date,
    }
    try:
        article = sources.article_of(fields, name=name)
    except sources.FieldError as err:
        return Problem(str(err), field=err.field, path=name)
    return checked(Found(article, name), how="the page's date in a <meta> or <time> tag")


def read_feed(name: str, raw: bytes) -> Iterator[Found | Problem]:
    """One article per item of an RSS or Atom feed: its content (else its summary) as plain text,
    its link, its publication (else update) date, the feed's title as publisher."""
    import feedparser

    if len(raw) > sources.MAX_FILE_BYTES:
        yield Problem(f"larger than the {sources.MAX_FILE_BYTES:,} bytes a feed may have", path=name)
        return
    parsed = feedparser.parse(io.BytesIO(raw), resolve_relative_uris=False, sanitize_html=True)
    if not parsed.get("version") and not parsed.entries:
        why = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        message = f"not an RSS or Atom feed{why}; .rss, .atom and .xml files are read as feeds"
        yield Problem(message, path=name)
        return
    publisher = _plain(parsed.feed.get("title_detail") or {}, parsed.feed.get("title"))
    for number, entry in enumerate(parsed.entries, start=1):
        yield _item(entry, number, publisher=publisher, path=name)


def _item(entry: Mapping[str, Any], number: int, *, publisher: str, path: str) -> Found | Problem:
    contents = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    body = max(contents, key=lambda c: len(c["value"])) if contents else entry.get("summary_detail")
    text = _plain(body or {}, (body or {}).get("value") or entry.get("summary"))
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    fields = {
        "text": text,
        "title": _plain(entry.get("title_detail") or {}, entry.get("title")),
        "publisher": publisher,
        "url": entry.get("link"),
        "published": dt.date(*when[:3]).isoformat() if when else None,
    }
    try:
        article = sources.article_of(fields, name=f"{path}: item {number}")
    except sources.FieldError as err:
        return located(str(err), path=path, item=number, field=err.field)
    return checked(Found(article, path, item=number), how="the item a <pubDate>, <published> or <updated>")


def _plain(detail: Mapping[str, Any], value: object) -> str:
    """A feed's text as plain text: its HTML (by the type feedparser found) turned into text."""
    if not isinstance(value, str):
        return ""
    return plain_text(value) if detail.get("type") in _HTML_TYPES else value.strip()


def plain_text(markup: str) -> str:
    """HTML as plain text, a paragraph per block (the drafting splits sentences at them)."""
    import lxml.html

    markup = _CONTROL.sub("", markup)
    if not markup.strip():
        return ""
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    for element in root.iter():  # a line break in the markup is a space, as a browser shows it
        element.text = _SPACES.sub(" ", element.text) if element.text else element.text
        element.tail = _SPACES.sub(" ", element.tail) if element.tail else element.tail
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
