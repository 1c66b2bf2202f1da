"""account life-cycle: verified e-mail, login throttle per account and address, token expiry

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 09:00:00.000000
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Tokens made before expiry existed keep working for the default lifetime, counted from the upgrade.
LEGACY_TOKEN_DAYS = 90


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=45), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_login_throttle_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_throttle")),
        sa.UniqueConstraint("user_id", "address", name=op.f("uq_login_throttle_user_id")),
    )
    # Accounts made before verification existed were usable: they stay so.
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("lockout_notified_at", sa.DateTime(timezone=True), nullable=True))
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")
    op.execute("UPDATE user_account SET email_verified_at = created_at")
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    expiry = datetime.now(UTC) + timedelta(days=LEGACY_TOKEN_DAYS)
    op.execute(
        sa.text("UPDATE api_token SET expires_at = :expiry").bindparams(
            sa.bindparam("expiry", expiry, type_=sa.DateTime(timezone=True))
        )
    )
    with op.batch_alter_table("api_token") as batch:
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("expires_at")
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch.drop_column("lockout_notified_at")
        batch.drop_column("email_verified_at")
    op.drop_table("login_throttle")
