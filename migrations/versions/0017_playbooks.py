"""playbooks: versioned checklists, their runs and timelines, retrospectives, proposed changes, experiments

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 20:53:59.308033
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "playbook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("onboarding", "launch", "incident", "other", name="playbookkind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("review_days", sa.Integer(), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("draft_steps", sa.JSON(), nullable=True),
        sa.Column("draft_by_id", sa.Integer(), nullable=True),
        sa.Column("draft_updated_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reviewed_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("review_asked_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archived_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_by_id"], ["person.id"], name=op.f("fk_playbook_draft_by_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["person.id"], name=op.f("fk_playbook_owner_id_person")),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_playbook_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_playbook_workspace_id_number")),
    )
    with op.batch_alter_table("playbook", schema=None) as batch_op:
        batch_op.create_index("ix_playbook_review", ["workspace_id", "reviewed_at"], unique=False)

    op.create_table(
        "playbook_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("playbook_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("changelog", sa.String(length=500), nullable=False),
        sa.Column("learned_from_run_id", sa.Integer(), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["playbook_id"], ["playbook.id"], name=op.f("fk_playbook_version_playbook_id_playbook"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["person.id"],
            name=op.f("fk_playbook_version_published_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_playbook_version_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook_version")),
        sa.UniqueConstraint("playbook_id", "number", name=op.f("uq_playbook_version_playbook_id_number")),
    )
    with op.batch_alter_table("playbook_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_playbook_version_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "playbook_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("playbook_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("anchor_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("card_ts", sa.String(length=32), nullable=True),
        sa.Column(
            "status",
            sa.Enum("active", "resolved", "cancelled", name="runstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("resolved_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status_every_minutes", sa.Integer(), nullable=True),
        sa.Column("next_status_reminder_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["person.id"], name=op.f("fk_playbook_run_lead_id_person")),
        sa.ForeignKeyConstraint(
            ["playbook_id"], ["playbook.id"], name=op.f("fk_playbook_run_playbook_id_playbook"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["person.id"], name=op.f("fk_playbook_run_started_by_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"], ["playbook_version.id"], name=op.f("fk_playbook_run_version_id_playbook_version")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_playbook_run_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook_run")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_playbook_run_workspace_id_number")),
    )
    with op.batch_alter_table("playbook_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_playbook_run_playbook_id"), ["playbook_id"], unique=False)
        batch_op.create_index("ix_playbook_run_status_reminder", ["status", "next_status_reminder_at"], unique=False)

    op.create_table(
        "playbook_run_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("step_key", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("due_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "done", "skipped", "blocked", name="stepstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("next_ping_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("pinged_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["person.id"], name=op.f("fk_playbook_run_step_assignee_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["person.id"], name=op.f("fk_playbook_run_step_closed_by_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["playbook_run.id"], name=op.f("fk_playbook_run_step_run_id_playbook_run"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_playbook_run_step_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook_run_step")),
        sa.UniqueConstraint("run_id", "position", name=op.f("uq_playbook_run_step_run_id_position")),
    )
    with op.batch_alter_table("playbook_run_step", schema=None) as batch_op:
        batch_op.create_index("ix_playbook_run_step_assignee", ["workspace_id", "assignee_id", "status"], unique=False)
        batch_op.create_index("ix_playbook_run_step_next_ping", ["status", "next_ping_at"], unique=False)

    op.create_table(
        "retro",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("blameless", sa.Boolean(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("status", sa.Enum("open", "done", name="retrostatus", native_enum=False, length=16), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        sa.Column("completed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["playbook_run.id"], name=op.f("fk_retro_run_id_playbook_run"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_retro_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"], ["person.id"], name=op.f("fk_retro_written_by_id_person"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retro")),
        sa.UniqueConstraint("run_id", name=op.f("uq_retro_run_id")),
    )
    with op.batch_alter_table("retro", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retro_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "experiment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("hypothesis", sa.String(length=500), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=True),
        sa.Column("expected_effect", sa.String(length=200), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column(
            "result",
            sa.Enum(
                "running",
                "validated",
                "invalidated",
                "inconclusive",
                name="experimentresult",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("learning", sa.Text(), nullable=True),
        sa.Column("concluded_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ask_sent_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("retro_id", sa.Integer(), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], name=op.f("fk_experiment_metric_id_metric"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["person.id"], name=op.f("fk_experiment_owner_id_person")),
        sa.ForeignKeyConstraint(
            ["retro_id"], ["retro.id"], name=op.f("fk_experiment_retro_id_retro"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_experiment_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiment")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_experiment_workspace_id_number")),
    )
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.create_index("ix_experiment_due", ["result", "ends_on"], unique=False)

    op.create_table(
        "playbook_run_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "started",
                "step_due",
                "step_done",
                "step_skipped",
                "step_blocked",
                "step_reopened",
                "status_reminder",
                "status_posted",
                "resolved",
                "cancelled",
                name="runeventkind",
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
            ["actor_id"], ["person.id"], name=op.f("fk_playbook_run_event_actor_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["playbook_run.id"], name=op.f("fk_playbook_run_event_run_id_playbook_run"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["playbook_run_step.id"],
            name=op.f("fk_playbook_run_event_step_id_playbook_run_step"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_playbook_run_event_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook_run_event")),
        sa.UniqueConstraint("run_id", "ping_key", name=op.f("uq_playbook_run_event_run_id_ping_key")),
    )
    with op.batch_alter_table("playbook_run_event", schema=None) as batch_op:
        batch_op.create_index("ix_playbook_run_event_run_at", ["run_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_playbook_run_event_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "proposed_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("retro_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("playbook_id", sa.Integer(), nullable=False),
        sa.Column("suggestion", sa.String(length=500), nullable=False),
        sa.Column(
            "status",
            sa.Enum("suggested", "proposed", "accepted", "declined", name="changestatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            "kind", sa.Enum("add", "edit", "remove", name="changekind", native_enum=False, length=16), nullable=True
        ),
        sa.Column("step_key", sa.String(length=16), nullable=True),
        sa.Column("step", sa.JSON(), nullable=True),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["person.id"], name=op.f("fk_proposed_change_decided_by_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["playbook_id"], ["playbook.id"], name=op.f("fk_proposed_change_playbook_id_playbook"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["person.id"],
            name=op.f("fk_proposed_change_proposed_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["retro_id"], ["retro.id"], name=op.f("fk_proposed_change_retro_id_retro"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["playbook_run.id"], name=op.f("fk_proposed_change_run_id_playbook_run"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["playbook_version.id"],
            name=op.f("fk_proposed_change_version_id_playbook_version"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_proposed_change_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposed_change")),
    )
    with op.batch_alter_table("proposed_change", schema=None) as batch_op:
        batch_op.create_index("ix_proposed_change_playbook", ["playbook_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposed_change_retro_id"), ["retro_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposed_change_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("proposed_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposed_change_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_proposed_change_retro_id"))
        batch_op.drop_index("ix_proposed_change_playbook")

    op.drop_table("proposed_change")
    with op.batch_alter_table("playbook_run_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_playbook_run_event_workspace_id"))
        batch_op.drop_index("ix_playbook_run_event_run_at")

    op.drop_table("playbook_run_event")
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.drop_index("ix_experiment_due")

    op.drop_table("experiment")
    with op.batch_alter_table("retro", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retro_workspace_id"))

    op.drop_table("retro")
    with op.batch_alter_table("playbook_run_step", schema=None) as batch_op:
        batch_op.drop_index("ix_playbook_run_step_next_ping")
        batch_op.drop_index("ix_playbook_run_step_assignee")

    op.drop_table("playbook_run_step")
    with op.batch_alter_table("playbook_run", schema=None) as batch_op:
        batch_op.drop_index("ix_playbook_run_status_reminder")
        batch_op.drop_index(batch_op.f("ix_playbook_run_playbook_id"))

    op.drop_table("playbook_run")
    with op.batch_alter_table("playbook_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_playbook_version_workspace_id"))

    op.drop_table("playbook_version")
    with op.batch_alter_table("playbook", schema=None) as batch_op:
        batch_op.drop_index("ix_playbook_review")

    op.drop_table("playbook")
