"""training: sessions that form the cascade, enrolments, and trainee accounts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 04:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('family','police','coordinator','trainer','admin')"
ROLES_AFTER = "role IN ('family','police','coordinator','trainer','admin','trainee')"


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.drop_constraint(op.f("ck_user_account_role"), type_="check")
        batch.create_check_constraint("role", ROLES_AFTER)
    op.create_table(
        "training_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("district", sa.String(length=120), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('planned','open','closed','cancelled')", name=op.f("ck_training_session_status")
        ),
        sa.CheckConstraint("capacity > 0", name=op.f("ck_training_session_capacity")),
        sa.ForeignKeyConstraint(
            ["country_code"], ["country.code"], name=op.f("fk_training_session_country_code_country")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["training_session.id"], name=op.f("fk_training_session_parent_id_training_session")
        ),
        sa.ForeignKeyConstraint(
            ["trainer_id"], ["user_account.id"], name=op.f("fk_training_session_trainer_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_session")),
    )
    op.create_index(op.f("ix_training_session_country_code"), "training_session", ["country_code"])
    op.create_index(op.f("ix_training_session_parent_id"), "training_session", ["parent_id"])
    op.create_index(op.f("ix_training_session_trainer_id"), "training_session", ["trainer_id"])
    op.create_table(
        "training_enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("agency", sa.String(length=120), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=True),
        sa.Column("exercises", sa.JSON(), nullable=False),
        sa.Column("certified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("certified_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('police','civil_society')", name=op.f("ck_training_enrolment_kind")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_session.id"],
            name=op.f("fk_training_enrolment_session_id_training_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_training_enrolment_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["certified_by_id"], ["user_account.id"], name=op.f("fk_training_enrolment_certified_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_enrolment")),
        sa.UniqueConstraint("session_id", "user_id", name=op.f("uq_training_enrolment_session_id")),
    )
    op.create_index(op.f("ix_training_enrolment_session_id"), "training_enrolment", ["session_id"])
    op.create_index(op.f("ix_training_enrolment_user_id"), "training_enrolment", ["user_id"])


def downgrade() -> None:
    op.drop_table("training_enrolment")
    op.drop_table("training_session")
    op.execute("DELETE FROM user_account WHERE role = 'trainee'")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_constraint(op.f("ck_user_account_role"), type_="check")
        batch.create_check_constraint("role", ROLES_BEFORE)
