"""name keys on the claim: an inverted (GIN) index on PostgreSQL instead of one row per key

Search looked names up in claim_name_key, one row per key and claim. A common name ("María
Mamani") then meant grouping some 55,000 key rows at 100,000 claims, about 70 ms in PostgreSQL.
The keys now live on the claim, as an array with a GIN index on PostgreSQL (JSON on SQLite), so
that PostgreSQL intersects posting lists in the index instead. The keys carry over unchanged.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

KEY_LIST = sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_keys", KEY_LIST, nullable=True))
    if _is_postgresql():
        op.execute(
            "UPDATE claim SET name_keys = k.keys FROM "
            "(SELECT claim_id, array_agg(key ORDER BY key) AS keys FROM claim_name_key GROUP BY claim_id) AS k "
            "WHERE k.claim_id = claim.id"
        )
        op.execute("UPDATE claim SET name_keys = '{}' WHERE name_keys IS NULL")
    else:
        op.execute(
            "UPDATE claim SET name_keys = (SELECT json_group_array(key) FROM "
            "(SELECT key FROM claim_name_key WHERE claim_id = claim.id ORDER BY key))"
        )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.alter_column("name_keys", existing_type=KEY_LIST, nullable=False)
    if _is_postgresql():
        op.create_index("ix_claim_name_keys", "claim", ["name_keys"], postgresql_using="gin")
    with op.batch_alter_table("claim_name_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_name_key_claim_id"))
    op.drop_table("claim_name_key")


def downgrade() -> None:
    op.create_table(
        "claim_name_key",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_claim_name_key_claim_id_claim")),
        sa.PrimaryKeyConstraint("key", "claim_id", name=op.f("pk_claim_name_key")),
    )
    with op.batch_alter_table("claim_name_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_name_key_claim_id"), ["claim_id"], unique=False)
    if _is_postgresql():
        op.execute("INSERT INTO claim_name_key (key, claim_id) SELECT DISTINCT unnest(name_keys), id FROM claim")
        op.drop_index("ix_claim_name_keys", table_name="claim", postgresql_using="gin")
    else:
        op.execute(
            "INSERT INTO claim_name_key (key, claim_id) "
            "SELECT DISTINCT k.value, claim.id FROM claim, json_each(claim.name_keys) AS k"
        )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_column("name_keys")
