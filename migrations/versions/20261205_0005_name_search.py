"""name search: the keys a claim is found under, the sound vocabulary, the age when last seen

Search stops scanning claims in Python: it looks names up in claim_name_key, with the matching
engine's folding, sounds and nicknames (portal/matching/lookup.py). Existing claims are indexed
here, with the engine as it is today, so that an upgraded registry is searchable at once.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 12:00:00.000000
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

from portal.matching.lookup import index_keys, sounds_of
from portal.matching.records import PersonRecord, prepare

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 2000

claim = sa.table(
    "claim",
    sa.column("id", sa.Integer),
    sa.column("given_names", sa.String),
    sa.column("first_surname", sa.String),
    sa.column("second_surname", sa.String),
    sa.column("aliases", sa.JSON),
    sa.column("birth_date", sa.Date),
    sa.column("birth_date_precision", sa.String),
    sa.column("age_min", sa.Integer),
    sa.column("age_max", sa.Integer),
    sa.column("document_id", sa.String),
    sa.column("event_date", sa.Date),
    sa.column("age_seen_min", sa.Integer),
    sa.column("age_seen_max", sa.Integer),
)
name_key = sa.table("claim_name_key", sa.column("key", sa.String), sa.column("claim_id", sa.Integer))
name_sound = sa.table("name_sound", sa.column("sound", sa.String))


def _age_seen(row: sa.Row[tuple[object, ...]]) -> tuple[int | None, int | None]:
    """The age when last seen, as portal.cases.rules.age_range computed it at this revision."""
    born, seen = row.birth_date, row.event_date
    if isinstance(born, date) and isinstance(seen, date):
        age = seen.year - born.year - ((seen.month, seen.day) < (born.month, born.day))
        if row.birth_date_precision == "day":
            return age, age
        return max(0, age - 1), age
    return row.age_min, row.age_max


def _index_existing_claims() -> None:
    bind = op.get_bind()
    sounds: set[str] = set()
    last = 0
    while True:
        rows = bind.execute(sa.select(claim).where(claim.c.id > last).order_by(claim.c.id).limit(BATCH)).all()
        if not rows:
            break
        keys = []
        for row in rows:
            prepared = prepare(
                PersonRecord(
                    id=str(row.id),
                    given_names=row.given_names or "",
                    first_surname=row.first_surname or "",
                    second_surname=row.second_surname or "",
                    aliases=tuple(row.aliases or ()),
                    document_id=row.document_id or "",
                )
            )
            keys.extend({"key": k, "claim_id": row.id} for k in sorted(index_keys(prepared)))
            sounds.update(sounds_of(prepared))
            low, high = _age_seen(row)
            bind.execute(claim.update().where(claim.c.id == row.id).values(age_seen_min=low, age_seen_max=high))
        if keys:
            bind.execute(name_key.insert(), keys)
        last = rows[-1].id
    if sounds:
        bind.execute(name_sound.insert(), [{"sound": s} for s in sorted(sounds)])


def upgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("age_seen_min", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("age_seen_max", sa.Integer(), nullable=True))
        batch_op.drop_column("search_names")

    op.create_table(
        "claim_name_key",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_claim_name_key_claim_id_claim")),
        sa.PrimaryKeyConstraint("key", "claim_id", name=op.f("pk_claim_name_key")),
    )
    with op.batch_alter_table("claim_name_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_name_key_claim_id"), ["claim_id"], unique=False)
    op.create_table(
        "name_sound",
        sa.Column("sound", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("sound", name=op.f("pk_name_sound")),
    )
    _index_existing_claims()


def downgrade() -> None:
    op.drop_table("name_sound")
    with op.batch_alter_table("claim_name_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_name_key_claim_id"))
    op.drop_table("claim_name_key")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_names", sa.Text(), nullable=False, server_default=""))
        batch_op.drop_column("age_seen_max")
        batch_op.drop_column("age_seen_min")
