"""The learning loop: a finished run's retrospective, the playbook changes it proposes, and experiments (X-n).

A retrospective has no "who is to blame" field on purpose: an incident's is a blameless postmortem.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, new_token, text_enum, utcnow
from models.workspace import Person

EXPERIMENT_PREFIX = "X"


class RetroStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class Retro(Timestamped, Base):
    __tablename__ = "retro"
    __table_args__ = (
        UniqueConstraint("run_id"),
        Index("uq_retro_workspace_id_token", "workspace_id", "token", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(32), default=new_token)  # outbox keys and button values
    run_id: Mapped[int] = mapped_column(ForeignKey("playbook_run.id", ondelete="CASCADE"))
    blameless: Mapped[bool] = mapped_column(default=False)  # an incident's postmortem
    # The template's sections as written: {"what_happened": ..., "impact": ..., "went_well": ..., "was_hard": ...,
    # "factors": ...} for a postmortem, {"went_well": ..., "was_hard": ...} otherwise.
    sections: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    status: Mapped[RetroStatus] = mapped_column(text_enum(RetroStatus), default=RetroStatus.OPEN)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    completed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ChangeStatus(StrEnum):
    SUGGESTED = "suggested"  # "what should change", not yet turned into a change to a step
    PROPOSED = "proposed"  # a change to a step, waiting in the owner's draft
    ACCEPTED = "accepted"  # published in a new version
    DECLINED = "declined"


class ChangeKind(StrEnum):
    ADD = "add"
    EDIT = "edit"
    REMOVE = "remove"


class ProposedChange(Timestamped, Base):
    """One "what should change in the playbook" item of a retrospective, and what became of it."""

    __tablename__ = "proposed_change"
    __table_args__ = (
        Index("ix_proposed_change_playbook", "playbook_id", "status"),
        Index("uq_proposed_change_workspace_id_token", "workspace_id", "token", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(32), default=new_token)  # outbox keys and button values
    retro_id: Mapped[int] = mapped_column(ForeignKey("retro.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("playbook_run.id", ondelete="CASCADE"))
    playbook_id: Mapped[int] = mapped_column(ForeignKey("playbook.id", ondelete="CASCADE"))
    suggestion: Mapped[str] = mapped_column(String(500))  # as written in the retrospective
    status: Mapped[ChangeStatus] = mapped_column(text_enum(ChangeStatus), default=ChangeStatus.SUGGESTED)
    kind: Mapped[ChangeKind | None] = mapped_column(text_enum(ChangeKind))
    step_key: Mapped[str | None] = mapped_column(String(16))  # the step edited or removed
    step: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the new or edited step
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    version_id: Mapped[int | None] = mapped_column(ForeignKey("playbook_version.id", ondelete="SET NULL"))


class ExperimentResult(StrEnum):
    RUNNING = "running"
    VALIDATED = "validated"
    INVALIDATED = "invalidated"
    INCONCLUSIVE = "inconclusive"


class Experiment(Timestamped, Base):
    __tablename__ = "experiment"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        Index("ix_experiment_due", "result", "ends_on"),
        Index("uq_experiment_workspace_id_token", "workspace_id", "token", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(32), default=new_token)  # outbox keys and button values
    number: Mapped[int]  # the n of X-n, per workspace
    hypothesis: Mapped[str] = mapped_column(String(500))
    metric_id: Mapped[int | None] = mapped_column(ForeignKey("metric.id", ondelete="SET NULL"))
    expected_effect: Mapped[str] = mapped_column(String(200))
    ends_on: Mapped[date]  # a day in the owner's zone
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    result: Mapped[ExperimentResult] = mapped_column(text_enum(ExperimentResult), default=ExperimentResult.RUNNING)
    learning: Mapped[str | None] = mapped_column(Text)
    concluded_at: Mapped[datetime | None]
    ask_sent_at: Mapped[datetime | None]  # the owner was asked for the result once the end date came
    retro_id: Mapped[int | None] = mapped_column(ForeignKey("retro.id", ondelete="SET NULL"))
    channel_id: Mapped[str | None] = mapped_column(String(32))

    owner: Mapped[Person] = relationship(lazy="raise")

    @property
    def ref(self) -> str:
        return f"{EXPERIMENT_PREFIX}-{self.number}"
