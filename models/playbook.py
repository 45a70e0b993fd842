"""Playbooks (PB-n) and their immutable published versions; what a workspace edits and what a run pins.

A version's steps are stored whole, as JSON, in the version row: a published version never changes (an update
raises), so a run started on v2 reads v2's steps for ever. Each step carries a `key` that stays the same across
versions, which is what lets a diff tell an edited or moved step from one removed and another added.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, text_enum, utcnow
from models.workspace import Person

PLAYBOOK_PREFIX = "PB"
DEFAULT_REVIEW_DAYS = 90


class PlaybookKind(StrEnum):
    ONBOARDING = "onboarding"
    LAUNCH = "launch"
    INCIDENT = "incident"
    OTHER = "other"


class Playbook(Timestamped, Base):
    __tablename__ = "playbook"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        Index("ix_playbook_review", "workspace_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    number: Mapped[int]  # the n of PB-n, per workspace
    name: Mapped[str] = mapped_column(String(150))
    kind: Mapped[PlaybookKind] = mapped_column(text_enum(PlaybookKind), default=PlaybookKind.OTHER)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    review_days: Mapped[int] = mapped_column(default=DEFAULT_REVIEW_DAYS)
    # 0 until the first version is published; the number of the version a new run pins.
    current_version: Mapped[int] = mapped_column(default=0)
    # The working copy: a list of step dicts (same shape as a version's) and who changed it last. None: no draft.
    draft_steps: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    draft_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    draft_updated_at: Mapped[datetime | None]
    # Evergreen: when someone last confirmed it is still right (publishing counts), and when its owner was asked.
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    review_asked_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[Person] = relationship(foreign_keys=[owner_id], lazy="raise")

    @property
    def ref(self) -> str:
        return f"{PLAYBOOK_PREFIX}-{self.number}"


class PlaybookVersion(Base):
    """One published version, never changed afterwards."""

    __tablename__ = "playbook_version"
    __table_args__ = (UniqueConstraint("playbook_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    playbook_id: Mapped[int] = mapped_column(ForeignKey("playbook.id", ondelete="CASCADE"))
    number: Mapped[int]  # v1, v2, ...
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    changelog: Mapped[str] = mapped_column(String(500))
    # The run whose retrospective taught this version, when it came from a proposed change. Not a foreign key:
    # runs point at versions, and a key both ways would be a cycle no database creates in one step.
    learned_from_run_id: Mapped[int | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    published_by: Mapped[Person | None] = relationship(lazy="raise")

    @property
    def label(self) -> str:
        return f"v{self.number}"


@event.listens_for(PlaybookVersion, "before_update")
def _immutable(mapper, connection, target: PlaybookVersion) -> None:
    raise ValueError("a published playbook version never changes: publish a new version instead")
