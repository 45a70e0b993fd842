"""meetings' lifecycle: series, workspace settings, the gate, the thread, async input and recorded outcomes

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 15:10:00.000000

Columns are added in place: a batch rebuild on SQLite would drop and re-create `meeting` and `agenda_item`,
which other rows reference with foreign keys on (and ON DELETE CASCADE would empty them).
"""

from collections.abc import Sequence
from secrets import token_hex

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = models.base.UTCDateTime(timezone=True)
STATUS = ("scheduled", "cancelled", "held", "async")
EVENTS = ("created", "read", "cancelled", "edited", "topic_added", "flagged", "blocked", "started", "made_async",
          "summarised", "recorded")  # fmt: skip


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def _tables() -> None:
    op.create_table(
        "meeting_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("every_weeks", sa.Integer(), nullable=False),
        sa.Column("organiser_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["organiser_id"], ["person.id"], name=op.f("fk_meeting_series_organiser_id_person")),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_meeting_series_workspace_id_workspace"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_series")),
    )
    op.create_index(op.f("ix_meeting_series_workspace_id"), "meeting_series", ["workspace_id"], unique=False)
    op.create_table(
        "meeting_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("gate_hours", sa.Integer(), nullable=False),
        sa.Column("gate_blocks", sa.Boolean(), nullable=False),
        sa.Column("remind_hours", sa.Integer(), nullable=False),
        sa.Column("timebox_messages", sa.Boolean(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["person.id"], name=op.f("fk_meeting_settings_updated_by_id_person"), ondelete="SET NULL"
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_meeting_settings_workspace_id_workspace"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_settings")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_meeting_settings_workspace_id")),
    )
    op.create_table(
        "meeting_input",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["agenda_item.id"], name=op.f("fk_meeting_input_item_id_agenda_item"), ondelete="CASCADE"
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_input_meeting_id_meeting"), ondelete="CASCADE"
        ),  # fmt: skip
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_meeting_input_person_id_person")),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_meeting_input_workspace_id_workspace"), ondelete="CASCADE"
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_input")),
        sa.UniqueConstraint("item_id", "message_ts", name=op.f("uq_meeting_input_item_id_message_ts")),
    )
    op.create_index("ix_meeting_input_meeting", "meeting_input", ["meeting_id", "person_id"], unique=False)
    op.create_index(op.f("ix_meeting_input_workspace_id"), "meeting_input", ["workspace_id"], unique=False)


def _meeting_columns() -> None:
    # NOT NULL with a placeholder default (SQLite adds no other kind in place), then a token for each meeting.
    op.add_column("meeting", sa.Column("token", sa.String(length=32), nullable=False, server_default=""))
    bind = op.get_bind()
    for (meeting_id,) in bind.execute(sa.text("SELECT id FROM meeting")).fetchall():
        bind.execute(sa.text("UPDATE meeting SET token = :t WHERE id = :i"), {"t": token_hex(16), "i": meeting_id})
    op.create_index(op.f("ix_meeting_token"), "meeting", ["token"], unique=True)
    # No foreign key on the two references added here: SQLite adds one in place only inline, where it can't be
    # reflected by name, and series and people are never deleted (a series ends, a person is marked gone).
    op.add_column("meeting", sa.Column("series_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_meeting_series_id"), "meeting", ["series_id"], unique=False)
    for name in ("gate_at", "gate_flagged_at", "remind_at", "reminded_at", "started_at", "next_timebox_at",
                 "async_deadline", "async_summarised_at", "outcome_recorded_at"):  # fmt: skip
        op.add_column("meeting", sa.Column(name, WHEN, nullable=True))
    op.add_column("meeting", sa.Column("thread_channel", sa.String(length=32), nullable=True))
    op.add_column("meeting", sa.Column("thread_ts", sa.String(length=32), nullable=True))
    op.add_column("meeting", sa.Column("timebox_position", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("meeting", sa.Column("outcome_reached", _enum("outcomereached", "yes", "partly", "no"),
                                       nullable=True))  # fmt: skip
    op.create_index("ix_meeting_due", "meeting", ["status", "gate_at"], unique=False)
    if bind.dialect.name != "sqlite":  # PostgreSQL can drop the placeholders; the models always write a value
        op.alter_column("meeting", "token", server_default=None, existing_type=sa.String(length=32))
        op.alter_column("meeting", "timebox_position", server_default=None, existing_type=sa.Integer())


def _item_columns() -> None:
    op.add_column("agenda_item", sa.Column(
        "outcome", _enum("itemoutcome", "decided", "actions", "done", "carried", "dropped"), nullable=True))  # fmt: skip
    op.add_column("agenda_item", sa.Column("over_time", sa.Boolean(), nullable=True))
    op.add_column("agenda_item", sa.Column("note", sa.String(length=3000), nullable=True))
    op.add_column("agenda_item", sa.Column("decision_ref", sa.String(length=20), nullable=True))
    op.add_column("agenda_item", sa.Column("carried_from", sa.String(length=20), nullable=True))
    op.add_column("agenda_item", sa.Column("async_ts", sa.String(length=32), nullable=True))
    op.add_column("agenda_item", sa.Column("added_by_id", sa.Integer(), nullable=True))


def upgrade() -> None:
    _tables()
    _meeting_columns()
    _item_columns()


def downgrade() -> None:
    # SQLite 3.35+ and PostgreSQL both drop columns in place; a column's index and constraints go first.
    op.drop_index("ix_meeting_due", table_name="meeting")
    op.drop_index(op.f("ix_meeting_series_id"), table_name="meeting")
    op.drop_index(op.f("ix_meeting_token"), table_name="meeting")
    for name in ("outcome", "over_time", "note", "decision_ref", "carried_from", "async_ts", "added_by_id"):
        op.execute(f"ALTER TABLE agenda_item DROP COLUMN {name}")
    for name in ("token", "series_id", "gate_at", "gate_flagged_at", "remind_at", "reminded_at", "started_at",
                 "next_timebox_at", "async_deadline", "async_summarised_at", "outcome_recorded_at", "thread_channel",
                 "thread_ts", "timebox_position", "outcome_reached"):  # fmt: skip
        op.execute(f"ALTER TABLE meeting DROP COLUMN {name}")
    op.drop_index(op.f("ix_meeting_input_workspace_id"), table_name="meeting_input")
    op.drop_index("ix_meeting_input_meeting", table_name="meeting_input")
    op.drop_table("meeting_input")
    op.drop_table("meeting_settings")
    op.drop_index(op.f("ix_meeting_series_workspace_id"), table_name="meeting_series")
    op.drop_table("meeting_series")
