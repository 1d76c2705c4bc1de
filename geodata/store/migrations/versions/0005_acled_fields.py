"""ACLED's fields as columns of ``events``: the two sides (``actor1``, ``actor2``) with their
actor types, the reported fatalities (``fatalities_low``, ``fatalities_high``; null when
unknown), a place's second-level region hint, and ``admin1``/``admin2`` as found from the
event's point (:func:`geodata.admin.admin_areas`), filled here for the events already stored.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TEXT = ("place_admin2", "said_at_admin2", "actor1", "actor2", "admin1", "admin2")
_TYPES = ("actor1_type", "actor2_type")
_TOLLS = ("fatalities_low", "fatalities_high")


def upgrade() -> None:
    for column in _TEXT:
        op.add_column("events", sa.Column(column, sa.Text(), nullable=True))
    for column in _TYPES:
        op.add_column("events", sa.Column(column, sa.String(32), nullable=True))
    for column in _TOLLS:
        op.add_column("events", sa.Column(column, sa.Integer(), nullable=True))
    _fill_admin_areas()


def _fill_admin_areas() -> None:
    """admin1/admin2 of the events already stored (their places have no admin2 hint yet)."""
    from geodata.store.rows import refill_admin_areas

    refill_admin_areas(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:  # SQLite drops a column by a copy
        for column in (*_TOLLS, *_TYPES, *_TEXT):
            batch.drop_column(column)
