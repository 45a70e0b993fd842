"""The weekly execution-health post, Slack-free: when it is due in a workspace's own zone, which channels get one
(those with open outcomes), and what each says: what changed in the week, the channel's findings as they stand,
the insights added and what became of the week's findings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import (
    Experiment,
    HealthFinding,
    HealthSettings,
    Insight,
    Outcome,
    OutcomeStatus,
    Person,
    ProgressUpdate,
    Workspace,
)
from models.outcome import OPEN_STATUSES
from services.health.current import Scope, within
from services.health.findings import Finding, Kind
from services.health.insights import since as insights_since
from services.health.records import Closing, closing
from services.playbooks.experiments import learnings_since
from services.recurrence import local_instant

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Window:
    """This week's post: its ISO week (part of the post's key), when it became due, and the week it covers."""

    week: str  # 2026-W49
    due_at: datetime
    since: datetime  # the same wall time a week before


def window(*, weekly_day: int, weekly_hour: int, zone: ZoneInfo, now: datetime) -> Window | None:
    """The post's window when `now` is on the chosen day, at or after the chosen hour, in `zone`; else None.

    Only that local day counts, so a scheduler that was down at the hour still posts later the same day, and
    one down all day waits for next week rather than posting a week's news a day late."""
    day = now.astimezone(zone).date()
    if day.weekday() != weekly_day:
        return None
    at = time(weekly_hour)
    due_at = local_instant(day, at, zone)  # 09:00 on the day, in summer and in winter alike
    if now < due_at:
        return None
    year, week, _ = day.isocalendar()
    return Window(f"{year}-W{week:02d}", due_at, local_instant(day - WEEK, at, zone))


def zone_named(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


async def due_now(session: AsyncSession, *, now: datetime) -> list[tuple[int, Window]]:
    """Every workspace whose weekly post is due now (its settings' day and hour, or Monday 09:00)."""
    query = select(Workspace.id, Workspace.timezone, HealthSettings.weekly_day, HealthSettings.weekly_hour).outerjoin(
        HealthSettings, HealthSettings.workspace_id == Workspace.id
    )
    due: list[tuple[int, Window]] = []
    for workspace_id, zone, day, hour in await session.execute(query):
        found = window(weekly_day=0 if day is None else day, weekly_hour=9 if hour is None else hour,
                       zone=zone_named(zone), now=now)  # fmt: skip
        if found is not None:
            due.append((workspace_id, found))
    return due


@dataclass(frozen=True)
class Channel:
    """A channel with open outcomes: their refs and titles, and who hears if its post can never be made."""

    channel_id: str
    titles: dict[str, str]  # O-12 -> title, open outcomes only
    contact: str  # the Slack id of the owner of its first outcome


async def open_channels(session: AsyncSession, *, workspace_id: int) -> list[Channel]:
    query = (
        select(Outcome.channel_id, Outcome.number, Outcome.title, Person.slack_user_id)
        .join(Person, Person.id == Outcome.owner_id)
        .where(Outcome.workspace_id == workspace_id, Outcome.status.in_(OPEN_STATUSES), Outcome.channel_id.is_not(None))
        .order_by(Outcome.channel_id, Outcome.number)
    )
    titles: dict[str, dict[str, str]] = defaultdict(dict)
    contacts: dict[str, str] = {}
    for channel_id, number, title, owner in await session.execute(query):
        titles[channel_id][f"O-{number}"] = title
        contacts.setdefault(channel_id, owner)
    return [Channel(c, titles[c], contacts[c]) for c in titles]


@dataclass(frozen=True)
class StatusChange:
    ref: str
    title: str
    before: OutcomeStatus | None
    after: OutcomeStatus
    by: str | None  # the author's name as Slack shows it
    at: datetime


@dataclass(frozen=True)
class Moved:
    """A finding that appeared, or went away, in the week."""

    kind: Kind
    subject: str


@dataclass(frozen=True)
class ChannelWeek:
    channel: Channel
    window: Window
    findings: list[Finding]  # as they stand now, snoozed ones left out, most severe first
    names: dict[int, str | None]  # the findings' owners by person id
    appeared: list[Moved]
    resolved: list[Moved]
    changes: list[StatusChange]  # oldest first
    insights: list[tuple[str, Insight]]  # (outcome ref, insight), newest first
    closing: Closing
    weekly_day: int  # when the post goes out (0 is Monday), in `zone`
    weekly_hour: int
    zone: str
    learnings: tuple[Experiment, ...] = ()  # experiments concluded in the week, whichever way they went


async def _moved(session: AsyncSession, workspace_id: int, channel_id: str, since: datetime) -> tuple[list, list]:
    query = select(HealthFinding.kind, HealthFinding.subject, HealthFinding.first_seen_at, HealthFinding.resolved_at)
    query = query.where(HealthFinding.workspace_id == workspace_id, HealthFinding.channel_id == channel_id,
                        (HealthFinding.first_seen_at >= since) | (HealthFinding.resolved_at >= since))  # fmt: skip
    appeared, resolved = [], []
    for kind, subject, first_seen, resolved_at in await session.execute(query.order_by(HealthFinding.subject)):
        if resolved_at is not None and resolved_at >= since:
            resolved.append(Moved(Kind(kind), subject))
        elif first_seen >= since:
            appeared.append(Moved(Kind(kind), subject))
    return appeared, resolved


async def _changes(session: AsyncSession, workspace_id: int, channel_id: str, since: datetime) -> list[StatusChange]:
    author = aliased(Person)
    query = (
        select(
            Outcome.number,
            Outcome.title,
            ProgressUpdate.status_before,
            ProgressUpdate.status_after,
            author.display_name,
            ProgressUpdate.created_at,
        )
        .join(Outcome, Outcome.id == ProgressUpdate.outcome_id)
        .join(author, author.id == ProgressUpdate.author_id)
        .where(
            ProgressUpdate.workspace_id == workspace_id,
            Outcome.channel_id == channel_id,
            ProgressUpdate.status_after.is_not(None),
            ProgressUpdate.created_at >= since,
        )
        .order_by(ProgressUpdate.created_at, ProgressUpdate.id)
    )
    return [StatusChange(f"O-{n}", title, before, after, by, at) for n, title, before, after, by, at in
            await session.execute(query)]  # fmt: skip


async def _names(session: AsyncSession, workspace_id: int, ids: set[int]) -> dict[int, str | None]:
    if not ids:
        return {}
    query = select(Person.id, Person.display_name).where(Person.workspace_id == workspace_id, Person.id.in_(ids))
    return {person_id: name for person_id, name in await session.execute(query)}


async def channel_week(session: AsyncSession, *, workspace_id: int, channel: Channel, found: list[Finding],
                       window: Window, settings: HealthSettings, zone: str) -> ChannelWeek:  # fmt: skip
    """Everything one channel's post says; `found` is the workspace's findings from this run (`refresh`)."""
    mine = within(found, Scope(channel_id=channel.channel_id))
    appeared, resolved = await _moved(session, workspace_id, channel.channel_id, window.since)
    return ChannelWeek(
        channel=channel,
        window=window,
        findings=mine,
        names=await _names(session, workspace_id, {f.owner_id for f in mine}),
        appeared=appeared,
        resolved=resolved,
        changes=await _changes(session, workspace_id, channel.channel_id, window.since),
        insights=await insights_since(
            session, workspace_id=workspace_id, when=window.since, channel_id=channel.channel_id
        ),
        closing=await closing(session, workspace_id=workspace_id, since=window.since, channel_id=channel.channel_id),
        weekly_day=settings.weekly_day,
        weekly_hour=settings.weekly_hour,
        zone=zone,
        learnings=tuple(
            await learnings_since(session, workspace_id=workspace_id, since=window.since, channel_id=channel.channel_id)
        ),
    )
