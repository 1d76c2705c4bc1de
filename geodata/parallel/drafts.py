"""A partition's articles drafted on a worker, and the drafts as a GeoParquet table: the pure
function ingestion runs on Dask (articles in, drafts out), and its result read back.

Each worker process loads the geoparser once (from the gazetteer's on-disk cache) and keeps it
for every partition it is given.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from geodata.errors import GeodataError
from geodata.extract.article import Article
from geodata.model import Event
from geodata.store.review import NewDraft, text_hash

#: The columns of a partition's drafts (besides the point's geometry). ``article`` is the text's
#: key (:func:`~geodata.store.review.text_hash`); an article drafted without any draft has a
#: row with an empty ``event``, so that a restarted run knows it was drafted.
COLUMNS = ("article", "event", "confidence", "evidence", "lat", "lon")


@dataclass(frozen=True)
class Drafted:
    """What a worker gives back for a partition: the drafts as GeoParquet bytes, and the
    articles it could not draft (their text's key, and why)."""

    parquet: bytes
    failed: tuple[tuple[str, str], ...] = ()


def draft_articles(articles: Sequence[Article]) -> Drafted:
    """Draft each article (one draft per event, placed by the default geocoder): the work of one
    partition, on whichever worker runs it."""
    from geodata.extract.pipeline import default_parser
    from geodata.geocoding import default_geocoder
    from geodata.ingest.drafting import article_drafting

    draft = article_drafting(default_parser())
    geocoder = default_geocoder()
    rows: list[dict[str, object]] = []
    failed: list[tuple[str, str]] = []
    for article in articles:
        key = text_hash(article.text)
        try:
            drafts = draft(article)
        except GeodataError as err:
            failed.append((key, f"could not be drafted: {err}"))
            continue
        except Exception as err:  # the drafting's own bug: this article reported, the rest go on
            failed.append((key, f"could not be drafted ({type(err).__name__}: {err}); this is a bug"))
            continue
        if not drafts:
            rows.append(dict.fromkeys(COLUMNS, None) | {"article": key, "event": "", "evidence": "[]"})
        for d in drafts:
            found = geocoder.locate_place(d.event.place)
            rows.append(
                {
                    "article": key,
                    "event": d.event.model_dump_json(exclude_none=True),
                    "confidence": d.confidence,
                    "evidence": json.dumps(d.evidence, ensure_ascii=False),
                    "lat": None if found is None else found.latitude,
                    "lon": None if found is None else found.longitude,
                }
            )
    return Drafted(_geoparquet(rows), tuple(failed))


def _geoparquet(rows: list[dict[str, object]]) -> bytes:
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    geometry = gpd.points_from_xy(
        frame["lon"], frame["lat"], crs="EPSG:4326"
    )  # (lon, lat): GeoParquet's order
    out = io.BytesIO()
    gpd.GeoDataFrame(frame, geometry=geometry).to_parquet(out, index=False)
    return out.getvalue()


def read_drafts(data: bytes) -> dict[str, list[NewDraft]]:
    """The drafts of each article of a partition (by its text's key), from :func:`draft_articles`'s table."""
    import pyarrow.parquet as pq

    out: dict[str, list[NewDraft]] = {}
    for row in pq.read_table(io.BytesIO(data), columns=list(COLUMNS)).to_pylist():
        drafts = out.setdefault(row["article"], [])
        if not row["event"]:
            continue  # drafted, and nothing found
        point = (row["lat"], row["lon"]) if row["lat"] is not None and row["lon"] is not None else None
        drafts.append(
            NewDraft(
                Event.model_validate_json(row["event"]),
                float(row["confidence"]),
                json.loads(row["evidence"]),
                point=point,
            )
        )
    return out
