"""attention: urgency and recipient on outbox rows, people's working hours, focus and budget, workspace settings

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 17:50:00.000000

Columns are added in place (no table rebuild on SQLite); rows already queued carry no urgency and are sent as
before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = models.base.UTCDateTime(timezone=True)
DELIVERY = (
    ("urgency", sa.String(8)),
    ("interrupts", sa.String(32)),
    ("held_reason", sa.String(32)),
    ("cleared_at", WHEN),
    ("responded_at", WHEN),
)
PERSON = (("work_hours", sa.String(40)), ("nudge_budget", sa.Integer()), ("focus_until", WHEN))


def upgrade() -> None:
    for name, kind in DELIVERY:
        op.add_column("delivery", sa.Column(name, kind, nullable=True))
    op.create_index("ix_delivery_interrupts", "delivery", ["workspace_id", "interrupts", "cleared_at"])
    for name, kind in PERSON:
        op.add_column("person", sa.Column(name, kind, nullable=True))
    op.create_table(
        "attention_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("daily_budget", sa.Integer(), nullable=False),
        sa.Column("urgent_outside_hours", sa.Boolean(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["person.id"],
            name=op.f("fk_attention_settings_updated_by_id_person"),
            ondelete="SET NULL",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_attention_settings_workspace_id_workspace"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attention_settings")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_attention_settings_workspace_id")),
    )


def downgrade() -> None:
    op.drop_table("attention_settings")
    op.drop_index("ix_delivery_interrupts", table_name="delivery")
    for table, columns in (("person", PERSON), ("delivery", DELIVERY)):
        for name, _ in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
