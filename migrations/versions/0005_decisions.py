"""decisions, their history, escalation policies

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 10:09:49.818735
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "escalation_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_key", sa.String(length=60), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("ack_window_minutes", sa.Integer(), nullable=False),
        sa.Column("max_snooze_minutes", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
            name=op.f("fk_escalation_policy_created_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_escalation_policy_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_policy")),
        sa.UniqueConstraint("workspace_id", "name_key", name=op.f("uq_escalation_policy_workspace_id_name_key")),
    )
    op.create_table(
        "channel_escalation_default",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["escalation_policy.id"],
            name=op.f("fk_channel_escalation_default_policy_id_escalation_policy"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_channel_escalation_default_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "channel_id", name=op.f("pk_channel_escalation_default")),
    )
    with op.batch_alter_table("channel_escalation_default", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_escalation_default_policy_id"), ["policy_id"], unique=False)

    op.create_table(
        "escalation_level",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_ids", sa.JSON(), nullable=False),
        sa.Column("include_decider", sa.Boolean(), nullable=False),
        sa.Column("post_in_channel", sa.Boolean(), nullable=False),
        sa.Column("wait_minutes", sa.Integer(), nullable=False),
        sa.Column("repeats", sa.Integer(), nullable=False),
        sa.Column("repeat_interval_minutes", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["escalation_policy.id"],
            name=op.f("fk_escalation_level_policy_id_escalation_policy"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_escalation_level_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_level")),
        sa.UniqueConstraint("policy_id", "position", name=op.f("uq_escalation_level_policy_id_position")),
    )
    with op.batch_alter_table("escalation_level", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escalation_level_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=200), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("decider_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("deadline", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=True),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("open", "decided", "withdrawn", name="decisionstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("round_started_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("next_ping_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("chosen_option", sa.String(length=300), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.Column("decided_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("card_channel", sa.String(length=32), nullable=True),
        sa.Column("card_ts", sa.String(length=32), nullable=True),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["person.id"], name=op.f("fk_decision_created_by_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["person.id"], name=op.f("fk_decision_decided_by_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["decider_id"], ["person.id"], name=op.f("fk_decision_decider_id_person")),
        sa.ForeignKeyConstraint(
            ["outcome_id"], ["outcome.id"], name=op.f("fk_decision_outcome_id_outcome"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["escalation_policy.id"],
            name=op.f("fk_decision_policy_id_escalation_policy"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_decision_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_decision_workspace_id_number")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index("ix_decision_channel", ["workspace_id", "channel_id"], unique=False)
        batch_op.create_index("ix_decision_decider", ["workspace_id", "decider_id"], unique=False)
        batch_op.create_index("ix_decision_next_ping", ["status", "next_ping_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_outcome_id"), ["outcome_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_policy_id"), ["policy_id"], unique=False)

    op.create_table(
        "decision_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "created",
                "consulted",
                "nudged",
                "escalated",
                "acknowledged",
                "snoozed",
                "decided",
                "withdrawn",
                "reopened",
                "deadline_moved",
                name="decisioneventkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("ping_key", sa.String(length=120), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["person.id"], name=op.f("fk_decision_event_actor_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name=op.f("fk_decision_event_decision_id_decision"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_decision_event_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_event")),
        sa.UniqueConstraint("decision_id", "ping_key", name=op.f("uq_decision_event_decision_id_ping_key")),
    )
    with op.batch_alter_table("decision_event", schema=None) as batch_op:
        batch_op.create_index("ix_decision_event_decision_at", ["decision_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_event_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "decision_member",
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("responsible", "consulted", "informed", name="decisionrole", native_enum=False, length=16),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name=op.f("fk_decision_member_decision_id_decision"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_decision_member_person_id_person")),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_decision_member_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("decision_id", "person_id", name=op.f("pk_decision_member")),
    )
    with op.batch_alter_table("decision_member", schema=None) as batch_op:
        batch_op.create_index("ix_decision_member_person", ["workspace_id", "person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("decision_member", schema=None) as batch_op:
        batch_op.drop_index("ix_decision_member_person")

    op.drop_table("decision_member")
    with op.batch_alter_table("decision_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_event_workspace_id"))
        batch_op.drop_index("ix_decision_event_decision_at")

    op.drop_table("decision_event")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_policy_id"))
        batch_op.drop_index(batch_op.f("ix_decision_outcome_id"))
        batch_op.drop_index("ix_decision_next_ping")
        batch_op.drop_index("ix_decision_decider")
        batch_op.drop_index("ix_decision_channel")

    op.drop_table("decision")
    with op.batch_alter_table("escalation_level", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalation_level_workspace_id"))

    op.drop_table("escalation_level")
    with op.batch_alter_table("channel_escalation_default", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_escalation_default_policy_id"))

    op.drop_table("channel_escalation_default")
    op.drop_table("escalation_policy")
