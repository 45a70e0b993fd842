"""Event ids already dispatched, so Slack's retries (X-Slack-Retry-Num) never act twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class SlackEvent(Base):
    __tablename__ = "slack_event"

    # Slack's event_id is unique across workspaces (Ev...), so it is the key on its own.
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
