"""Article text in, validated draft events out: the one call the CLI and the dashboard share."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from geodata.errors import GeodataError
from geodata.extract.article import parse_article
from geodata.extract.drafts import DraftedEvent, draft_article
from geodata.extract.geoparse import Geoparser
from geodata.gazetteer import Gazetteer


@lru_cache(maxsize=2)
def default_parser(gazetteer: Gazetteer | None = None) -> Geoparser:
    """A geoparser for drafting (adjectives of place count: "Iraqi bases" are in Iraq)."""
    if gazetteer is None:
        from geodata.geocoding import default_geocoder

        gazetteer = default_geocoder().gazetteer
    return Geoparser(gazetteer)


def extract_article(
    raw: str,
    *,
    published: dt.date | None = None,
    url: str | None = None,
    name: str = "article",
    parser: Geoparser | None = None,
) -> list[DraftedEvent]:
    """Draft events from article text, one per event; a clear :class:`GeodataError` for anything
    unusable."""
    article = parse_article(raw, published=published, url=url, name=name)
    if article.published is None:
        raise GeodataError(
            f"{name}: no publication date; give --published YYYY-MM-DD "
            "(relative dates such as 'last week' depend on it)"
        )
    if not article.text.strip():
        raise GeodataError(f"{name}: the article has no text")
    return draft_article(article, parser or default_parser())
