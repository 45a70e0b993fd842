"""Around meetings: a series (weekly or every two weeks, its next meeting made from the last), the workspace's
meeting settings (the gate, reminders, time-box messages), and written input to a meeting made async."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped


class MeetingSeries(Timestamped, Base):
    """Meetings that repeat: each one's agenda opens with what the last one left unfinished or carried."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    every_weeks: Mapped[int]  # 1: weekly, 2: every two weeks
    organiser_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    active: Mapped[bool] = mapped_column(default=True)  # False: ended, no next meeting is made


class MeetingSettings(Timestamped, Base):
    """One row per workspace, made on first change; absent means the defaults below."""

    __tablename__ = "meeting_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), unique=True)
    gate_hours: Mapped[int] = mapped_column(default=24)  # how long before the start the gate looks
    gate_blocks: Mapped[bool] = mapped_column(default=False)  # False: it warns; True: it cancels at the start
    remind_hours: Mapped[int] = mapped_column(default=3)  # the one pre-read reminder, this long before
    timebox_messages: Mapped[bool] = mapped_column(default=True)  # "time's up, next: …" in the thread
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))


class MeetingInput(Base):
    """Someone's written input on an agenda item of a meeting made async (a reply in the item's thread)."""

    __tablename__ = "meeting_input"
    __table_args__ = (
        UniqueConstraint("item_id", "message_ts"),
        Index("ix_meeting_input_meeting", "meeting_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    message_ts: Mapped[str] = mapped_column(String(32))  # Slack's ts of the reply: a retried event adds nothing
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
