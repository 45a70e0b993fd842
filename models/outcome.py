"""Outcomes (one owner, a definition of done, a due date, a parent) and the metrics that measure them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Double, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, text_enum, utcnow
from models.priority import Priority
from models.workspace import Person

OUTCOME_PREFIX = "O"


class OutcomeStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def is_open(self) -> bool:
        return self not in (OutcomeStatus.DONE, OutcomeStatus.DROPPED)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


OPEN_STATUSES = (OutcomeStatus.ON_TRACK, OutcomeStatus.AT_RISK, OutcomeStatus.OFF_TRACK)
WORRYING_STATUSES = (OutcomeStatus.AT_RISK, OutcomeStatus.OFF_TRACK)


class MetricKind(StrEnum):
    LEADING = "leading"  # moves this week and predicts the result
    LAGGING = "lagging"  # the result itself, known late


class Direction(StrEnum):
    UP = "up"  # a higher value is better
    DOWN = "down"


class Outcome(Timestamped, Base):
    __tablename__ = "outcome"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        Index("ix_outcome_owner", "workspace_id", "owner_id"),
        Index("ix_outcome_channel", "workspace_id", "channel_id"),
        CheckConstraint("parent_priority_id IS NULL OR parent_outcome_id IS NULL", name="one_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    number: Mapped[int]  # the n of O-n, per workspace
    title: Mapped[str] = mapped_column(String(150))
    definition_of_done: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    due_date: Mapped[date]
    parent_priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id", ondelete="SET NULL"), index=True)
    parent_outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome.id", ondelete="SET NULL"), index=True)
    status: Mapped[OutcomeStatus] = mapped_column(text_enum(OutcomeStatus), default=OutcomeStatus.ON_TRACK)
    # Where it was defined; status changes worth knowing are announced there.
    channel_id: Mapped[str | None] = mapped_column(String(32))
    last_progress_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[Person] = relationship(foreign_keys=[owner_id], lazy="raise")
    parent_priority: Mapped[Priority | None] = relationship(lazy="raise")
    parent_outcome: Mapped[Outcome | None] = relationship(remote_side=[id], lazy="raise")
    metrics: Mapped[list[Metric]] = relationship(
        back_populates="outcome", order_by="Metric.position", cascade="all, delete-orphan", lazy="raise"
    )

    @property
    def ref(self) -> str:
        return f"{OUTCOME_PREFIX}-{self.number}"

    @property
    def lagging(self) -> Metric | None:
        return next((m for m in self.metrics if m.kind is MetricKind.LAGGING), None)


class Metric(Base):
    __tablename__ = "metric"
    __table_args__ = (UniqueConstraint("outcome_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcome.id", ondelete="CASCADE"))
    kind: Mapped[MetricKind] = mapped_column(text_enum(MetricKind))
    name: Mapped[str] = mapped_column(String(40))
    slug: Mapped[str] = mapped_column(String(40))  # how `name=value` finds it: lower case, dashes for spaces
    unit: Mapped[str] = mapped_column(String(16), default="")
    baseline: Mapped[float] = mapped_column(Double)
    target: Mapped[float] = mapped_column(Double)
    direction: Mapped[Direction] = mapped_column(text_enum(Direction))
    position: Mapped[int] = mapped_column(default=0)
    # The latest reading, kept here so lists, the Home tab and progress replies need no reading query.
    current_value: Mapped[float | None] = mapped_column(Double)
    current_at: Mapped[datetime | None]
    # Retired: no longer read (the health detectors ignore it, the card says so); its readings are kept.
    retired_at: Mapped[datetime | None]

    outcome: Mapped[Outcome] = relationship(back_populates="metrics", lazy="raise")

    @property
    def latest(self) -> float:
        """Where the metric stands: its latest reading, else its baseline."""
        return self.baseline if self.current_value is None else self.current_value
