"""Geoparse JSON-lines corpora (the format of GeoWebNews/GeoVirus) and write the predictions.

A corpus is read a line at a time, so a file of any length costs the memory of one line. Lines
end at "\\n" (or "\\r\\n") only: U+0085, U+2028 and U+2029 are legal inside JSON strings and
occur in real news text.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from geodata.errors import GeodataError
from geodata.extract.article import MAX_CHARS, shown
from geodata.extract.geoparse import Geoparser, Toponym

#: Longest line read, in bytes: room for a document of ``MAX_CHARS`` characters, each written
#: as a JSON escape, and its toponyms.
MAX_LINE_BYTES = 64 * 1024 * 1024


def numbered_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, document) of a JSON-lines file; a bad line is an error naming its number."""
    for number, doc in jsonl_lines(path):
        if isinstance(doc, str):
            raise GeodataError(f"{path}:{number}: {doc}")
        yield number, doc


def jsonl_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, document) of a JSON-lines file, or (line number, what is wrong with that
    line), and reading goes on past it; blank lines are left out. A file that cannot be read is
    an error."""
    try:
        handle = path.open("rb")
    except OSError as err:
        raise GeodataError(f"cannot read {str(path)!r}: {err.strerror or err}") from err
    with handle:
        yield from jsonl_stream(handle, name=str(path))


def jsonl_stream(
    handle: BinaryIO, *, name: str, first_line: int = 1
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """:func:`jsonl_lines` of an open binary stream (``name`` is for messages; its first line
    is line ``first_line`` of the file)."""
    number = first_line - 1
    while True:
        try:
            raw = handle.readline(MAX_LINE_BYTES + 1)
        except OSError as err:
            raise GeodataError(f"{name}:{number + 1}: cannot read: {err.strerror or err}") from err
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            yield (
                number,
                (
                    f"the line is longer than {MAX_LINE_BYTES:,} bytes; "
                    "put one document on each line, and split documents this large"
                ),
            )
            _skip_line(handle)
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):  # the file's first line only
            raw = raw[len(codecs.BOM_UTF8) :]
        doc = _document(raw)
        if doc is not None:
            if isinstance(doc, dict):
                doc.setdefault("id", str(number))
            yield number, doc


def _skip_line(handle: BinaryIO) -> None:
    """Read on to the end of the current line, a bounded piece at a time."""
    while True:
        rest = handle.readline(MAX_LINE_BYTES)
        if not rest or rest.endswith(b"\n"):
            return


def _document(raw: bytes) -> dict[str, Any] | str | None:
    """The document of one line, what is wrong with it, or ``None`` for a blank line."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return f"not UTF-8 text ({err.reason} at byte {err.start})"
    if not line.strip():
        return None
    try:
        doc = json.loads(line)
    except ValueError as err:
        return f"not a JSON object: {err}"
    except RecursionError:
        return "not a JSON object: nested too deeply"
    if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
        return "expected an object with a 'text' string"
    return doc


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Documents of a JSON-lines file; a bad line is an error naming its number."""
    for _, doc in numbered_jsonl(path):
        yield doc


def spans_of(doc: dict[str, Any], *, where: str) -> list[tuple[int, int]]:
    """The (start, end) of each of a document's ``toponyms``; anything else is an error naming
    ``where`` (the file and line) and the toponym's index."""
    toponyms = doc.get("toponyms", [])
    if not isinstance(toponyms, list):
        raise GeodataError(
            f"{where}: 'toponyms' is {shown(toponyms)}, not a list of objects with 'start' and 'end' offsets"
        )
    length = len(doc["text"])
    spans = []
    for index, toponym in enumerate(toponyms):
        here = f"{where}: toponym {index}"
        if not isinstance(toponym, dict):
            raise GeodataError(f"{here}: {shown(toponym)} is not an object with 'start' and 'end'")
        offsets = []
        for field in ("start", "end"):
            if field not in toponym:
                raise GeodataError(f"{here}: no {field!r} offset; give 'start' and 'end' in characters")
            value = toponym[field]
            if not isinstance(value, int) or isinstance(value, bool):
                raise GeodataError(f"{here}: {field!r} is {shown(value)}, not a whole number of characters")
            offsets.append(value)
        start, end = offsets
        if not 0 <= start < end <= length:
            raise GeodataError(
                f"{here}: the span [{start}, {end}) is not a stretch of the text's {length:,} "
                "characters (0 <= start < end <= length)"
            )
        spans.append((start, end))
    return spans


def _plain(toponyms: Iterable[Toponym]) -> list[dict[str, Any]]:
    return [
        {
            "start": t.start,
            "end": t.end,
            "name": t.name,
            "lat": t.entry.lat if t.entry else None,
            "lon": t.entry.lon if t.entry else None,
        }
        for t in toponyms
    ]


def geoparse_one(parser: Geoparser, doc: dict[str, Any], *, gold_spans: bool, where: str) -> dict[str, Any]:
    """The output record of one document: its id and the toponyms found (or resolved)."""
    text = doc["text"]
    if len(text) > MAX_CHARS:
        raise GeodataError(
            f"{where}: a text of {len(text):,} characters is more than the {MAX_CHARS:,} a "
            "document may have; split it into its articles"
        )
    url = doc.get("url") if isinstance(doc.get("url"), str) else None  # where the publisher may be
    found = (
        parser.resolve(text, spans_of(doc, where=where), url=url)
        if gold_spans
        else parser.parse(text, url=url)
    )
    return {"id": doc["id"], "toponyms": _plain(found)}


def geoparse_docs(
    parser: Geoparser, docs: Iterable[dict[str, Any]], *, gold_spans: bool
) -> Iterator[dict[str, Any]]:
    """One output record per document (see :func:`geoparse_one`)."""
    for number, doc in enumerate(docs, start=1):
        yield geoparse_one(parser, doc, gold_spans=gold_spans, where=f"document {number}")


def geoparse_file(parser: Geoparser, path: Path, *, gold_spans: bool) -> Iterator[dict[str, Any]]:
    """One output record per document of a JSON-lines file; problems name its lines."""
    for number, doc in numbered_jsonl(path):
        yield geoparse_one(parser, doc, gold_spans=gold_spans, where=f"{path}:{number}")
