"""When a bot-initiated DM may interrupt someone: urgency, working hours, the daily budget, focus time, Slack's
Do Not Disturb and away dates, decided in one place for every feature. Pure: the outbox asks, and sends, holds
until a moment, or holds for the person's "your day" round-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from services.attention.hours import WorkingHours


class Urgency(StrEnum):
    URGENT = "urgent"  # an escalation reaching its target, a decision due today, a meeting the gate blocks
    NORMAL = "normal"  # asks, reminders, pre-reads
    LOW = "low"  # confirmations, FYIs


class Verdict(StrEnum):
    SEND = "send"
    HOLD = "hold"  # until `until`, then asked again
    ROUND_UP = "round_up"  # over budget: into the "your day" DM at `until`


@dataclass(frozen=True)
class Person:
    """What the policy needs to know of whoever a DM would interrupt."""

    zone: ZoneInfo
    hours: WorkingHours = WorkingHours()
    budget: int = 3  # normal and low DMs per working day
    sent_today: int = 0  # normal, low and urgent DMs already sent on this working day
    focus_until: datetime | None = None
    dnd_until: datetime | None = None  # from Slack's dnd.info
    away_until: date | None = None  # the last away day, in their zone


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    until: datetime | None = None
    reason: str = ""


def _away(person: Person, now: datetime) -> bool:
    return person.away_until is not None and now.astimezone(person.zone).date() <= person.away_until


def _after_away(person: Person) -> datetime:
    assert person.away_until is not None
    day_after = datetime.combine(person.away_until + timedelta(days=1), time(0, 0), tzinfo=person.zone)
    return person.hours.resume_at(day_after, person.zone)


def decide(
    urgency: Urgency, person: Person, now: datetime, *, urgent_outside_hours: bool = True, budgeted: bool = True
) -> Decision:
    """Send now, hold until a moment, or round up at the next working morning. `budgeted=False` for the
    round-up itself, which the budget cannot send on to another round-up."""
    if _away(person, now):  # one round-up when they are back, not a burst of everything at once
        return Decision(Verdict.ROUND_UP, _after_away(person), "away")
    working = person.hours.is_working(now, person.zone)
    if urgency is Urgency.URGENT:
        if working or urgent_outside_hours:
            return Decision(Verdict.SEND, reason="urgent")
        return Decision(Verdict.HOLD, person.hours.next_start(now, person.zone), "urgent, outside working hours")
    if not working:
        return Decision(Verdict.HOLD, person.hours.next_start(now, person.zone), "outside working hours")
    for until, why in ((person.focus_until, "focus time"), (person.dnd_until, "do not disturb")):
        if until is not None and until > now:
            return Decision(Verdict.HOLD, person.hours.resume_at(until, person.zone), why)
    if budgeted and person.sent_today >= person.budget:
        return Decision(Verdict.ROUND_UP, person.hours.next_start(now, person.zone), "over today's budget")
    return Decision(Verdict.SEND, reason="within budget")
