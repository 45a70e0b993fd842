"""person.is_bot: bots and apps (this one included) can hold no role

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-30 09:00:00.000000

Every profile is marked stale so the next request that needs it reads it again and learns whether it is a bot.
(Numbered 0009 because 0008 may be taken by a change made alongside; whichever lands second revises the other.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_bot", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.alter_column("is_bot", server_default=None, existing_type=sa.Boolean(), existing_nullable=False)
    op.execute("UPDATE person SET profile_refreshed_at = NULL")


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("is_bot")
