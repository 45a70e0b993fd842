"""A Slack workspace (team) and the people in it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped


class Workspace(Timestamped, Base):
    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")

    people: Mapped[list[Person]] = relationship(back_populates="workspace", lazy="raise")


class Person(Timestamped, Base):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    slack_user_id: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(200))
    # IANA name from users.info, never a fixed offset: offsets drift across daylight-saving changes.
    timezone: Mapped[str | None] = mapped_column(String(64))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_deleted: Mapped[bool] = mapped_column(default=False)
    is_bot: Mapped[bool] = mapped_column(default=False)  # an app's user (ours too): it can hold no role
    away_until: Mapped[date | None]  # the last day away, in their zone: no bot-initiated DM reaches them
    # Attention (services/attention): their own working hours as typed back canonically ("08:00-16:00 mon-thu";
    # None: 09:00-18:00 Mon-Fri), a lower daily budget than the workspace's, and focus time.
    work_hours: Mapped[str | None] = mapped_column(String(40))
    nudge_budget: Mapped[int | None]
    focus_until: Mapped[datetime | None]
    profile_refreshed_at: Mapped[datetime | None]

    workspace: Mapped[Workspace] = relationship(back_populates="people", lazy="raise")
