"""widen the Slack token columns for their encrypted form

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 09:00:00.000000

Fernet ciphertext is about 1.8 times the token's length, so slack_sdk's 200-character columns become 400
(enough for the ciphertext of any value the old column could hold). Downgrading shrinks them back; on
PostgreSQL that refuses while any stored value is longer than 200 characters, which encrypted ones are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SECRET_COLUMNS = {
    "slack_installations": (
        "bot_token",
        "bot_refresh_token",
        "user_token",
        "user_refresh_token",
        "incoming_webhook_url",
    ),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


def _retype(old: int, new: int) -> None:
    for table, columns in SECRET_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(
                    column, existing_type=sa.String(length=old), type_=sa.String(length=new), existing_nullable=True
                )


def upgrade() -> None:
    _retype(200, 400)


def downgrade() -> None:
    _retype(400, 200)
