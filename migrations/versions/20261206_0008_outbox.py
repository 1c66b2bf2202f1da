"""outbox: messages written with the change that causes them, public subscriptions, officers' digest
choice, and the language a witness wrote in

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 03:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=60), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("context", sa.JSON(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=False),
        sa.CheckConstraint("status IN ('pending','held','sent','dead')", name=op.f("ck_outbox_message_status")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_outbox_message_user_id_user_account"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    op.create_index("ix_outbox_message_due", "outbox_message", ["status", "next_attempt_at"], unique=False)
    op.create_index(op.f("ix_outbox_message_user_id"), "outbox_message", ["user_id"], unique=False)
    op.create_table(
        "claim_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_subscription_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_subscription")),
        sa.UniqueConstraint("claim_id", "address", name=op.f("uq_claim_subscription_claim_id")),
    )
    op.create_index(op.f("ix_claim_subscription_claim_id"), "claim_subscription", ["claim_id"], unique=False)
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("notify_candidates", sa.String(length=8), nullable=False, server_default="daily"))
    with op.batch_alter_table("sighting") as batch:
        batch.add_column(sa.Column("witness_locale", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sighting") as batch:
        batch.drop_column("witness_locale")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("notify_candidates")
    op.drop_index(op.f("ix_claim_subscription_claim_id"), table_name="claim_subscription")
    op.drop_table("claim_subscription")
    op.drop_index(op.f("ix_outbox_message_user_id"), table_name="outbox_message")
    op.drop_index("ix_outbox_message_due", table_name="outbox_message")
    op.drop_table("outbox_message")
