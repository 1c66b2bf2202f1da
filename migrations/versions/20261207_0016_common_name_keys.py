"""common name keys: the search keys many published claims share, counted by the worker

A search of one common word ("Quispe" in a million claims) used to count its claims up to the
limit it shows (1,000) before reading its page, which at a million claims visits thousands of
table pages. ``common_name_key`` holds, for each key that more than that many published claims
carry, how many do; the worker counts them afresh every few minutes (portal.cases.search).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "common_name_key",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_common_name_key")),
    )


def downgrade() -> None:
    op.drop_table("common_name_key")
