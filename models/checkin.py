"""Check-ins: a channel's cadence, its rounds (one per occurrence, one thread each), and each person's invite
to a round, which carries their answer."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, new_token, text_enum, utcnow
from models.workspace import Person


class Audience(StrEnum):
    CHANNEL = "channel"  # the channel's members, looked up again at every round
    CHOSEN = "chosen"  # the people picked in the set-up form


class ZoneMode(StrEnum):
    PERSONAL = "personal"  # each person at the local time in their own zone
    TEAM = "team"  # everyone at the local time of the cadence's zone


class AnswerSource(StrEnum):
    MODAL = "modal"
    THREAD = "thread"  # a plain reply in the round's thread


class Cadence(Timestamped, Base):
    __tablename__ = "checkin_cadence"
    __table_args__ = (
        UniqueConstraint("workspace_id", "channel_id"),
        Index("uq_checkin_cadence_workspace_id_token", "workspace_id", "token", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Never given to another cadence (ids are, on SQLite, after a delete): its outbox keys and buttons use it.
    token: Mapped[str] = mapped_column(String(32), default=new_token)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"))  # who set it up: may change it, hears of failures
    audience: Mapped[Audience] = mapped_column(text_enum(Audience))
    interval_weeks: Mapped[int]  # 1 or 2
    weekdays: Mapped[list[int]] = mapped_column(JSON)  # 0 = Monday
    local_time: Mapped[time]
    zone_mode: Mapped[ZoneMode] = mapped_column(text_enum(ZoneMode))
    # IANA name: the team's zone, and the fallback for anyone whose own zone is unknown.
    timezone: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[date]  # every-other-week cadences count their weeks from the first occurrence from here
    # Occurrences skipped on purpose (ISO dates), kept until they pass so pause, resume and edits keep them.
    skipped_days: Mapped[list[str] | None] = mapped_column(JSON)
    questions: Mapped[list[str]] = mapped_column(JSON)
    ask_blocker: Mapped[bool] = mapped_column(default=True)
    ask_confidence: Mapped[bool] = mapped_column(default=True)
    remind_after_minutes: Mapped[int | None]  # None: no reminder
    digest_after_minutes: Mapped[int]  # after the round's first ask
    paused: Mapped[bool] = mapped_column(default=False)
    # The next round to open and when (None while paused); the scheduler opens it once next_at has come.
    next_on: Mapped[date | None]
    next_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[Person] = relationship(lazy="raise")
    members: Mapped[list[CadenceMember]] = relationship(
        back_populates="cadence", cascade="all, delete-orphan", lazy="raise", order_by="CadenceMember.person_id"
    )


class CadenceMember(Base):
    """A chosen participant (Audience.CHOSEN); channel cadences have none."""

    __tablename__ = "checkin_cadence_member"

    cadence_id: Mapped[int] = mapped_column(ForeignKey("checkin_cadence.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)

    cadence: Mapped[Cadence] = relationship(back_populates="members", lazy="raise")
    person: Mapped[Person] = relationship(lazy="raise")


class Round(Base):
    """One occurrence of a cadence: its thread, its invites, its digest. At most one per cadence and day."""

    __tablename__ = "checkin_round"
    __table_args__ = (
        UniqueConstraint("cadence_id", "occurs_on"),
        Index("uq_checkin_round_workspace_id_token", "workspace_id", "token", unique=True),
        Index("ix_checkin_round_thread", "workspace_id", "channel_id", "thread_ts"),
        Index("ix_checkin_round_digest_due", "digest_posted_at", "digest_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Never given to another round: the round's outbox keys and its Answer buttons are built from it.
    token: Mapped[str] = mapped_column(String(32), default=new_token)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    cadence_id: Mapped[int] = mapped_column(ForeignKey("checkin_cadence.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(32))
    occurs_on: Mapped[date]  # the local date of the occurrence
    opened_at: Mapped[datetime]  # the first ask
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))  # /checkin now
    # What was asked, as it was then: later edits of the cadence do not change a round under way.
    questions: Mapped[list[str]] = mapped_column(JSON)
    ask_blocker: Mapped[bool]
    ask_confidence: Mapped[bool]
    digest_at: Mapped[datetime]
    digest_posted_at: Mapped[datetime | None]  # when the digest was queued; later answers update it in place
    digest_revision: Mapped[int] = mapped_column(default=0)
    thread_ts: Mapped[str | None] = mapped_column(String(32))  # learnt from the thread's delivery once sent

    cadence: Mapped[Cadence] = relationship(lazy="raise")
    invites: Mapped[list[Invite]] = relationship(
        back_populates="round", cascade="all, delete-orphan", lazy="raise", order_by="Invite.id"
    )


class Invite(Base):
    """One person asked in one round, with their answer once they give it."""

    __tablename__ = "checkin_invite"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("checkin_round.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    ask_at: Mapped[datetime]
    away: Mapped[bool] = mapped_column(default=False)  # away that day: not asked, not missed, may still answer
    # When the one reminder is due; cleared once it is queued or no longer needed, so the index stays small.
    remind_at: Mapped[datetime | None] = mapped_column(index=True)
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answers: Mapped[list[str] | None] = mapped_column(JSON)  # one per question of the round, "" if skipped
    reply: Mapped[str | None] = mapped_column(Text)  # a reply in the thread, when that was the answer
    blocker: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[str | None] = mapped_column(String(16))  # an OutcomeStatus value
    source: Mapped[str | None] = mapped_column(String(16))  # an AnswerSource value
    revision: Mapped[int] = mapped_column(default=0)  # how many times answered (edits included)
    late: Mapped[bool] = mapped_column(default=False)  # first answered after the digest went out

    round: Mapped[Round] = relationship(back_populates="invites", lazy="raise")
    person: Mapped[Person] = relationship(lazy="raise")

    @property
    def answered(self) -> bool:
        return self.answered_at is not None
