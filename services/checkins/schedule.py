"""When rounds open: the next occurrence of a cadence in the zones it asks in, the day a round due now (or
started by hand) belongs to."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Audience, Cadence, Invite, Person, Round, ZoneMode
from services.checkins.rules import rule_of
from services.people import zone_of
from services.recurrence import next_round


async def cadence_zones(session: AsyncSession, cadence: Cadence) -> list[ZoneInfo]:
    """The zones a round's asks fall in, so it opens at the earliest: the team zone, or the participants'
    (for a channel cadence: the people asked last time, as the roster is only known when a round opens)."""
    if cadence.zone_mode is ZoneMode.TEAM:
        return [ZoneInfo(cadence.timezone)]
    if cadence.audience is Audience.CHOSEN:
        persons = [m.person for m in cadence.members]
    else:
        latest = (
            select(Round.id)
            .where(Round.cadence_id == cadence.id)
            .order_by(Round.occurs_on.desc())
            .limit(1)
            .scalar_subquery()
        )
        persons = list(
            await session.scalars(
                select(Person).join(Invite, Invite.person_id == Person.id).where(Invite.round_id == latest)
            )
        )
    zones = {cadence.timezone: ZoneInfo(cadence.timezone)}
    for person in persons:
        zone = zone_of(person, cadence.timezone)
        zones[zone.key] = zone
    return list(zones.values())


def skipped_days(cadence: Cadence) -> set[date]:
    return {date.fromisoformat(day) for day in cadence.skipped_days or ()}


def add_skip(cadence: Cadence, day: date, now: datetime) -> None:
    """Remembers a skipped occurrence on the cadence, so what recomputes the schedule later (resume, an edit of
    the form, a round started by hand) still leaves it out. Skips more than a day in the past are forgotten."""
    keep = now.date() - timedelta(days=1)  # a day's margin: "today" differs by up to a day across zones
    days = {d for d in skipped_days(cadence) | {day} if d >= keep}
    cadence.skipped_days = sorted(d.isoformat() for d in days) or None


async def schedule_next(session: AsyncSession, *, cadence: Cadence, now: datetime) -> None:
    """Sets when the next round opens: the first occurrence after `now` on a day later than any round held so
    far, leaving out the days skipped on purpose."""
    if cadence.paused:
        cadence.next_on = cadence.next_at = None
        return
    held = await session.scalar(select(func.max(Round.occurs_on)).where(Round.cadence_id == cadence.id))
    rule, zones, skipped = rule_of(cadence), await cadence_zones(session, cadence), skipped_days(cadence)
    found = next_round(rule, zones, after=now, not_before=held + timedelta(days=1) if held else None)
    while found.day in skipped:
        found = next_round(rule, zones, after=now, not_before=found.day + timedelta(days=1))
    cadence.next_on, cadence.next_at = found.day, found.starts_at
    await session.flush()


async def latest_due_day(session: AsyncSession, *, cadence: Cadence, now: datetime) -> date | None:
    """The day of the round to open now: the most recent occurrence that has come (and was not skipped). After
    a long outage only that one opens (rounds older than it are stale news and are skipped)."""
    if cadence.next_on is None or cadence.next_at is None or cadence.next_at > now:
        return None
    zones, skipped = await cadence_zones(session, cadence), skipped_days(cadence)
    day = cadence.next_on
    later = next_round(rule_of(cadence), zones, after=cadence.next_at, not_before=day + timedelta(days=1))
    while later.starts_at <= now:
        if later.day not in skipped:
            day = later.day
        later = next_round(rule_of(cadence), zones, after=later.starts_at, not_before=later.day + timedelta(days=1))
    return day


def round_day(cadence: Cadence, now: datetime) -> date:
    """The date a round started now belongs to: today in the cadence's zone."""
    return now.astimezone(ZoneInfo(cadence.timezone)).date()
