"""The first schema: events with their references, articles, drafts and the change log; on
PostgreSQL, a PostGIS point column on events.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _text(name: str, **kwargs: object) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=True, **kwargs)  # type: ignore[arg-type]


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        _text("summary"),
        sa.Column("date_start", sa.Date(), nullable=False),
        sa.Column("date_end", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.String(16), nullable=False),
        _text("date_text"),
        _text("place_name"),
        _text("place_canonical"),
        sa.Column("place_country", sa.String(2), nullable=True),
        _text("place_region"),
        sa.Column("geo_precision", sa.String(16), nullable=True),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        _text("coordinate_source"),
        _text("location_id"),
        _text("said_at_name"),
        _text("said_at_canonical"),
        sa.Column("said_at_country", sa.String(2), nullable=True),
        _text("said_at_region"),
        sa.Column("said_at_geo_precision", sa.String(16), nullable=True),
        sa.Column("said_at_lat", sa.Float(), nullable=True),
        sa.Column("said_at_lon", sa.Float(), nullable=True),
        _text("said_at_coordinate_source"),
        sa.Column("actors", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("confidence", sa.String(8), nullable=False),
        _text("inference"),
        _text("source_publisher"),
        _text("source_title"),
        _text("source_url"),
        sa.Column("source_published", sa.Date(), nullable=True),
        _text("source_quote"),
        sa.Column("provenance", sa.JSON(), nullable=True),
        _text("type_label"),
        sa.Column("colour", sa.String(16), nullable=True),
        _text("acled_event_type"),
        _text("acled_sub_event_type"),
        sa.Column("cameo_code", sa.String(8), nullable=True),
        _text("cameo_label"),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
    )
    op.create_index("ix_events_type", "events", ["type"])
    op.create_index("ix_events_date_start", "events", ["date_start"])
    op.create_index("ix_events_date_end", "events", ["date_end"])
    op.create_table(
        "event_references",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(128), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        _text("url"),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
    )
    op.create_index("ix_event_references_event_id", "event_references", ["event_id"])
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("url", sa.Text(), nullable=True, unique=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        _text("place_name"),
        sa.Column("date_start", sa.Date(), nullable=False),
        sa.Column("date_end", sa.Date(), nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column(
            "merge_target", sa.String(128), sa.ForeignKey("events.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("event_id", sa.String(128), nullable=True),
        _text("reason"),
        _text("reviewer"),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'rejected', 'merged')", name="ck_drafts_status"
        ),
    )
    op.create_index("ix_drafts_article_id", "drafts", ["article_id"])
    op.create_index("ix_drafts_status", "drafts", ["status"])
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(128), nullable=True),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        _text("note"),
    )
    op.create_index("ix_changes_event_id", "changes", ["event_id"])
    op.create_index("ix_changes_draft_id", "changes", ["draft_id"])
    if op.get_bind().dialect.name == "postgresql":
        # A point layer for GIS: computed from lat/lon by the database, so no writer can let
        # it drift from them, and indexed for QGIS's window queries.
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        op.execute(
            "ALTER TABLE events ADD COLUMN geom geometry(Point, 4326) "
            "GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED"
        )
        op.execute("CREATE INDEX ix_events_geom ON events USING GIST (geom)")


def downgrade() -> None:
    for table in ("changes", "drafts", "articles", "event_references", "events"):
        op.drop_table(table)
