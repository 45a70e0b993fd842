"""Playbook runs (R-n): one use of a pinned version, its steps as they were handed out, and its timeline."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, text_enum, utcnow
from models.workspace import Person

RUN_PREFIX = "R"


class RunStatus(StrEnum):
    ACTIVE = "active"
    RESOLVED = "resolved"  # finished: every step done or skipped, or the lead resolved it (incidents)
    CANCELLED = "cancelled"


class PlaybookRun(Timestamped, Base):
    __tablename__ = "playbook_run"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        Index("ix_playbook_run_status_reminder", "status", "next_status_reminder_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    number: Mapped[int]  # the n of R-n, per workspace
    playbook_id: Mapped[int] = mapped_column(ForeignKey("playbook.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("playbook_version.id"))  # pinned at start, never moved
    title: Mapped[str] = mapped_column(String(150))  # "Onboarding: Ada", "Incident: checkout down"
    lead_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    roles: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # role name -> person.id, filled per run
    anchor_at: Mapped[datetime]  # day 1 / T / the incident's start, in UTC
    zone: Mapped[str] = mapped_column(String(64))  # the zone the anchor's day was given in (the lead's)
    channel_id: Mapped[str] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(String(32))  # the checklist message; steps go in its thread
    status: Mapped[RunStatus] = mapped_column(text_enum(RunStatus), default=RunStatus.ACTIVE)
    resolved_at: Mapped[datetime | None]
    # Incidents: how often the lead is reminded to post a status update, and when next (None: not reminding).
    status_every_minutes: Mapped[int | None]
    next_status_reminder_at: Mapped[datetime | None]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lead: Mapped[Person] = relationship(foreign_keys=[lead_id], lazy="raise")

    @property
    def ref(self) -> str:
        return f"{RUN_PREFIX}-{self.number}"

    @property
    def is_active(self) -> bool:
        return self.status is RunStatus.ACTIVE


class StepStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"
    BLOCKED = "blocked"
    AWAITING = "awaiting"  # done by its person, waiting for the approver's OK (counts done only once approved)


class RunStep(Base):
    """A step of a run, copied from the pinned version with its person and due time resolved."""

    __tablename__ = "playbook_run_step"
    __table_args__ = (
        UniqueConstraint("run_id", "position"),
        Index("ix_playbook_run_step_assignee", "workspace_id", "assignee_id", "status"),
        Index("ix_playbook_run_step_next_ping", "status", "next_ping_at"),  # the scheduler's "what is due now?"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    run_id: Mapped[int] = mapped_column(ForeignKey("playbook_run.id", ondelete="CASCADE"))
    position: Mapped[int]  # 1-based, as in the version
    step_key: Mapped[str] = mapped_column(String(16))  # the version step's key
    title: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(40))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    due_at: Mapped[datetime]
    status: Mapped[StepStatus] = mapped_column(text_enum(StepStatus), default=StepStatus.PENDING)
    reason: Mapped[str | None] = mapped_column(String(300))  # why skipped or blocked
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None]
    # When the step's person is next told about it (None: nothing to say); derived, kept for speed.
    next_ping_at: Mapped[datetime | None]
    pinged_at: Mapped[datetime | None]

    assignee: Mapped[Person | None] = relationship(foreign_keys=[assignee_id], lazy="raise")


class RunEventKind(StrEnum):
    STARTED = "started"
    STEP_DUE = "step_due"  # the step's person was sent its DM
    STEP_DONE = "step_done"
    STEP_SKIPPED = "step_skipped"
    STEP_BLOCKED = "step_blocked"
    STEP_REOPENED = "step_reopened"
    STEP_AWAITING = "step_awaiting"  # done, waiting for approval
    STEP_SENT_BACK = "step_sent_back"  # the approver did not approve: open again, with their reason
    STATUS_REMINDER = "status_reminder"
    STATUS_POSTED = "status_posted"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


class RunEvent(Base):
    """One line of a run's timeline, never changed afterwards."""

    __tablename__ = "playbook_run_event"
    __table_args__ = (
        UniqueConstraint("run_id", "ping_key"),  # a scheduled message is recorded once
        Index("ix_playbook_run_event_run_at", "run_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("playbook_run.id", ondelete="CASCADE"))
    step_id: Mapped[int | None] = mapped_column(ForeignKey("playbook_run_step.id", ondelete="CASCADE"))
    kind: Mapped[RunEventKind] = mapped_column(text_enum(RunEventKind))
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    ping_key: Mapped[str | None] = mapped_column(String(120))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Person | None] = relationship(lazy="raise")


@event.listens_for(RunEvent, "before_update")
def _immutable(mapper, connection, target: RunEvent) -> None:
    raise ValueError("a run's timeline is append-only: add an event instead of changing one")
