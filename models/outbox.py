"""The outbox: every scheduled Slack call as a row, so none is lost on a crash or sent twice by a retry."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped


class DeliveryState(StrEnum):
    PENDING = "pending"  # waiting for next_attempt_at (first try or a retry)
    SENDING = "sending"  # claimed by a sender until claimed_until; reclaimable after that
    SENT = "sent"
    FAILED = "failed"  # permanently: Slack refused it, or transient failures ran out of attempts
    CANCELLED = "cancelled"


FINISHED = (DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.CANCELLED)
OPEN = (DeliveryState.PENDING, DeliveryState.SENDING)
# The open rows only: what /metrics counts stays as cheap as the work waiting, however long the history grows.
OPEN_ONLY = text("state IN ('pending', 'sending')")


class Delivery(Timestamped, Base):
    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        Index("ix_delivery_state_next_attempt_at", "state", "next_attempt_at"),  # what is due, anywhere
        Index("ix_delivery_workspace_id_state", "workspace_id", "state", "next_attempt_at"),  # ... in a workspace
        Index("ix_delivery_interrupts", "workspace_id", "interrupts", "cleared_at"),  # a person's budget today
        Index("ix_delivery_open", "state", "due_at", postgresql_where=OPEN_ONLY, sqlite_where=OPEN_ONLY),  # /metrics
        Index("ix_delivery_created_at", "created_at"),  # housekeeping's purge of old history
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    # The idempotency key, e.g. "checkin:41:ask:U0ALEX": enqueueing the same key again returns the same row.
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(64))  # a Web API method: chat.postMessage, views.publish, ...
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    target: Mapped[str] = mapped_column(String(64))  # the channel or user the call reaches
    # Key of an earlier delivery whose message this one needs (its thread, or the message to edit).
    thread_of: Mapped[str | None] = mapped_column(String(200))
    owner: Mapped[str | None] = mapped_column(String(32))  # Slack user told once if this can never be delivered
    state: Mapped[str] = mapped_column(String(16), default=DeliveryState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)  # Slack calls that got an answer other than 429
    due_at: Mapped[datetime]  # when it was first meant to go; the backlog's age is measured from here
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(String(100))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    # When the earliest Slack call whose outcome is unknown started (a timeout, a dropped connection, a 5xx, a
    # sender that died mid-call): before posting again the sender looks for that post in Slack. None when known.
    outcome_unknown_since: Mapped[datetime | None]
    # Attention (services/attention): a bot-initiated DM names the person it interrupts and how urgent it is;
    # the sender asks the policy before sending. None for channel posts, edits, ephemerals and Home views.
    urgency: Mapped[str | None] = mapped_column(String(8))
    interrupts: Mapped[str | None] = mapped_column(String(32))
    held_reason: Mapped[str | None] = mapped_column(String(32))  # the last reason it waited (kept once sent)
    cleared_at: Mapped[datetime | None]  # when the policy let it go: what a person's daily budget counts
    responded_at: Mapped[datetime | None]  # first button press on it, or reply to it


class FailureNotice(Timestamped, Base):
    """A permanent failure someone has been told about, so they are told once, not on every round."""

    __tablename__ = "failure_notice"
    __table_args__ = (UniqueConstraint("workspace_id", "owner", "target", "error"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    owner: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(64))
    error: Mapped[str] = mapped_column(String(100))


class SendHold(Base):
    """Slack answered 429 for this workspace's method: no sender calls it again before `until`. Shared through
    the database so that every replica's sender honours a Retry-After that one of them was given."""

    __tablename__ = "send_hold"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True)
    method: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[datetime]
