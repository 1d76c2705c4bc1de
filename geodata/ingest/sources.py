"""The articles of files and folders, read lazily: Markdown and text with front matter, HTML pages,
JSON Lines, RSS and Atom feeds. Each file gives its articles, or the problems that kept one out
(the file, its line or item, the field, what to do); one bad file or line never stops the rest.

Every file is read with a cap on the bytes actually read (:data:`MAX_FILE_BYTES`; JSON Lines by
the line, :data:`~geodata.extract.corpus.MAX_LINE_BYTES`), so a hostile file costs bounded
memory before any parser sees it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geodata.errors import GeodataError, Problem
from geodata.extract.article import MAX_CHARS, Article, check_published, parse_article, shown
from geodata.extract.article import _first_line as first_line
from geodata.extract.corpus import jsonl_lines, jsonl_stream
from geodata.io.safefile import read_capped

#: Largest file read whole (text, HTML page, feed): an article's characters, four bytes each.
MAX_FILE_BYTES = 4 * MAX_CHARS
#: How each suffix is read (a ``.xml`` file is read as a feed, and must be one).
KINDS = {
    ".md": "text",
    ".markdown": "text",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
UNKNOWN_PUBLISHER = "unknown publisher"
_NO_DATE = "no publication date; give {how} (relative dates such as 'last week' depend on it)"


@dataclass(frozen=True)
class Found:
    """An article and where it was read: the file, and its line or item when it holds several."""

    article: Article
    path: str
    line: int | None = None
    item: int | None = None

    def problem(self, message: str, *, field: str | None = None) -> Problem:
        """A problem with this article, placed where it was read."""
        return located(message, path=self.path, line=self.line, item=self.item, field=field)


def located(
    message: str, *, path: str, line: int | None = None, item: int | None = None, field: str | None = None
) -> Problem:
    """A problem in a file, at a line, or at an item of a feed (which has no line to give)."""
    return Problem(
        f"item {item}: {message}" if item is not None else message, field=field, line=line, path=path
    )


def list_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Problem]]:
    """The files to read, in order: each path given, and the files of each folder (recursively,
    sorted, hidden ones left out) that have a suffix of :data:`KINDS`; each file once."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(_walk(path))
        elif path.exists():
            if path.suffix.lower() not in KINDS:
                message = f"of unknown type {path.suffix!r}; ingest {', '.join(sorted(KINDS))} files"
                problems.append(Problem(message, path=str(path)))
                continue
            found = [path]
        else:
            problems.append(Problem("no such file or folder; check the path", path=str(path)))
            continue
        for file in found:
            key = os.path.realpath(file)
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files, problems


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):  # symlinked folders are not followed: no loops
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and Path(name).suffix.lower() in KINDS:
                yield Path(root, name)


def read_source(path: Path) -> Iterator[Found | Problem]:
    """The articles of one file, or its problems; nothing it holds raises."""
    name = str(path)
    try:
        if KINDS.get(path.suffix.lower()) == "jsonl":  # streamed: a line at a time
            yield from _jsonl(jsonl_lines(path), name)
        else:
            advice = "split it into its articles (JSON Lines is read a line at a time)"
            yield from read_data(name, read_capped(path, limit=MAX_FILE_BYTES, what="file", advice=advice))
    except GeodataError as err:  # the file as a whole could not be read
        yield Problem(_without(str(err), name), path=name)
    except Exception as err:  # a read that failed half-way, past what read_capped checks
        yield Problem(f"could not be read ({type(err).__name__}: {err}); check the file", path=name)


def read_data(name: str, data: bytes) -> Iterator[Found | Problem]:
    """The articles of a file's content (an upload), read by the suffix of ``name`` (text when
    it has none of :data:`KINDS`); nothing it holds raises."""
    from geodata.ingest import web

    kind = KINDS.get(Path(name).suffix.lower(), "text")
    try:
        if kind == "jsonl":
            yield from _jsonl(jsonl_stream(io.BytesIO(data), name=name), name)
        elif kind == "html":
            yield web.read_html(name, data)
        elif kind == "feed":
            yield from web.read_feed(name, data)
        else:
            yield _text(name, data)
    except GeodataError as err:
        yield Problem(_without(str(err), name), path=name)
    except Exception as err:  # a parser's own failure on a hostile file: a problem, not a stop
        yield Problem(f"could not be read ({type(err).__name__}: {err}); check the file", path=name)


def _without(message: str, name: str) -> str:
    """``message`` without the file's name in front (the problem names it)."""
    for prefix in (f"{name}: ", f"{name}:"):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def _text(name: str, data: bytes) -> Found | Problem:
    """Plain text, or Markdown with YAML front matter (as :func:`parse_article` reads it)."""
    if len(data) > MAX_FILE_BYTES:
        return Problem(f"larger than the {MAX_FILE_BYTES:,} bytes an article may have", path=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return Problem(f"not UTF-8 text ({err.reason} at byte {err.start}); save it as UTF-8", path=name)
    article = parse_article(text, name=name)
    return checked(Found(article, name), how="'published: YYYY-MM-DD' in its front matter")


def _jsonl(lines: Iterable[tuple[int, dict[str, Any] | str]], name: str) -> Iterator[Found | Problem]:
    for number, doc in lines:
        if isinstance(doc, str):
            yield Problem(doc, line=number, path=name)
            continue
        try:
            article = article_of(doc, name=f"{name}:{number}")
        except FieldError as err:
            yield Problem(str(err), field=err.field, line=number, path=name)
            continue
        yield checked(Found(article, name, line=number), how='"published": "YYYY-MM-DD"')


def checked(found: Found, *, how: str) -> Found | Problem:
    """The article, or the problem that keeps it from being drafted or stored (no text, no
    date, a NUL character, which PostgreSQL cannot store in text and SQLite can)."""
    article = found.article
    for key in ("text", "title", "publisher", "url"):
        value = getattr(article, key) or ""
        if "\x00" in value:
            where = f" at character {value.index(chr(0)):,}" if key == "text" else ""
            return found.problem(f"holds a NUL character (U+0000){where}; remove it", field=key)
    if not article.text.strip():
        return found.problem("the article has no text", field="text")
    if len(article.text) > MAX_CHARS:
        message = f"{len(article.text):,} characters is more than the {MAX_CHARS:,} an article may have"
        return found.problem(message + "; split it into its articles", field="text")
    if article.published is None:
        return found.problem(_NO_DATE.format(how=how), field="published")
    return found


class FieldError(GeodataError, ValueError):
    """A value of the wrong kind in an article's metadata; ``field`` names it."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def article_of(fields: Mapping[str, object], *, name: str) -> Article:
    """An article from named values (a JSON Lines record, a page's or feed item's metadata):
    ``text``, ``title``, ``url``, ``publisher``, ``published``; a value of the wrong kind is an
    error naming its field."""
    values = {}
    for key in ("text", "title", "url", "publisher"):
        value = fields.get(key)
        if value is not None and not isinstance(value, str):
            raise FieldError(f"{key!r} is {shown(value)}, not text; write it as a string", key)
        values[key] = (value or "").strip() if key != "text" else value or ""
    try:
        published = check_published(fields.get("published") or None, name=name)
    except GeodataError as err:
        raise FieldError(_without(str(err), name), "published") from err
    return Article(
        text=values["text"],
        title=values["title"] or first_line(values["text"]) or name,
        publisher=values["publisher"] or UNKNOWN_PUBLISHER,
        published=published,
        url=values["url"] or None,
    )
