"""A decision's history: one row per thing that happened to it, never changed afterwards."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, text_enum
from models.workspace import Person


class DecisionEventKind(StrEnum):
    CREATED = "created"
    CONSULTED = "consulted"  # input asked of the consulted
    NUDGED = "nudged"  # the decider reminded (before or at the deadline)
    ESCALATED = "escalated"  # a level of the path pinged
    ACKNOWLEDGED = "acknowledged"
    SNOOZED = "snoozed"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"
    DEADLINE_MOVED = "deadline_moved"
    DECIDER_CHANGED = "decider_changed"  # handed to another decider (data: was, decider)


class DecisionEvent(Base):
    __tablename__ = "decision_event"
    __table_args__ = (
        # A scheduled ping is recorded once, whichever scheduler gets there first.
        UniqueConstraint("decision_id", "ping_key"),
        Index("ix_decision_event_decision_at", "decision_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id", ondelete="CASCADE"))
    kind: Mapped[DecisionEventKind] = mapped_column(text_enum(DecisionEventKind))
    round: Mapped[int]
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    ping_key: Mapped[str | None] = mapped_column(String(120))
    # What the kind needs: option and rationale, reason, until, level and who was pinged, old and new deadline.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Person | None] = relationship(lazy="raise")


@event.listens_for(DecisionEvent, "before_update")
def _immutable(mapper, connection, target: DecisionEvent) -> None:
    raise ValueError("a decision's history is append-only: add an event instead of changing one")
