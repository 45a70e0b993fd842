"""Escalation policies: named, ordered paths a stalled decision walks, level by level, until someone acknowledges."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, utcnow

DEFAULT_ACK_WINDOW_MINUTES = 240
DEFAULT_MAX_SNOOZE_MINUTES = 24 * 60


class EscalationPolicy(Timestamped, Base):
    __tablename__ = "escalation_policy"
    __table_args__ = (UniqueConstraint("workspace_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    name_key: Mapped[str] = mapped_column(String(60))  # the name folded to lower case: names are unique regardless
    # The workspace default (at most one per workspace, kept so by services/decisions/policies.py).
    is_default: Mapped[bool] = mapped_column(default=False)
    # How long an acknowledgement pauses the walk, and the longest single snooze.
    ack_window_minutes: Mapped[int] = mapped_column(default=DEFAULT_ACK_WINDOW_MINUTES)
    max_snooze_minutes: Mapped[int] = mapped_column(default=DEFAULT_MAX_SNOOZE_MINUTES)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    levels: Mapped[list[EscalationLevel]] = relationship(
        back_populates="policy", order_by="EscalationLevel.position", cascade="all, delete-orphan", lazy="raise"
    )


class EscalationLevel(Base):
    """One step of a path: whom to ping, how long to wait before the next level, how often to ping again meanwhile."""

    __tablename__ = "escalation_level"
    __table_args__ = (UniqueConstraint("policy_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("escalation_policy.id", ondelete="CASCADE"))
    position: Mapped[int]  # 0 for level 1
    person_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # Person ids (this workspace's) to DM
    include_decider: Mapped[bool] = mapped_column(default=False)
    post_in_channel: Mapped[bool] = mapped_column(default=False)  # the thread note is also sent to the channel
    wait_minutes: Mapped[int]
    repeats: Mapped[int] = mapped_column(default=0)
    # None: the repeats are spread evenly over the wait.
    repeat_interval_minutes: Mapped[int | None]

    policy: Mapped[EscalationPolicy] = relationship(back_populates="levels", lazy="raise")


class ChannelEscalationDefault(Base):
    """The policy new decisions in a channel start with (else the workspace default)."""

    __tablename__ = "channel_escalation_default"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("escalation_policy.id", ondelete="CASCADE"), index=True)
