"""A workspace's attention settings: the daily budget of DMs per person and what urgent messages do at night."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped

DEFAULT_BUDGET = 3


class AttentionSettings(Timestamped, Base):
    """One row per workspace, made on first change; absent means the defaults below."""

    __tablename__ = "attention_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), unique=True)
    daily_budget: Mapped[int] = mapped_column(default=DEFAULT_BUDGET)  # normal and low DMs per working day
    urgent_outside_hours: Mapped[bool] = mapped_column(default=True)  # False: urgent waits for the morning too
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
