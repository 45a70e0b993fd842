"""The meetings and check-ins page: for each meeting series (and the one-off meetings together) how many of its
meetings were held, cancelled or made async, and its readiness gaps (meetings the gate flagged as not ready,
pre-reads still unread); for each check-in cadence, each recent round's share of people who answered. A handful of
GROUP BY queries whatever the size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Cadence, Invite, Meeting, MeetingSeries, MeetingStatus, PreRead, PreReadReader, Round

ROUNDS_SHOWN = 12  # the latest rounds of each cadence


@dataclass(frozen=True)
class SeriesRow:
    title: str  # the latest meeting's title, or "One-off meetings"
    latest_ref: str
    every_weeks: int | None
    held: int
    cancelled: int
    made_async: int
    scheduled: int
    flagged: int  # meetings the gate found not ready
    unread: int  # pre-reads not yet read by someone asked to

    @property
    def held_share(self) -> int | None:
        done = self.held + self.cancelled + self.made_async
        return round(100 * self.held / done) if done else None


@dataclass(frozen=True)
class RoundRow:
    occurs_on: date
    asked: int
    answered: int

    @property
    def share(self) -> int | None:
        return round(100 * self.answered / self.asked) if self.asked else None


@dataclass(frozen=True)
class CadenceRow:
    channel_id: str
    paused: bool
    rounds: list[RoundRow]  # oldest first

    @property
    def average(self) -> int | None:
        asked = sum(r.asked for r in self.rounds)
        return round(100 * sum(r.answered for r in self.rounds) / asked) if asked else None


@dataclass(frozen=True)
class MeetingsPage:
    series: list[SeriesRow]
    cadences: list[CadenceRow]


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


async def _series(session: AsyncSession, workspace_id: int) -> list[SeriesRow]:
    status = Meeting.status
    query = (
        select(Meeting.series_id, func.max(Meeting.number), _count(status == MeetingStatus.HELD),
               _count(status == MeetingStatus.CANCELLED), _count(status == MeetingStatus.ASYNC),
               _count(status == MeetingStatus.SCHEDULED), _count(Meeting.gate_flagged_at.is_not(None)))
        .where(Meeting.workspace_id == workspace_id)
        .group_by(Meeting.series_id)
    )  # fmt: skip
    counts = list(await session.execute(query))
    if not counts:
        return []
    unread_query = (
        select(Meeting.series_id, func.count())
        .join(PreRead, PreRead.meeting_id == Meeting.id)
        .join(PreReadReader, PreReadReader.pre_read_id == PreRead.id)
        .where(Meeting.workspace_id == workspace_id, PreReadReader.read_at.is_(None))
        .group_by(Meeting.series_id)
    )
    unread = dict(list(await session.execute(unread_query)))
    latest = [number for _, number, *_ in counts]
    titles = dict(list(await session.execute(select(Meeting.number, Meeting.title).where(
        Meeting.workspace_id == workspace_id, Meeting.number.in_(latest)))))  # fmt: skip
    weeks = dict(list(await session.execute(select(MeetingSeries.id, MeetingSeries.every_weeks).where(
        MeetingSeries.workspace_id == workspace_id))))  # fmt: skip
    rows = [
        SeriesRow(
            title=titles.get(number, "") if series_id is not None else "One-off meetings",
            latest_ref=f"M-{number}",
            every_weeks=weeks.get(series_id),
            held=int(held or 0),
            cancelled=int(cancelled or 0),
            made_async=int(made_async or 0),
            scheduled=int(scheduled or 0),
            flagged=int(flagged or 0),
            unread=int(unread.get(series_id, 0)),
        )  # fmt: skip
        for series_id, number, held, cancelled, made_async, scheduled, flagged in counts
    ]
    return sorted(rows, key=lambda r: (r.every_weeks is None, r.title.lower()))


async def _cadences(session: AsyncSession, workspace_id: int) -> list[CadenceRow]:
    asked = _count(Invite.away.is_(False))
    answered = _count(Invite.answered_at.is_not(None))
    query = (
        select(Round.cadence_id, Round.occurs_on, asked, answered)
        .join(Invite, Invite.round_id == Round.id)
        .where(Round.workspace_id == workspace_id)
        .group_by(Round.id, Round.cadence_id, Round.occurs_on)
    )
    rounds: dict[int, list[RoundRow]] = defaultdict(list)
    for cadence_id, day, n_asked, n_answered in await session.execute(query):
        rounds[cadence_id].append(RoundRow(occurs_on=day, asked=int(n_asked or 0), answered=int(n_answered or 0)))
    cadences = await session.execute(
        select(Cadence.id, Cadence.channel_id, Cadence.paused).where(Cadence.workspace_id == workspace_id)
    )
    return sorted(
        (CadenceRow(channel_id=channel, paused=paused,
                    rounds=sorted(rounds.get(cid, []), key=lambda r: r.occurs_on)[-ROUNDS_SHOWN:])  # fmt: skip
         for cid, channel, paused in cadences),
        key=lambda c: c.channel_id,
    )  # fmt: skip


async def meetings_page(session: AsyncSession, *, workspace_id: int) -> MeetingsPage:
    """The series and the cadences of this workspace."""
    return MeetingsPage(series=await _series(session, workspace_id), cadences=await _cadences(session, workspace_id))
