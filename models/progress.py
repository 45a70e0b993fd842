"""Progress updates on an outcome and the metric readings they carry."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Double, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, text_enum, utcnow
from models.outcome import Metric, OutcomeStatus
from models.workspace import Person


class ProgressSource(StrEnum):
    COMMAND = "command"  # /progress O-12 ...
    MODAL = "modal"  # the Log progress modal
    CARD = "card"  # a button on the outcome card (mark done, drop)
    CHECKIN = "checkin"  # a check-in answer


class ProgressUpdate(Base):
    __tablename__ = "progress_update"
    __table_args__ = (
        Index(None, "outcome_id", "created_at"),
        Index(None, "workspace_id", "author_id"),
        Index("ix_progress_update_workspace_created", "workspace_id", "created_at"),  # a period's updates (digest)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcome.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    # Both set only when the status changed.
    status_before: Mapped[OutcomeStatus | None] = mapped_column(text_enum(OutcomeStatus))
    status_after: Mapped[OutcomeStatus | None] = mapped_column(text_enum(OutcomeStatus))
    note: Mapped[str | None] = mapped_column(Text)
    blocker: Mapped[str | None] = mapped_column(Text)
    source: Mapped[ProgressSource] = mapped_column(text_enum(ProgressSource))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[Person] = relationship(lazy="raise")
    readings: Mapped[list[MetricReading]] = relationship(
        back_populates="update", cascade="all, delete-orphan", lazy="raise"
    )


class MetricReading(Base):
    __tablename__ = "metric_reading"
    __table_args__ = (Index(None, "metric_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    # The update carries the reading's author note; a reading never exists without one.
    update_id: Mapped[int] = mapped_column(ForeignKey("progress_update.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    value: Mapped[float] = mapped_column(Double)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    metric: Mapped[Metric] = relationship(lazy="raise")
    update: Mapped[ProgressUpdate] = relationship(back_populates="readings", lazy="raise")
