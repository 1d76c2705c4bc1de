"""The store's tables: events (a point layer whose columns are the catalogue's fields), their
references, articles, drafts and the change log.

Each event row keeps the event exactly as the catalogue holds it (``data``, the source of truth:
exports and edits start from it) and, beside it, the flat columns a GIS and the map read: the
catalogue's fields with the point the event resolved to (``lat``, ``lon``). On PostgreSQL the
migration adds ``geom``, a PostGIS point computed from them, so QGIS opens ``events`` as a layer.
Schema changes happen only in Alembic migrations (``geodata/store/migrations``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

DRAFT_STATUSES = ("pending", "accepted", "rejected", "merged")


class Base(DeclarativeBase):
    """The declarative base of the store's tables."""


#: An event id: compared and sorted by code point on every back end (SQLite's BINARY does so;
#: PostgreSQL needs the "C" collation, migration 0002), so listings come in ``sorted`` order.
EVENT_ID = String(128).with_variant(String(128, collation="C"), "postgresql")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A moment, always given back in UTC: PostgreSQL keeps the zone, SQLite keeps text without
    one (so a moment is written there in UTC and read back as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"the store keeps moments with their time zone, not {value!r}")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _text() -> Mapped[str | None]:
    return mapped_column(Text, nullable=True)


class EventRow(Base):
    """One accepted event: the catalogue's fields as columns, and the event itself in ``data``."""

    __tablename__ = "events"
    # Candidates of a new draft: events of a kind, by window and place (geodata.merge.propose);
    # every column tested is in the index.
    __table_args__ = (Index("ix_events_match", "type", "date_start", "date_end", "lat", "lon"),)

    id: Mapped[str] = mapped_column(EVENT_ID, primary_key=True)
    #: Raised by every write; an edit made from an older version is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    type: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    summary: Mapped[str | None] = _text()
    date_start: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    date_end: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    date_precision: Mapped[str] = mapped_column(String(16), nullable=False)
    date_text: Mapped[str | None] = _text()
    place_name: Mapped[str | None] = _text()
    place_canonical: Mapped[str | None] = _text()
    place_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    place_region: Mapped[str | None] = _text()
    place_admin2: Mapped[str | None] = _text()
    geo_precision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    lat: Mapped[float] = mapped_column(Float, nullable=False)
    lon: Mapped[float] = mapped_column(Float, nullable=False)
    coordinate_source: Mapped[str | None] = _text()
    location_id: Mapped[str | None] = _text()
    said_at_name: Mapped[str | None] = _text()
    said_at_canonical: Mapped[str | None] = _text()
    said_at_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    said_at_region: Mapped[str | None] = _text()
    said_at_admin2: Mapped[str | None] = _text()
    said_at_geo_precision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    said_at_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    said_at_lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    said_at_coordinate_source: Mapped[str | None] = _text()
    actors: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    actor1: Mapped[str | None] = _text()
    actor1_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    actor2: Mapped[str | None] = _text()
    actor2_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    fatalities_low: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fatalities_high: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: ACLED's admin1 and admin2: the place's region hints, else found from the point
    #: (:func:`geodata.admin.admin_areas`).
    admin1: Mapped[str | None] = _text()
    admin2: Mapped[str | None] = _text()
    tags: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    confidence: Mapped[str] = mapped_column(String(8), nullable=False)
    inference: Mapped[str | None] = _text()
    source_publisher: Mapped[str | None] = _text()
    source_title: Mapped[str | None] = _text()
    source_url: Mapped[str | None] = _text()
    source_published: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    source_quote: Mapped[str | None] = _text()
    provenance: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    type_label: Mapped[str | None] = _text()
    colour: Mapped[str | None] = mapped_column(String(16), nullable=True)
    acled_event_type: Mapped[str | None] = _text()
    acled_sub_event_type: Mapped[str | None] = _text()
    cameo_code: Mapped[str | None] = mapped_column(String(8), nullable=True)
    cameo_label: Mapped[str | None] = _text()
    #: The event as the catalogue holds it (the mapping ``Event.model_validate`` reads).
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    updated_by: Mapped[str] = mapped_column(Text, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's own declaration)


class ReferenceRow(Base):
    """A further source of an event, with the quote that supports it (in order)."""

    __tablename__ = "event_references"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(
        EVENT_ID, ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    publisher: Mapped[str] = mapped_column(Text, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    url: Mapped[str | None] = _text()
    published: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    quote: Mapped[str] = mapped_column(Text, nullable=False)


class ArticleRow(Base):
    """A report read into the store; the same text or URL is never stored twice."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True, unique=True)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    publisher: Mapped[str] = mapped_column(Text, nullable=False)
    published: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    ingested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)


class DraftRow(Base):
    """A drafted event waiting for review, or what became of it."""

    __tablename__ = "drafts"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'accepted', 'rejected', 'merged')", name="ck_drafts_status"),
        # Candidates of a new draft: pending ones of a kind, by window and place
        # (geodata.merge.propose); every column tested is in the index.
        Index("ix_drafts_match", "status", "type", "date_start", "date_end", "lat", "lon"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    article_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("articles.id", ondelete="SET NULL"), nullable=True, index=True
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    confidence: Mapped[float] = mapped_column(Float, nullable=False)
    type: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    place_name: Mapped[str | None] = _text()
    date_start: Mapped[dt.date] = mapped_column(Date, nullable=False)
    date_end: Mapped[dt.date] = mapped_column(Date, nullable=False)
    #: The drafted event (the mapping ``Event.model_validate`` reads).
    event: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    #: The sentences it was read from: ``[{"text", "start", "end"}, ...]`` (offsets in the article).
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    #: An event this draft is proposed to be a further source of.
    merge_target: Mapped[str | None] = mapped_column(
        EVENT_ID, ForeignKey("events.id", ondelete="SET NULL"), nullable=True
    )
    #: A pending draft (of another article) this one reports again: when either becomes an
    #: event, the other is proposed to merge into it.
    duplicate_of: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("drafts.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: What the merger found: ``{"candidate": {kind, id, relation, score, title, evidence},
    #: "related": [...]}`` (``geodata.merge``), shown to the reviewer.
    match: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: Where the draft's place resolved when it was queued (for matching; null if it did not).
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: The event it became (accepted) or was merged into.
    event_id: Mapped[str | None] = mapped_column(EVENT_ID, nullable=True)
    reason: Mapped[str | None] = _text()
    reviewer: Mapped[str | None] = _text()
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ChangeRow(Base):
    """One change to the catalogue: who, when, what, and the record before and after."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    who: Mapped[str] = mapped_column(Text, nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    event_id: Mapped[str | None] = mapped_column(EVENT_ID, nullable=True, index=True)
    draft_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    note: Mapped[str | None] = _text()


class StateRow(Base):
    """The store's one row of state: its generation, raised by every change (commit order)."""

    __tablename__ = "store_state"
    __table_args__ = (CheckConstraint("id = 1", name="ck_store_state_one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger, nullable=False)
