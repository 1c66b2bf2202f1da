"""countries the portal reaches beyond its members: Haiti (Haitian Creole) and Brazil (Portuguese)

Not member countries (inactive: no case is filed there), but a deployment serving them
(PORTAL_COUNTRY=HT or BR) greets a visitor whose browser asks for no language in the country's own.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 05:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

REACHED = [("HT", "Haití", "ht"), ("BR", "Brasil", "pt")]


def upgrade() -> None:
    country = sa.table(
        "country", sa.column("code"), sa.column("name"), sa.column("default_locale"), sa.column("active")
    )
    op.bulk_insert(country, [{"code": c, "name": n, "default_locale": lc, "active": False} for c, n, lc in REACHED])


def downgrade() -> None:
    op.execute("DELETE FROM country WHERE code IN ('HT', 'BR')")
