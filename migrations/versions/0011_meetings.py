"""meetings, their agenda, pre-reads and history

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 13:29:55.716851
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "decision",
                "problem-solving",
                "planning",
                "one-to-one",
                "status",
                name="meetingkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("desired_outcome", sa.String(length=500), nullable=False),
        sa.Column("organiser_id", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column(
            "status",
            sa.Enum("scheduled", "cancelled", "held", name="meetingstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["facilitator_id"], ["person.id"], name=op.f("fk_meeting_facilitator_id_person")),
        sa.ForeignKeyConstraint(["organiser_id"], ["person.id"], name=op.f("fk_meeting_organiser_id_person")),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_meeting_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_meeting_workspace_id_number")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_start", ["workspace_id", "status", "starts_at"], unique=False)

    op.create_table(
        "agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("decide", "discuss", "inform", name="itemkind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_agenda_item_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["person.id"], name=op.f("fk_agenda_item_owner_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_item")),
        sa.UniqueConstraint("meeting_id", "position", name=op.f("uq_agenda_item_meeting_id_position")),
    )
    op.create_table(
        "meeting_attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "role", sa.Enum("required", "optional", name="attendeerole", native_enum=False, length=16), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_attendee_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_meeting_attendee_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendee")),
        sa.UniqueConstraint("meeting_id", "person_id", name=op.f("uq_meeting_attendee_meeting_id_person_id")),
    )
    with op.batch_alter_table("meeting_attendee", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_attendee_person_id"), ["person_id"], unique=False)

    op.create_table(
        "meeting_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("created", "read", "cancelled", name="meetingeventkind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["person.id"], name=op.f("fk_meeting_event_actor_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_event_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_meeting_event_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_event")),
    )
    with op.batch_alter_table("meeting_event", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_event_meeting_at", ["meeting_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_event_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "pre_read",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("link", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_pre_read_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pre_read")),
        sa.UniqueConstraint("meeting_id", "position", name=op.f("uq_pre_read_meeting_id_position")),
    )
    op.create_table(
        "pre_read_reader",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pre_read_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("read_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_pre_read_reader_person_id_person")),
        sa.ForeignKeyConstraint(
            ["pre_read_id"], ["pre_read.id"], name=op.f("fk_pre_read_reader_pre_read_id_pre_read"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pre_read_reader")),
        sa.UniqueConstraint("pre_read_id", "person_id", name=op.f("uq_pre_read_reader_pre_read_id_person_id")),
    )
    with op.batch_alter_table("pre_read_reader", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pre_read_reader_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pre_read_reader", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pre_read_reader_person_id"))

    op.drop_table("pre_read_reader")
    op.drop_table("pre_read")
    with op.batch_alter_table("meeting_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_event_workspace_id"))
        batch_op.drop_index("ix_meeting_event_meeting_at")

    op.drop_table("meeting_event")
    with op.batch_alter_table("meeting_attendee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_attendee_person_id"))

    op.drop_table("meeting_attendee")
    op.drop_table("agenda_item")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_start")

    op.drop_table("meeting")
