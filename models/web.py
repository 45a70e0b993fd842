"""The web dashboard's sign-in: one-time links sent in Slack, and the browser sessions they open. Only hashes of
the random tokens are stored, so a copy of the database opens no session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped


class WebLink(Timestamped, Base):
    """A sign-in link: usable once, for a few minutes, by whoever holds it."""

    __tablename__ = "web_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WebSession(Timestamped, Base):
    """A signed-in browser: one person of one workspace, until it expires or they sign out."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class ApiToken(Timestamped, Base):
    """A personal token for the read API (BI tools): shown once, stored as a hash, revocable."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class ChannelName(Base):
    """What the dashboard calls a channel: its name as Slack last said it, kept so a page names channels without
    asking Slack while it renders. Refreshed when older than a day; `name` is None when Slack would not say."""

    __tablename__ = "channel_name"
    __table_args__ = (UniqueConstraint("workspace_id", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    fetched_at: Mapped[datetime]
