"""Event ids compare and sort by code point on PostgreSQL too (the "C" collation), as on SQLite.

A database made with a language collation (en_US, ICU) sorts ``a_1`` before ``a-1``: the
store's listing, the map's frame and exports would come in another order than on SQLite and
than Python's ``sorted``. A column collation (rather than ``COLLATE "C"`` in each query) keeps the
primary key's index usable for ``ORDER BY id`` and for prefix searches, and every client (QGIS,
psql) sees the same order. SQLite's BINARY collation already compares UTF-8 bytes, which is
code point order: nothing to do there.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Every column that holds an event id: (table, column, nullable).
EVENT_ID_COLUMNS = (
    ("events", "id", False),
    ("event_references", "event_id", False),
    ("drafts", "merge_target", True),
    ("drafts", "event_id", True),
    ("changes", "event_id", True),
)


def _collate(collation: str | None) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, nullable in EVENT_ID_COLUMNS:
        op.alter_column(
            table,
            column,
            type_=sa.String(128, collation=collation),
            existing_type=sa.String(128),
            existing_nullable=nullable,
        )


def upgrade() -> None:
    _collate("C")


def downgrade() -> None:
    _collate("default")
