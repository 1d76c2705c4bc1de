"""Drafts linked across reports: a pending draft may report the same event as another pending
draft (``duplicate_of``), keeps the evidence of the match it was proposed on (``match``) and
the point its place resolved to (``lat``, ``lon``), so later drafts compare with it without
geocoding it again. Indexes for finding candidates by type, date and place.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite cannot add a constraint to a table: batch mode copies the table there (the drafts
    # queue, small), and is a plain ALTER TABLE on PostgreSQL.
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("duplicate_of", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("match", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("lat", sa.Float(), nullable=True))
        batch.add_column(sa.Column("lon", sa.Float(), nullable=True))
        batch.create_foreign_key(
            "fk_drafts_duplicate_of", "drafts", ["duplicate_of"], ["id"], ondelete="SET NULL"
        )
    op.create_index("ix_drafts_duplicate_of", "drafts", ["duplicate_of"])
    # A new draft's candidates are read by kind and window, then place: these indexes hold
    # every column the search tests, so rows are read only when they match.
    op.create_index("ix_drafts_match", "drafts", ["status", "type", "date_start", "date_end", "lat", "lon"])
    op.create_index("ix_events_match", "events", ["type", "date_start", "date_end", "lat", "lon"])


def downgrade() -> None:
    op.drop_index("ix_events_match", "events")
    op.drop_index("ix_drafts_match", "drafts")
    op.drop_index("ix_drafts_duplicate_of", "drafts")
    with op.batch_alter_table("drafts") as batch:  # SQLite drops a referencing column by a copy
        for column in ("lon", "lat", "match", "duplicate_of"):
            batch.drop_column(column)
