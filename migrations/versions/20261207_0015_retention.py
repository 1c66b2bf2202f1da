"""retention: append-only tables guarded by the database; when a claim was anonymised, a witness forgotten

The append-only tables (notes, audit events, risk assessments and reviews, witnesses' additions)
refuse UPDATE and DELETE in the database itself, not only in the ORM: a trigger on each, on
PostgreSQL and on SQLite. The one way through is the retention code's per-transaction override
(portal.audit.rewrite): on PostgreSQL the setting ``portal.append_only_override``, set with
``SET LOCAL`` so that it ends with the transaction; on SQLite a row in ``append_only_override``,
written and removed inside the transaction that rewrites (PostgreSQL has the table too, empty, so
that both databases hold the same schema).

``claim.anonymised_at`` and ``sighting.contact_purged_at`` say when retention or an erasure
request removed a claim's personal data or a witness's contact.

Caution for later migrations: on SQLite a batch ALTER of one of these tables copies and drops it,
and its triggers with it; recreate them (``create_sqlite_triggers``). tests/retention checks that
every append-only table has its triggers at head.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# The tables models mark with portal.db.append_only(), as they are at this revision.
TABLES = ("audit_event", "note", "risk_assessment", "risk_review", "sighting_addition")
OPERATIONS = ("update", "delete")

PG_FUNCTION = """
CREATE FUNCTION portal_refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('portal.append_only_override', true), '') = 'on' THEN
        IF TG_LEVEL = 'STATEMENT' THEN
            RETURN NULL;
        ELSIF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$
"""


def create_sqlite_triggers(table: str) -> None:
    """The two SQLite triggers of ``table``: UPDATE and DELETE are refused unless the override row exists."""
    for operation in OPERATIONS:
        # Names from this module's constants, never from input.
        op.execute(
            f"CREATE TRIGGER {table}_append_only_{operation} BEFORE {operation.upper()} ON {table} "  # noqa: S608
            "WHEN NOT EXISTS (SELECT 1 FROM append_only_override) "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: {operation.upper()} refused'); END"
        )


def upgrade() -> None:
    op.create_table(
        "append_only_override",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_append_only_override_one_row")),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("sighting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_purged_at", sa.DateTime(timezone=True), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION portal_refuse_append_only_change()"
            )
            # TRUNCATE fires no row trigger: refuse it by statement.
            op.execute(
                f"CREATE TRIGGER {table}_append_only_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_append_only_change()"
            )
    else:
        for table in TABLES:
            create_sqlite_triggers(table)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_truncate ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS portal_refuse_append_only_change()")
    else:
        for table in TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_{operation}")
    with op.batch_alter_table("sighting", schema=None) as batch_op:
        batch_op.drop_column("contact_purged_at")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
    op.drop_table("append_only_override")
