"""risk: stored trafficking-indicator assessments and officers' reviews

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 09:00:00.000000
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
        "risk_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("rules_version", sa.String(length=60), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("cause", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "cause IN ('claim','note','sighting','match','manual')", name=op.f("ck_risk_assessment_cause")
        ),
        sa.CheckConstraint("level IN (0, 1, 2)", name=op.f("ck_risk_assessment_level")),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_risk_assessment_claim_id_claim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessment")),
    )
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_assessment_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "risk_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("action IN ('escalate','dismiss','refer')", name=op.f("ck_risk_review_action")),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"], name=op.f("fk_risk_review_actor_id_user_account")),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["risk_assessment.id"], name=op.f("fk_risk_review_assessment_id_risk_assessment")
        ),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_risk_review_claim_id_claim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_review")),
    )
    with op.batch_alter_table("risk_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_review_claim_id"), ["claim_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("risk_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_review_claim_id"))

    op.drop_table("risk_review")
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_assessment_claim_id"))

    op.drop_table("risk_assessment")
