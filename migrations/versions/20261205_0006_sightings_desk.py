"""sightings desk: a witness reference and private link, officers' verification and closing, additions

Existing sightings get a random reference (no private link: their witnesses were never given one).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 13:00:00.000000
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The witness reference's alphabet, as portal/sightings/services.py makes it (no 0/O, 1/I/L).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _reference() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"AV-{body[:4]}-{body[4:]}"


def upgrade() -> None:
    with op.batch_alter_table("sighting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("witness_key_digest", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("verified_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(length=8), nullable=False, server_default="open"))
        batch_op.add_column(sa.Column("closed_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))

    bind = op.get_bind()
    sighting = sa.table("sighting", sa.column("id", sa.Integer), sa.column("reference", sa.String))
    taken: set[str] = set()
    for (sighting_id,) in bind.execute(sa.select(sighting.c.id)).all():
        reference = _reference()
        while reference in taken:
            reference = _reference()
        taken.add(reference)
        bind.execute(sighting.update().where(sighting.c.id == sighting_id).values(reference=reference))

    with op.batch_alter_table("sighting", schema=None) as batch_op:
        batch_op.alter_column("reference", existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_sighting_reference"), ["reference"])
        batch_op.create_unique_constraint(batch_op.f("uq_sighting_witness_key_digest"), ["witness_key_digest"])
        batch_op.create_index(batch_op.f("ix_sighting_status"), ["status"], unique=False)
        batch_op.create_check_constraint(op.f("ck_sighting_status"), "status IN ('open','closed')")
        batch_op.create_foreign_key(
            batch_op.f("fk_sighting_verified_by_id_user_account"), "user_account", ["verified_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_sighting_closed_by_id_user_account"), "user_account", ["closed_by_id"], ["id"]
        )

    op.create_table(
        "sighting_addition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sighting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sighting_id"], ["sighting.id"], name=op.f("fk_sighting_addition_sighting_id_sighting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sighting_addition")),
    )
    with op.batch_alter_table("sighting_addition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sighting_addition_sighting_id"), ["sighting_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sighting_addition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sighting_addition_sighting_id"))
    op.drop_table("sighting_addition")
    with op.batch_alter_table("sighting", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_sighting_closed_by_id_user_account"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_sighting_verified_by_id_user_account"), type_="foreignkey")
        batch_op.drop_constraint(op.f("ck_sighting_status"), type_="check")
        batch_op.drop_index(batch_op.f("ix_sighting_status"))
        batch_op.drop_constraint(batch_op.f("uq_sighting_witness_key_digest"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_sighting_reference"), type_="unique")
        for column in (
            "closed_at",
            "closed_by_id",
            "closed_reason",
            "status",
            "verified_at",
            "verified_by_id",
            "witness_key_digest",
            "reference",
        ):
            batch_op.drop_column(column)
