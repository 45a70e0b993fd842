"""tokens that are never handed out again, for outbox keys; a cadence's skipped occurrences

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00.000000

SQLite gives a deleted row's id to the next row, so outbox keys built from ids ("checkin:1:thread") matched
the keys of a deleted check-in's messages, already sent, and the new messages were never sent. Cadences,
rounds and decisions get a token instead, made when the row is created. Rows that exist already take their
id as token, so the keys of what they have queued, their recorded pings and their Answer buttons stay as
they are; new tokens are 32 hex digits and cannot equal an id.

`checkin_cadence.skipped_days` keeps `/checkin skip` through pause, resume and edits.

No batch table rebuild on SQLite: these tables are referenced with ON DELETE CASCADE, and dropping one to
rebuild it (with foreign keys on) would delete the rows that reference it. So the column is added NOT NULL with
an empty default (which SQLite keeps; PostgreSQL drops it), and uniqueness is a unique index.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("checkin_cadence", "checkin_round", "decision")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TABLES:
        op.add_column(table, sa.Column("token", sa.String(length=32), nullable=False, server_default=""))
        rows = sa.table(table, sa.column("id", sa.Integer), sa.column("token", sa.String(32)))
        op.execute(rows.update().values(token=sa.cast(rows.c.id, sa.String(32))))
        if not sqlite:
            op.alter_column(table, "token", server_default=None)
        op.create_index(f"uq_{table}_workspace_id_token", table, ["workspace_id", "token"], unique=True)
    op.add_column("checkin_cadence", sa.Column("skipped_days", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("checkin_cadence", "skipped_days")
    for table in TABLES:
        op.drop_index(f"uq_{table}_workspace_id_token", table_name=table)
        op.drop_column(table, "token")
