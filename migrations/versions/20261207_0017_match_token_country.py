"""name tokens by country: two claims of one country weigh a name by that country's counts

The matching engine counts how often each name occurs to weigh an agreement on it ("Mamani" weak,
"Xicará" strong). Two claims of one country now take the counts among that country's claims once it
has enough of them (``scoring.LOCAL_MIN_RECORDS``): "Mamani" is commoner among Bolivia's claims than
in the network. ``match_token.country`` holds the claim's country, so that a country's count reads
one index; ``claim.country`` is indexed for the number of claims of a country.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 21:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country", sa.String(length=2), server_default="", nullable=False))
    op.execute(
        "UPDATE match_token SET country = (SELECT claim.country FROM claim WHERE claim.id = match_token.claim_id)"
    )
    with op.batch_alter_table("match_token", schema=None) as batch_op:
        batch_op.create_index("ix_match_token_country_kind_token", ["country", "kind", "token"], unique=False)
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_country"), ["country"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_country"))
    with op.batch_alter_table("match_token", schema=None) as batch_op:
        batch_op.drop_index("ix_match_token_country_kind_token")
        batch_op.drop_column("country")
