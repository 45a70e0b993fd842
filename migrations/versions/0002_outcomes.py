"""outcomes, metrics, progress and priorities

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:34:38.422349
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ref_counter",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_ref_counter_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("workspace_id", "kind", name=op.f("pk_ref_counter")),
    )
    op.create_table(
        "priority",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("archived_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["person.id"], name=op.f("fk_priority_created_by_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_priority_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_priority_workspace_id_number")),
    )
    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_priority_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("definition_of_done", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("parent_priority_id", sa.Integer(), nullable=True),
        sa.Column("parent_outcome_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "on_track",
                "at_risk",
                "off_track",
                "done",
                "dropped",
                name="outcomestatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("last_progress_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "parent_priority_id IS NULL OR parent_outcome_id IS NULL", name=op.f("ck_outcome_one_parent")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["person.id"], name=op.f("fk_outcome_created_by_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["person.id"], name=op.f("fk_outcome_owner_id_person")),
        sa.ForeignKeyConstraint(
            ["parent_outcome_id"],
            ["outcome.id"],
            name=op.f("fk_outcome_parent_outcome_id_outcome"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["parent_priority_id"],
            ["priority.id"],
            name=op.f("fk_outcome_parent_priority_id_priority"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_outcome_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_outcome_workspace_id_number")),
    )
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.create_index("ix_outcome_channel", ["workspace_id", "channel_id"], unique=False)
        batch_op.create_index("ix_outcome_owner", ["workspace_id", "owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outcome_parent_outcome_id"), ["parent_outcome_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outcome_parent_priority_id"), ["parent_priority_id"], unique=False)

    op.create_table(
        "metric",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind", sa.Enum("leading", "lagging", name="metrickind", native_enum=False, length=16), nullable=False
        ),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("baseline", sa.Double(), nullable=False),
        sa.Column("target", sa.Double(), nullable=False),
        sa.Column("direction", sa.Enum("up", "down", name="direction", native_enum=False, length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("current_value", sa.Double(), nullable=True),
        sa.Column("current_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["outcome_id"], ["outcome.id"], name=op.f("fk_metric_outcome_id_outcome"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_metric_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric")),
        sa.UniqueConstraint("outcome_id", "slug", name=op.f("uq_metric_outcome_id_slug")),
    )
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_metric_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "progress_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column(
            "status_before",
            sa.Enum(
                "on_track",
                "at_risk",
                "off_track",
                "done",
                "dropped",
                name="outcomestatus",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column(
            "status_after",
            sa.Enum(
                "on_track",
                "at_risk",
                "off_track",
                "done",
                "dropped",
                name="outcomestatus",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("blocker", sa.Text(), nullable=True),
        sa.Column(
            "source",
            sa.Enum("command", "modal", "card", "checkin", name="progresssource", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["person.id"], name=op.f("fk_progress_update_author_id_person")),
        sa.ForeignKeyConstraint(
            ["outcome_id"], ["outcome.id"], name=op.f("fk_progress_update_outcome_id_outcome"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_progress_update_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_update")),
    )
    with op.batch_alter_table("progress_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_progress_update_outcome_id"), ["outcome_id", "created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_progress_update_workspace_id"), ["workspace_id", "author_id"], unique=False
        )

    op.create_table(
        "metric_reading",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("recorded_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["person.id"], name=op.f("fk_metric_reading_author_id_person")),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], name=op.f("fk_metric_reading_metric_id_metric"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["progress_update.id"],
            name=op.f("fk_metric_reading_update_id_progress_update"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_metric_reading_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_reading")),
    )
    with op.batch_alter_table("metric_reading", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_metric_reading_metric_id"), ["metric_id", "recorded_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_metric_reading_update_id"), ["update_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("metric_reading", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metric_reading_update_id"))
        batch_op.drop_index(batch_op.f("ix_metric_reading_metric_id"))

    op.drop_table("metric_reading")
    with op.batch_alter_table("progress_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_progress_update_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_progress_update_outcome_id"))

    op.drop_table("progress_update")
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metric_workspace_id"))

    op.drop_table("metric")
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_parent_priority_id"))
        batch_op.drop_index(batch_op.f("ix_outcome_parent_outcome_id"))
        batch_op.drop_index("ix_outcome_owner")
        batch_op.drop_index("ix_outcome_channel")

    op.drop_table("outcome")
    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priority_workspace_id"))

    op.drop_table("priority")
    op.drop_table("ref_counter")
