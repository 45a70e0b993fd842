"""action items and their history

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 12:40:23.239865

Numbered 0010 while 0008 and 0009 are written alongside; re-chained when they merge.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "action_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_time", sa.Time(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("open", "done", "dropped", name="actionstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("drop_reason", sa.String(length=300), nullable=True),
        sa.Column("closed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column(
            "source_kind",
            sa.Enum(
                "command", "message", "meeting", "decision", "checkin", name="sourcekind", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("source_ref", sa.String(length=40), nullable=True),
        sa.Column("source_link", sa.String(length=500), nullable=True),
        sa.Column("source_channel", sa.String(length=32), nullable=True),
        sa.Column("source_ts", sa.String(length=32), nullable=True),
        sa.Column("plan", sa.Integer(), nullable=False),
        sa.Column("plan_started_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("next_nudge_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["person.id"], name=op.f("fk_action_item_created_by_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"], ["outcome.id"], name=op.f("fk_action_item_outcome_id_outcome"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["person.id"], name=op.f("fk_action_item_owner_id_person")),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_action_item_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_item")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_action_item_workspace_id_number")),
    )
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.create_index("ix_action_item_next_nudge", ["status", "next_nudge_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_item_outcome_id"), ["outcome_id"], unique=False)
        batch_op.create_index("ix_action_item_owner", ["workspace_id", "owner_id", "status"], unique=False)

    op.create_table(
        "action_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "created",
                "nudged",
                "done",
                "dropped",
                "snoozed",
                "reassigned",
                name="actioneventkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("ping_key", sa.String(length=120), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action_item.id"], name=op.f("fk_action_event_action_id_action_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["person.id"], name=op.f("fk_action_event_actor_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_action_event_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_event")),
        sa.UniqueConstraint("action_id", "ping_key", name=op.f("uq_action_event_action_id_ping_key")),
    )
    with op.batch_alter_table("action_event", schema=None) as batch_op:
        batch_op.create_index("ix_action_event_action_at", ["action_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_event_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("action_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_event_workspace_id"))
        batch_op.drop_index("ix_action_event_action_at")

    op.drop_table("action_event")
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.drop_index("ix_action_item_owner")
        batch_op.drop_index(batch_op.f("ix_action_item_outcome_id"))
        batch_op.drop_index("ix_action_item_next_nudge")

    op.drop_table("action_item")
