"""access policy: requests for access and broken glass; the keys of the names the public reads

Officers of an unlinked member country read a claim's identification only (portal.access.policy).
``access_request`` holds their reasoned requests to the owner country and their emergency
("break-glass") access, each decided or reviewed by the owner country's coordinators.

``claim.public_name_keys`` holds the search keys of the given names and first surname only, so a
public search never confirms a hidden second surname, alias or document number. Existing claims
get theirs here, computed by the matching engine's pure key function.

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-06 08:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from portal.matching.lookup import index_keys
from portal.matching.records import PersonRecord, prepare

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None

KEY_LIST = sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")
BATCH = 2000


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "access_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "claim_id", sa.Integer(), sa.ForeignKey("claim.id", name="fk_access_request_claim_id_claim"), nullable=False
        ),
        sa.Column(
            "requester_id",
            sa.Integer(),
            sa.ForeignKey("user_account.id", name="fk_access_request_requester_id_user_account"),
            nullable=False,
        ),
        sa.Column("requester_country", sa.String(2), nullable=False),
        sa.Column("owner_country", sa.String(2), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "decided_by_id",
            sa.Integer(),
            sa.ForeignKey("user_account.id", name="fk_access_request_decided_by_id_user_account"),
            nullable=True,
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('request','break_glass')", name=op.f("ck_access_request_kind")),
        sa.CheckConstraint(
            "status IN ('pending','granted','refused','justified','unjustified')", name=op.f("ck_access_request_status")
        ),
    )
    op.create_index("ix_access_request_claim_requester", "access_request", ["claim_id", "requester_id"])
    op.create_index("ix_access_request_owner_country", "access_request", ["owner_country"])
    op.create_index("ix_access_request_status", "access_request", ["status"])

    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_name_keys", KEY_LIST, nullable=True))
    _fill_public_keys()
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.alter_column("public_name_keys", existing_type=KEY_LIST, nullable=False)
    if _is_postgresql():
        op.create_index("ix_claim_public_name_keys", "claim", ["public_name_keys"], postgresql_using="gin")


def _fill_public_keys() -> None:
    """Each existing claim's public keys, in batches of BATCH claims."""
    bind = op.get_bind()
    claim = sa.table(
        "claim",
        sa.column("id", sa.Integer()),
        sa.column("given_names", sa.String()),
        sa.column("first_surname", sa.String()),
        sa.column("public_name_keys", KEY_LIST),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(claim.c.id, claim.c.given_names, claim.c.first_surname)
            .where(claim.c.id > last)
            .order_by(claim.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            record = prepare(
                PersonRecord(id=str(row.id), given_names=row.given_names or "", first_surname=row.first_surname or "")
            )
            keys = sorted(index_keys(record))
            bind.execute(sa.update(claim).where(claim.c.id == row.id).values(public_name_keys=keys))
        last = rows[-1].id


def downgrade() -> None:
    if _is_postgresql():
        op.drop_index("ix_claim_public_name_keys", table_name="claim", postgresql_using="gin")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_column("public_name_keys")
    op.drop_index("ix_access_request_status", table_name="access_request")
    op.drop_index("ix_access_request_owner_country", table_name="access_request")
    op.drop_index("ix_access_request_claim_requester", table_name="access_request")
    op.drop_table("access_request")
