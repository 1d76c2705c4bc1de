"""Geoparse JSON-lines corpora (the format of GeoWebNews/GeoVirus) and write the predictions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from geodata.errors import GeodataError
from geodata.extract.geoparse import Geoparser, Toponym


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Documents of a JSON-lines file; a bad line is an error naming its number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise GeodataError(f"cannot read {str(path)!r}: {err}") from err
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except ValueError as err:
            raise GeodataError(f"{path}:{number}: not a JSON object: {err}") from err
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
            raise GeodataError(f"{path}:{number}: expected an object with a 'text' string")
        doc.setdefault("id", str(number))
        yield doc


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


def geoparse_docs(
    parser: Geoparser, docs: Iterable[dict[str, Any]], *, gold_spans: bool
) -> Iterator[dict[str, Any]]:
    """One output record per document: its id and the toponyms found (or resolved)."""
    for doc in docs:
        text = doc["text"]
        if gold_spans:
            spans = [
                (int(t["start"]), int(t["end"]))
                for t in doc.get("toponyms", [])
                if 0 <= int(t["start"]) < int(t["end"]) <= len(text)
            ]
            found = parser.resolve(text, spans)
        else:
            found = parser.parse(text)
        yield {"id": doc["id"], "toponyms": _plain(found)}
