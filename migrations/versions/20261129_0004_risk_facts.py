"""risk facts: the offer, recruiter identifiers, vulnerability facts, sighting conditions, note flags

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows get the empty values through server defaults (the models set them on insert).
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offer", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column("prior_disappearances", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("missing_from_state_care", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("occupation", sa.String(length=30), nullable=False, server_default=""))
        batch_op.create_check_constraint(op.f("ck_claim_prior_disappearances"), "prior_disappearances BETWEEN 0 AND 50")

    with op.batch_alter_table("sighting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("conditions", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column("free_to_leave", sa.String(length=8), nullable=False, server_default=""))
        batch_op.create_check_constraint(
            op.f("ck_sighting_free_to_leave"), "free_to_leave IN ('yes','no','unknown','')"
        )

    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flags", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))

    op.create_table(
        "recruiter_identifier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=120), nullable=False),
        sa.CheckConstraint(
            "kind IN ('phone','social_handle','vehicle_plate')", name=op.f("ck_recruiter_identifier_kind")
        ),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_recruiter_identifier_claim_id_claim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruiter_identifier")),
        sa.UniqueConstraint("claim_id", "kind", "value", name="uq_recruiter_identifier_claim_kind_value"),
    )
    with op.batch_alter_table("recruiter_identifier", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruiter_identifier_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index("ix_recruiter_identifier_kind_value", ["kind", "value"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recruiter_identifier", schema=None) as batch_op:
        batch_op.drop_index("ix_recruiter_identifier_kind_value")
        batch_op.drop_index(batch_op.f("ix_recruiter_identifier_claim_id"))

    op.drop_table("recruiter_identifier")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_column("flags")

    with op.batch_alter_table("sighting", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_sighting_free_to_leave"), type_="check")
        batch_op.drop_column("free_to_leave")
        batch_op.drop_column("conditions")

    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_claim_prior_disappearances"), type_="check")
        batch_op.drop_column("occupation")
        batch_op.drop_column("missing_from_state_care")
        batch_op.drop_column("prior_disappearances")
        batch_op.drop_column("offer")
