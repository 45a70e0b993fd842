"""Meetings: a desired outcome, a running order of time-boxed agenda items with owners, pre-reads with read
receipts, the people invited, and an append-only history."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, new_token, text_enum, utcnow
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
    HELD = "held"  # its outcome is recorded
    ASYNC = "async"  # made into a thread instead of being held


class OutcomeReached(StrEnum):
    """Was the desired outcome reached? The facilitator's answer when recording the outcome."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class AttendeeRole(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"


class ItemKind(StrEnum):
    DECIDE = "decide"
    DISCUSS = "discuss"
    INFORM = "inform"


class ItemOutcome(StrEnum):
    """What became of an agenda item, recorded after the meeting."""

    DECIDED = "decided"  # a decided D-n
    ACTIONS = "actions"  # action items A-n
    DONE = "done"  # discussed or heard, nothing to follow
    CARRIED = "carried"  # to the series' next meeting (or its async thread)
    DROPPED = "dropped"


class Meeting(Timestamped, Base):
    __tablename__ = "meeting"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        Index("ix_meeting_start", "workspace_id", "status", "starts_at"),
        Index("ix_meeting_due", "status", "gate_at"),
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
    # Random, never handed out again: outbox keys and the calendar link (`/meetings/<token>.ics`) use it.
    token: Mapped[str] = mapped_column(String(32), default=new_token, index=True, unique=True)
    series_id: Mapped[int | None] = mapped_column(index=True)  # meeting_series.id (no FK: see migration 0012)
    # The gate: when it looks (organiser's working hours, before the start), and when it flagged the meeting.
    gate_at: Mapped[datetime | None]
    gate_flagged_at: Mapped[datetime | None]
    remind_at: Mapped[datetime | None]  # the one pre-read reminder to those who haven't read
    reminded_at: Mapped[datetime | None]
    # The meeting's thread: posted at the start (or when made async), where agenda, time-boxes and summary go.
    thread_channel: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime | None]
    next_timebox_at: Mapped[datetime | None]  # when the next item's time-box message is due
    timebox_position: Mapped[int] = mapped_column(default=0)  # the last item whose time-box message went out
    async_deadline: Mapped[datetime | None]  # made async: written input is due by then
    async_summarised_at: Mapped[datetime | None]
    outcome_reached: Mapped[OutcomeReached | None] = mapped_column(text_enum(OutcomeReached))
    outcome_recorded_at: Mapped[datetime | None]

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

    outcome: Mapped[ItemOutcome | None] = mapped_column(text_enum(ItemOutcome))
    over_time: Mapped[bool | None]  # ran past its time-box (recorded with the outcome)
    note: Mapped[str | None] = mapped_column(String(3000))  # the decision's rationale, or what was said
    decision_ref: Mapped[str | None] = mapped_column(String(20))  # the D-n it became
    carried_from: Mapped[str | None] = mapped_column(String(20))  # the M-n it was carried from
    added_by_id: Mapped[int | None]  # person.id of whoever added it with Add topic (no FK: see migration 0012)
    async_ts: Mapped[str | None] = mapped_column(String(32))  # made async: the reply asking for input on it

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
    asked_at: Mapped[datetime | None]  # when they were asked to read it (one message per person for all at once)


class MeetingEventKind(StrEnum):
    CREATED = "created"
    READ = "read"  # someone said they had read a pre-read
    CANCELLED = "cancelled"
    EDITED = "edited"
    TOPIC_ADDED = "topic_added"
    FLAGGED = "flagged"  # the gate found it not ready
    BLOCKED = "blocked"  # the gate cancelled it at its start
    STARTED = "started"
    MADE_ASYNC = "made_async"
    SUMMARISED = "summarised"  # the async thread's deadline summary
    RECORDED = "recorded"  # its outcome


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
