"""pre_read_reader.asked_at: a person is asked once for all the pre-reads of a meeting they must read

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 16:40:00.000000

Readers already stored count as asked, so nobody is asked again for what they were asked before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("pre_read_reader", sa.Column("asked_at", models.base.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE pre_read_reader SET asked_at = CURRENT_TIMESTAMP")


def downgrade() -> None:
    op.execute("ALTER TABLE pre_read_reader DROP COLUMN asked_at")
