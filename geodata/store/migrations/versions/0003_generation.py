"""The store's generation: a counter raised by every transaction that logs a change, in commit
order (the newest change id is not: see ``geodata.store.changelog``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_state",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_store_state_one_row"),
    )
    # Start from the newest change id, what the cache key was before: it only grows.
    op.execute("INSERT INTO store_state (id, generation) SELECT 1, COALESCE(MAX(id), 0) FROM changes")


def downgrade() -> None:
    op.drop_table("store_state")
