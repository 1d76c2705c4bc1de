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
    import numpy as np

    from geodata.admin import admin_areas

    events = sa.table(
        "events",
        sa.column("id", sa.String),
        sa.column("lat", sa.Float),
        sa.column("lon", sa.Float),
        sa.column("place_region", sa.Text),
        sa.column("geo_precision", sa.String),
        sa.column("admin1", sa.Text),
        sa.column("admin2", sa.Text),
    )
    bind = op.get_bind()
    columns = (events.c.id, events.c.lat, events.c.lon, events.c.place_region, events.c.geo_precision)
    rows = bind.execute(sa.select(*columns)).all()
    if not rows:
        return
    first, second = admin_areas(
        np.array([r.lat for r in rows], dtype=float),
        np.array([r.lon for r in rows], dtype=float),
        [r.place_region for r in rows],
        [None] * len(rows),
        [r.geo_precision for r in rows],
    )
    update = (
        sa.update(events)
        .where(events.c.id == sa.bindparam("key"))
        .values(admin1=sa.bindparam("a1"), admin2=sa.bindparam("a2"))
    )
    found = zip(rows, first, second, strict=True)
    bind.execute(update, [{"key": r.id, "a1": a, "a2": b} for r, a, b in found])


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:  # SQLite drops a column by a copy
        for column in (*_TOLLS, *_TYPES, *_TEXT):
            batch.drop_column(column)
