"""Meetings: a desired outcome, a running order of time-boxed agenda items with owners, pre-reads with read
receipts, the people invited, and an append-only history."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, text_enum, utcnow
from models.workspace import Person

MEETING_PREFIX = "M"


class MeetingKind(StrEnum):
    DECISION = "decision"
    PROBLEM_SOLVING = "problem-solving"
    PLANNING = "planning"
    ONE_TO_ONE = "one-to-one"
    STATUS = "status"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    HELD = "held"


class AttendeeRole(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"


class ItemKind(StrEnum):
    DECIDE = "decide"
    DISCUSS = "discuss"
    INFORM = "inform"


class Meeting(Timestamped, Base):
    __tablename__ = "meeting"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        Index("ix_meeting_start", "workspace_id", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    number: Mapped[int]  # the n of M-n, per workspace
    title: Mapped[str] = mapped_column(String(150))
    kind: Mapped[MeetingKind] = mapped_column(text_enum(MeetingKind))
    desired_outcome: Mapped[str] = mapped_column(String(500))  # what will be true when everyone leaves
    organiser_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    starts_at: Mapped[datetime]  # UTC; each reader sees it in their own zone
    minutes: Mapped[int]
    channel_id: Mapped[str | None] = mapped_column(String(32))  # where /meeting was typed
    status: Mapped[MeetingStatus] = mapped_column(text_enum(MeetingStatus), default=MeetingStatus.SCHEDULED)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organiser: Mapped[Person] = relationship(foreign_keys=[organiser_id], lazy="raise")
    facilitator: Mapped[Person] = relationship(foreign_keys=[facilitator_id], lazy="raise")
    attendees: Mapped[list[Attendee]] = relationship(lazy="raise", order_by="Attendee.id")
    items: Mapped[list[AgendaItem]] = relationship(lazy="raise", order_by="AgendaItem.position")
    pre_reads: Mapped[list[PreRead]] = relationship(lazy="raise", order_by="PreRead.position")

    @property
    def ref(self) -> str:
        return f"{MEETING_PREFIX}-{self.number}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    @property
    def is_scheduled(self) -> bool:
        return self.status is MeetingStatus.SCHEDULED


class Attendee(Base):
    __tablename__ = "meeting_attendee"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[AttendeeRole] = mapped_column(text_enum(AttendeeRole), default=AttendeeRole.REQUIRED)

    person: Mapped[Person] = relationship(lazy="raise")


class AgendaItem(Base):
    __tablename__ = "agenda_item"
    __table_args__ = (UniqueConstraint("meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    position: Mapped[int]  # 1, 2, 3: the running order
    topic: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    minutes: Mapped[int]
    kind: Mapped[ItemKind] = mapped_column(text_enum(ItemKind), default=ItemKind.DISCUSS)

    owner: Mapped[Person] = relationship(lazy="raise")


class PreRead(Base):
    __tablename__ = "pre_read"
    __table_args__ = (UniqueConstraint("meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(150))
    link: Mapped[str] = mapped_column(String(2000))

    readers: Mapped[list[PreReadReader]] = relationship(lazy="raise", order_by="PreReadReader.id")


class PreReadReader(Base):
    """Someone who must read a pre-read, and when they said they had (None: not yet)."""

    __tablename__ = "pre_read_reader"
    __table_args__ = (UniqueConstraint("pre_read_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pre_read_id: Mapped[int] = mapped_column(ForeignKey("pre_read.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    read_at: Mapped[datetime | None]


class MeetingEventKind(StrEnum):
    CREATED = "created"
    READ = "read"  # someone said they had read a pre-read
    CANCELLED = "cancelled"


class MeetingEvent(Base):
    """One thing that happened to a meeting, never changed afterwards."""

    __tablename__ = "meeting_event"
    __table_args__ = (Index("ix_meeting_event_meeting_at", "meeting_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    kind: Mapped[MeetingEventKind] = mapped_column(text_enum(MeetingEventKind))
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Person | None] = relationship(lazy="raise")


@event.listens_for(MeetingEvent, "before_update")
def _immutable(mapper, connection, target: MeetingEvent) -> None:
    raise ValueError("a meeting's history is append-only: add an event instead of changing one")
