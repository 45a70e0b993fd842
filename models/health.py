"""Execution health: each finding the detectors made (so a snooze holds and what was done about it can be
counted), customer and field insights attached to outcomes, and the workspace's health settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped
from models.workspace import Person


class HealthFinding(Base):
    """One finding, by its stable key (kind, subject, what it recommends): seen, maybe snoozed or acted on, and
    resolved once the detectors no longer make it."""

    __tablename__ = "health_finding"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        Index("ix_health_finding_owner", "workspace_id", "owner_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))  # services.health.Kind
    subject: Mapped[str] = mapped_column(String(40))  # O-12, D-7, M-3, or @<person id>
    severity: Mapped[int]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    evidence: Mapped[str] = mapped_column(String(500))
    # What it recommends, as the button shows it (services.health.Recommendation).
    remedy: Mapped[str] = mapped_column(String(32))
    remedy_label: Mapped[str] = mapped_column(String(75))
    remedy_value: Mapped[str] = mapped_column(String(40), default="")
    why: Mapped[str] = mapped_column(String(300))
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]  # the detectors stopped making it
    snoozed_until: Mapped[datetime | None]
    acted: Mapped[str | None] = mapped_column(String(32))  # the remedy someone took (services.health.Remedy)
    acted_at: Mapped[datetime | None]
    acted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))


class Insight(Base):
    """A customer's or the field's words beside an outcome's numbers."""

    __tablename__ = "insight"
    __table_args__ = (Index("ix_insight_outcome_at", "outcome_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcome.id", ondelete="CASCADE"))
    quote: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200))  # who said it, or where it was heard
    link: Mapped[str | None] = mapped_column(String(500))  # a message's permalink, when added from one
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime]

    author: Mapped[Person] = relationship(lazy="raise")


class HealthSettings(Timestamped, Base):
    """One row per workspace, made on first change: the detectors' thresholds (only those changed from the
    defaults) and when the weekly health post goes out, in the workspace's zone."""

    __tablename__ = "health_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), unique=True)
    thresholds: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    weekly_day: Mapped[int] = mapped_column(default=0)  # Monday
    weekly_hour: Mapped[int] = mapped_column(default=9)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
