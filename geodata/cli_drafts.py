"""The pending drafts of a store as a YAML file that cannot be taken for a catalogue.

``geodata export --drafts`` writes it: a comment header says what it is, and the top-level
mapping (``geodata_pending_drafts``: where and when it was exported; ``drafts``: the list) has
no ``events`` list, so ``geodata validate`` and ``geodata import`` refuse it, naming it. Each
draft has its ``draft`` id, ``confidence`` (0 to 1, most confident first), ``article`` (id,
title, publisher, url, published), ``merge_target`` (``{id, title}`` of the event it is
proposed to be a further source of, or null), ``evidence`` (the sentences it was read from, with
offsets in the article) and ``event`` (the drafted event, as a catalogue holds it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from geodata.errors import CatalogError, Problem

if TYPE_CHECKING:
    from geodata.store import Store

#: The first key of a drafts file: what it is, so no one takes it for a catalogue.
DRAFTS_KEY = "geodata_pending_drafts"
DRAFTS_HEADER = (
    "# Pending drafts from a geodata store (`geodata export --drafts`).\n"
    "# NOT a catalogue: nothing here is accepted yet. Review the drafts with\n"
    "# `geodata review --store URL --accept-all` or on the dashboard's Review page.\n"
)


def export_drafts(store: Store, path: Path) -> int:
    """Write the store's pending drafts to ``path`` (a new file, renamed into place); return how many."""
    from sqlalchemy import select

    from geodata.io.safefile import atomic_write
    from geodata.io.yamlio import dump_yaml
    from geodata.store import review
    from geodata.store.rows import event_data
    from geodata.store.schema import ArticleRow, EventRow

    queued = review.drafts(store)
    with store.reading() as session:
        wanted = {d.article_id for d in queued if d.article_id is not None}
        columns = (
            ArticleRow.id,
            ArticleRow.title,
            ArticleRow.publisher,
            ArticleRow.url,
            ArticleRow.published,
        )
        articles = {
            row.id: row._asdict()
            for row in session.execute(select(*columns).where(ArticleRow.id.in_(wanted)))
        }
        targets = {d.merge_target for d in queued if d.merge_target}
        found = session.execute(select(EventRow.id, EventRow.title).where(EventRow.id.in_(targets)))
        titles: dict[str, str] = {str(i): str(t) for i, t in found}
    data = [
        {
            "draft": d.id,
            "confidence": round(d.confidence, 3),
            "article": articles.get(d.article_id) if d.article_id is not None else None,
            "merge_target": (
                {"id": d.merge_target, "title": titles.get(d.merge_target)} if d.merge_target else None
            ),
            "evidence": d.evidence,
            "event": event_data(d.event),
        }
        for d in queued
    ]
    about = {
        "store": store.url,
        "exported": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC",
        "count": len(data),
    }
    atomic_write(path, DRAFTS_HEADER + dump_yaml({DRAFTS_KEY: about, "drafts": data}))
    return len(queued)


def refuse_drafts_file(path: Path) -> None:
    """A clear refusal of a file written by ``export --drafts`` where a catalogue is expected."""
    try:
        if not path.is_file():
            return  # a pipe would block the read; the catalogue reader refuses what is not a file
        with open(path, "rb") as handle:
            head = handle.read(len(DRAFTS_HEADER.encode()))
    except OSError:
        return  # the catalogue reader reports it
    if head == DRAFTS_HEADER.encode():
        message = (
            "pending drafts (`geodata export --drafts`), not a catalogue; accept them with `geodata review`"
        )
        raise CatalogError([Problem(message, line=1, path=str(path))])
