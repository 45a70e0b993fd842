"""person.is_bot: bots and apps (this one included) can hold no role

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 09:00:00.000000

Every profile is marked stale so the next request that needs it reads it again and learns whether it is a bot.
(Numbered 0009 because 0008 may be taken by a change made alongside; whichever lands second revises the other.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No table rebuild on SQLite (batch mode would drop and re-create `person`, which rows elsewhere reference
    # with foreign keys on): add the column in place; SQLite keeps the server default, PostgreSQL drops it.
    op.add_column("person", sa.Column("is_bot", sa.Boolean(), nullable=False, server_default=sa.false()))
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("person", "is_bot", server_default=None, existing_type=sa.Boolean(), existing_nullable=False)
    op.execute("UPDATE person SET profile_refreshed_at = NULL")  # read every profile once more, is_bot included


def downgrade() -> None:
    op.execute("ALTER TABLE person DROP COLUMN is_bot")  # SQLite 3.35+ and PostgreSQL both drop in place
