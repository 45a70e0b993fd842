"""Action items: one thing to do, one owner, a due date, where it came from, and its immutable history."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, text_enum, utcnow
from models.outcome import Outcome
from models.workspace import Person

ACTION_PREFIX = "A"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class SourceKind(StrEnum):
    """Where an action item came from; `message` carries a permalink, the others a ref (M-3, D-7, a round)."""

    COMMAND = "command"
    MESSAGE = "message"
    MEETING = "meeting"
    DECISION = "decision"
    CHECKIN = "checkin"
    RETRO = "retro"  # a playbook run's retrospective; the ref is the run's


class Action(Timestamped, Base):
    __tablename__ = "action_item"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        Index("ix_action_item_owner", "workspace_id", "owner_id", "status"),
        Index("ix_action_item_next_nudge", "status", "next_nudge_at"),  # the scheduler's "what is due now?"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    number: Mapped[int]  # the n of A-n, per workspace
    what: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    due_on: Mapped[date]  # a day in the owner's zone
    due_time: Mapped[time | None]
    status: Mapped[ActionStatus] = mapped_column(text_enum(ActionStatus), default=ActionStatus.OPEN)
    drop_reason: Mapped[str | None] = mapped_column(String(300))
    closed_at: Mapped[datetime | None]
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome.id", ondelete="SET NULL"), index=True)
    channel_id: Mapped[str | None] = mapped_column(String(32))  # where it was captured
    source_kind: Mapped[SourceKind] = mapped_column(text_enum(SourceKind), default=SourceKind.COMMAND)
    source_ref: Mapped[str | None] = mapped_column(String(40))  # M-3, D-7, a check-in answer
    source_link: Mapped[str | None] = mapped_column(String(500))  # a message's permalink
    source_channel: Mapped[str | None] = mapped_column(String(32))  # the thread that hears when it is done
    source_ts: Mapped[str | None] = mapped_column(String(32))
    # Moving the due date or the owner starts a new plan: its nudges get keys of their own.
    plan: Mapped[int] = mapped_column(default=1)
    plan_started_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the scheduler next has something to say about it (None: nothing); derived, kept for speed.
    next_nudge_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[Person] = relationship(foreign_keys=[owner_id], lazy="raise")
    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id], lazy="raise")
    outcome: Mapped[Outcome | None] = relationship(lazy="raise")

    @property
    def ref(self) -> str:
        return f"{ACTION_PREFIX}-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status is ActionStatus.OPEN


class ActionEventKind(StrEnum):
    CREATED = "created"
    NUDGED = "nudged"  # a scheduled direct message to the owner: due today, overdue, the weekly round-up
    DONE = "done"
    DROPPED = "dropped"
    SNOOZED = "snoozed"  # the due date moved
    REASSIGNED = "reassigned"


class ActionEvent(Base):
    """One thing that happened to an action item, never changed afterwards."""

    __tablename__ = "action_event"
    __table_args__ = (
        UniqueConstraint("action_id", "ping_key"),  # a scheduled nudge is recorded once
        Index("ix_action_event_action_at", "action_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action_item.id", ondelete="CASCADE"))
    kind: Mapped[ActionEventKind] = mapped_column(text_enum(ActionEventKind))
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    ping_key: Mapped[str | None] = mapped_column(String(120))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Person | None] = relationship(lazy="raise")


@event.listens_for(ActionEvent, "before_update")
def _immutable(mapper, connection, target: ActionEvent) -> None:
    raise ValueError("an action item's history is append-only: add an event instead of changing one")
