"""``admin1``/``admin2`` found again for the events already stored, now that the regions of a
point come from GeoNames' towns with their second-level regions (:mod:`geodata.admin`): before,
an event at a town got no ``admin2`` and its ``admin1`` came from towns of 15,000 or more. The
place's own hints (``place_region``, ``place_admin2``) still come first. No column changes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from geodata.store.rows import refill_admin_areas

    refill_admin_areas(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the columns stay, with the values found here."""
