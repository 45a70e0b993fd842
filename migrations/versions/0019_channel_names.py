"""channel names for the dashboard: each workspace's channels as Slack last named them

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("fetched_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_channel_name_workspace_id_workspace"), ondelete="CASCADE"
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_name")),
        sa.UniqueConstraint("workspace_id", "channel_id", name=op.f("uq_channel_name_workspace_id_channel_id")),
    )


def downgrade() -> None:
    op.drop_table("channel_name")
