"""the learning loop's tokens: retrospectives, proposed changes and experiments get a never-reused token

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 21:00:00.000000

Their DMs (write the retrospective, a proposed change for the owner, an experiment's end) and their buttons are
keyed by a token made when the row is created, never by an id SQLite may hand out again. As in 0008, the column
is added NOT NULL with an empty default and rows that exist take their id; uniqueness is a unique index.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("retro", "proposed_change", "experiment")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TABLES:
        op.add_column(table, sa.Column("token", sa.String(length=32), nullable=False, server_default=""))
        rows = sa.table(table, sa.column("id", sa.Integer), sa.column("token", sa.String(32)))
        op.execute(rows.update().values(token=sa.cast(rows.c.id, sa.String(32))))
        if not sqlite:
            op.alter_column(table, "token", server_default=None)
        op.create_index(f"uq_{table}_workspace_id_token", table, ["workspace_id", "token"], unique=True)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"uq_{table}_workspace_id_token", table_name=table)
        op.drop_column(table, "token")
