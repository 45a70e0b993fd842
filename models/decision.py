"""Decisions: a question with one accountable decider and a deadline, the people around it (RACI), and the answer."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, new_token, text_enum, utcnow
from models.escalation import EscalationPolicy
from models.outcome import Outcome
from models.workspace import Person

DECISION_PREFIX = "D"


class DecisionStatus(StrEnum):
    OPEN = "open"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


class DecisionRole(StrEnum):
    """RACI without the A: the accountable person is `Decision.decider`, exactly one."""

    RESPONSIBLE = "responsible"
    CONSULTED = "consulted"
    INFORMED = "informed"


class Decision(Timestamped, Base):
    __tablename__ = "decision"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        Index("uq_decision_workspace_id_token", "workspace_id", "token", unique=True),
        Index("ix_decision_decider", "workspace_id", "decider_id"),
        Index("ix_decision_channel", "workspace_id", "channel_id"),
        Index("ix_decision_next_ping", "status", "next_ping_at"),  # the scheduler's "what is due now?"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    number: Mapped[int]  # the n of D-n, per workspace
    # Never given to another decision (ids are, on SQLite, after a delete): its outbox and ping keys use it.
    token: Mapped[str] = mapped_column(String(32), default=new_token)
    question: Mapped[str] = mapped_column(String(200))
    context: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(500))
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    decider_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    deadline: Mapped[datetime]
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("escalation_policy.id", ondelete="SET NULL"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome.id", ondelete="SET NULL"), index=True)
    status: Mapped[DecisionStatus] = mapped_column(text_enum(DecisionStatus), default=DecisionStatus.OPEN)
    # Moving the deadline or reopening starts a new round: its pings get new keys and are planned afresh.
    round: Mapped[int] = mapped_column(default=1)
    round_started_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the scheduler next has something to send for it (None: nothing, e.g. decided); derived, kept for speed.
    next_ping_at: Mapped[datetime | None]
    chosen_option: Mapped[str | None] = mapped_column(String(300))
    rationale: Mapped[str | None] = mapped_column(Text)  # why it was decided so, or why it was withdrawn
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # Where it was asked, and the card kept current there.
    channel_id: Mapped[str | None] = mapped_column(String(32))
    card_channel: Mapped[str | None] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    decider: Mapped[Person] = relationship(foreign_keys=[decider_id], lazy="raise")
    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id], lazy="raise")
    decided_by: Mapped[Person | None] = relationship(foreign_keys=[decided_by_id], lazy="raise")
    policy: Mapped[EscalationPolicy | None] = relationship(lazy="raise")
    outcome: Mapped[Outcome | None] = relationship(lazy="raise")
    members: Mapped[list[DecisionMember]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", lazy="raise"
    )

    @property
    def ref(self) -> str:
        return f"{DECISION_PREFIX}-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status is DecisionStatus.OPEN

    def people_in(self, role: DecisionRole) -> list[Person]:
        """Those with `role`, by name, so every message lists them in the same order."""
        found = [m.person for m in self.members if m.role is role]
        return sorted(found, key=lambda p: ((p.display_name or p.slack_user_id).lower(), p.id))


class DecisionMember(Base):
    """A person's one role in a decision (responsible, consulted or informed)."""

    __tablename__ = "decision_member"
    __table_args__ = (Index("ix_decision_member_person", "workspace_id", "person_id"),)

    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    role: Mapped[DecisionRole] = mapped_column(text_enum(DecisionRole))

    decision: Mapped[Decision] = relationship(back_populates="members", lazy="raise")
    person: Mapped[Person] = relationship(lazy="raise")
